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

`guard_remote_actions()` bounds every custom-action call by `QUIZ_ACTION_TIMEOUT`
seconds (default 5) and turns a failed call (connection refused, timeout, a 5xx or
401 from the action server) into `ActionServerUnavailable`. A rejection (HTTP 400,
`ActionExecutionRejection`, used by forms) passes unchanged. The channels install
the guard when Rasa builds them, so it is active exactly where its exception is
caught. Pinned with Rasa 3.6.21 (`RemoteAction.run`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List

from career_quiz import settings

logger = logging.getLogger(__name__)


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


def guard_remote_actions() -> bool:
    """Wraps Rasa's `RemoteAction.run` once (idempotent); returns True when active."""
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.exceptions import RasaException

    if getattr(RemoteAction.run, "outage_guard", False):
        return True
    unguarded = RemoteAction.run

    async def run(self: Any, *args: Any, **kwargs: Any) -> List[Any]:
        timeout = settings.action_timeout()
        try:
            return await asyncio.wait_for(unguarded(self, *args, **kwargs), timeout)
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError as error:
            logger.error(
                "Custom action %s took longer than %.1f s; this message is not processed.",
                self.name(),
                timeout,
            )
            raise ActionServerUnavailable(self.name()) from error
        except RasaException as error:
            logger.error(
                "Custom action %s failed (%s); this message is not processed.", self.name(), error
            )
            raise ActionServerUnavailable(self.name()) from error

    run.outage_guard = True  # type: ignore[attr-defined]
    RemoteAction.run = run
    logger.info(
        "Custom-action calls are limited to %.1f s; failures get an apology.",
        settings.action_timeout(),
    )
    return True
