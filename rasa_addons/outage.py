"""Outages of the tracker store or the action server end one request, never the server.

Rasa 3.6 has three behaviours here that a visitor would meet as silence or worse:

* `SQLTrackerStore.session_scope` turns a `ValueError` from the database driver (a
  lone surrogate in a sender id on SQLite, a NUL on PostgreSQL) into `sys.exit(1)`.
* `FailSafeTrackerStore`, which the agent wraps around every store, catches every
  other database error, continues on an empty in-memory tracker (the conversation
  starts again, and custom actions run on that forged state) and saves the result
  there, where it is lost when the database is back.
* The processor catches every error of a custom action, logs it, drops the
  action's events and carries on: with the action server down, the reply is an
  empty list. A slow action is awaited for up to 300 s.

The exceptions here derive from `BaseException` on purpose: Rasa's handlers above
catch `Exception`, so these pass through them, abort the processing of that one
message before the tracker is saved (the conversation stays as it was, and the
visitor's retry continues at the same question) and reach our channels, which
answer with an apology (`rasa_addons/rest_channel.py`: HTTP 503;
`rasa_addons/socketio_channel.py`: a bot message). They are not `SystemExit` or
`KeyboardInterrupt`, which asyncio would re-raise out of the event loop.

The custom-action time limit that raises `ActionServerUnavailable` is
`rasa_addons.patches.limit_action_calls` (QUIZ_ACTION_TIMEOUT seconds, default 5).
"""

from __future__ import annotations


class ServiceUnavailable(BaseException):
    """A part the reply depends on failed; this message is not processed.

    `text_key` names the apology: response `utter_service_<text_key>` in domain/service.yml.
    """

    text_key = "unavailable"


class TrackerStoreUnavailable(ServiceUnavailable):
    """The conversation store could not read or write this conversation."""

    text_key = "store_unavailable"


class ActionServerUnavailable(ServiceUnavailable):
    """The action server did not answer in time, or answered with an error."""

    text_key = "actions_unavailable"
