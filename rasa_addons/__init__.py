"""Extensions loaded by the Rasa server (not the action server; that one loads
rasa_sdk_plugins).

* patches.py: every run-time change to Rasa's classes, installed by the channels
  (docs/rasa-overrides.md lists them all);
* rest_channel.py, socketio_channel.py: channels that check every message and answer
  outages (channel_support.py, outage.py; the rules are in career_quiz/input_checks.py);
* tracker_store.py: Rasa's SQL store with indexed reads of the latest session, whose
  database errors fail one request; lock_store.py: atomic Redis and short-poll locks;
* length_guard.py, side_topics.py: NLU components (config.yml);
* response_validation_cache.py: cached validation of action-server responses, used
  where endpoints.yml asks for it;
* shell.py: a readable `rasa shell`.

Importing this package changes nothing in Rasa.
"""
