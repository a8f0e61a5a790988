"""Extensions loaded by the Rasa server (not the action server).

* rest_channel.py, socketio_channel.py: channels that check every message and answer
  outages (guard.py, outage.py; the rules are in career_quiz/input_checks.py);
* tracker_store.py: Rasa's SQL store with indexed reads of the latest session, whose
  database errors fail one request;
* length_guard.py: NLU components for over-long messages (config.yml);
* speedups.py: cached validation of action-server responses, installed by the
  channels and used where endpoints.yml asks for it.

Importing this package changes nothing in Rasa.
"""
