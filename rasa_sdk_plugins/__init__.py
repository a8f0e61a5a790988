"""Action-server extensions, loaded by rasa_sdk through its plugin hook.

rasa_sdk imports a top-level package named `rasa_sdk_plugins` when it exists and
calls `init_hooks(manager)`; the registered `attach_sanic_app_extensions` hook then
gets the action server's Sanic app before it starts (rasa_sdk/plugin.py).

* Authentication: `/webhook` and `/actions` answer only requests that carry the
  shared token (env `QUIZ_ACTION_TOKEN`) in the header `X-Quiz-Action-Token`. The
  Rasa server sends it with every action call (endpoints.yml `action_endpoint.headers`),
  `make run` generates one when it is unset. Without a configured token every call
  is refused: loopback is no security boundary on a shared host or in a pod.
  `/health` stays open for readiness checks.
* Errors: rasa_sdk's own error handler answers 500 with the request body, that is
  the whole tracker; here an error answers 500 with the action's name only.
* Warm-up: the answer parser (spaCy pipeline, classifier) loads before the server
  accepts requests, so the first visitor's message does not run into the Rasa
  server's action timeout (rasa_addons/outage.py).
* Outbox: the retry thread of the results outbox (career_quiz/outbox.py) starts with
  the server, so a result an earlier process left queued (killed during a database
  outage) is delivered within a retry interval, not only at the next write.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

import pluggy

logger = logging.getLogger(__name__)

TOKEN_ENV = "QUIZ_ACTION_TOKEN"
TOKEN_HEADER = "X-Quiz-Action-Token"
PROTECTED_PATHS = ("/webhook", "/actions")

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def token_accepted(expected: str, given: Any) -> bool:
    """True when a token is configured and `given` equals it (constant-time)."""
    if not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _json_object(request: Any) -> bool:
    if request.headers.get("Content-Encoding") == "deflate":
        return True  # rasa_sdk decompresses it itself
    try:
        return isinstance(request.json, dict)
    except Exception:  # invalid JSON or UTF-8
        return False


class QuizActionServer:
    """The hook implementation: middleware, error handler and warm-up."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Any) -> None:
        """Adds authentication, a body-free error handler and the warm-up."""
        from sanic import response

        from career_quiz import settings

        expected = settings.action_token()
        if not expected:
            logger.error("%s is not set: the action server refuses every action call.", TOKEN_ENV)

        @app.middleware("request")
        async def authenticate(request: Any) -> Any:
            if request.path in PROTECTED_PATHS and not token_accepted(
                expected, request.headers.get(TOKEN_HEADER)
            ):
                logger.warning("Refused an unauthenticated call to %s", request.path)
                return response.json({"error": "unauthorized"}, status=401)
            if request.path == "/webhook" and not _json_object(request):
                return response.json({"error": "the body must be a JSON object"}, status=400)
            return None

        @app.exception(Exception)
        async def exception_handler(request: Any, exception: Exception) -> Any:
            status = getattr(exception, "status_code", 500)
            status = status if isinstance(status, int) and 400 <= status < 600 else 500
            if status >= 500:
                logger.error("Error in %s %s", request.method, request.path, exc_info=exception)
            return response.json(
                {"error": "action server error" if status >= 500 else type(exception).__name__},
                status=status,
            )

        @app.listener("before_server_start")
        async def warm_up(_app: Any, _loop: Any) -> None:
            from actions.actions import warm_up as load_models

            load_models()
            resume_outbox()


def resume_outbox() -> int:
    """Starts the retry thread of the outbox the actions write to (the same instance:
    outbox_for keys it by file, database and interval); the operations waiting.
    """
    from career_quiz import settings
    from career_quiz.outbox import outbox_for

    outbox = outbox_for(
        settings.outbox_path(), settings.database_url(), settings.outbox_retry_seconds()
    )
    try:
        return outbox.resume()
    except Exception:  # an unreadable file must not stop the server; writes log it too
        logger.exception("Outbox %s could not be read at start", outbox.path)
        return 0


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa_sdk's plugin manager."""
    manager.register(QuizActionServer())
