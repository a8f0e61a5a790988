"""REST channel that checks every request before Rasa sees it, and never answers 500.

Same URL and payload as Rasa's built-in channel (POST /webhooks/rest/webhook),
referenced from credentials.yml. What each status code means for a client (200, 400,
413, 503 with `Retry-After`), the "please shorten" answer and which payloads pass is
the server contract in docs/contracts.md; the checks themselves are in
career_quiz/input_checks.py, the outage handling in rasa_addons/outage.py.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from career_quiz import input_checks
from rasa_addons import channel_support, patches

logger = logging.getLogger(__name__)
RETRY_AFTER_S = "30"


def _reply(
    sender: Optional[str], text: Text, status: int = 200, headers: Optional[Dict[str, str]] = None
) -> HTTPResponse:
    message: Dict[str, Any] = {"text": text}
    if sender is not None:
        message = {"recipient_id": sender, **message}
    return response.json([message], status=status, headers=headers)


def _body(request: Request) -> Optional[Dict[Text, Any]]:
    try:
        body = request.json
    except Exception:  # sanic raises its own error type for invalid JSON or UTF-8
        return None
    return body if isinstance(body, dict) else None


class SafeRestInput(RestInput):
    """Rasa's REST channel with input checks and outage answers."""

    @classmethod
    def name(cls) -> Text:
        """Keeps the public URL /webhooks/rest/webhook."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """The health route and the checked webhook."""
        patches.install()
        channel_support.load_texts()
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.listener("before_server_start")
        async def protect(app: Any, _loop: Any) -> None:
            # Rasa's HTTP API (conversations, trackers) reads the same tracker store.
            logger.info("Outages answer 503 on %d routes", patches.protect_http_api(app))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = _body(request)
            if body is None:
                return _reply(None, channel_support.text("bad_request"), 400)
            sender, message = body.get("sender"), body.get("message")
            verdict = channel_support.check(request.app, sender, message)
            if verdict.status == input_checks.BAD_SENDER:
                return _reply(None, channel_support.text("bad_sender"), 400)
            if verdict.status == input_checks.BAD_TEXT:
                return _reply(sender, channel_support.text("bad_text"), 400)
            if verdict.status == input_checks.TOO_LONG:
                return _reply(sender, channel_support.text("too_long"))
            collector = CollectingOutputChannel()
            apology = await channel_support.handle(
                on_new_message,
                UserMessage(
                    verdict.text,
                    collector,
                    sender,
                    input_channel=self.name(),
                    metadata=input_checks.clean_metadata(body.get("metadata")),
                ),
            )
            if apology is not None:
                return _reply(sender, apology, 503, {"Retry-After": RETRY_AFTER_S})
            messages: List[Dict[Text, Any]] = collector.messages
            return response.json(messages)

        return webhook
