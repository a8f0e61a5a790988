"""REST channel that checks every request before Rasa sees it, and never answers 500.

Same URL and payload as Rasa's built-in channel (POST /webhooks/rest/webhook with
{"sender": "...", "message": "..."}), referenced from credentials.yml. The reply
is always a JSON list of bot messages ({"recipient_id", "text", ...}); the status
says what happened:

* 200: the message was processed (or, over 2,000 characters and no job ad of up to
  6,000, answered with a
  "please shorten" message and not passed on, so it is never stored);
* 400: refused, nothing stored: the body is not a JSON object, `sender` is not an
  id of 1-128 characters from [A-Za-z0-9_.:-] (career_quiz/input_checks.py), or
  `message` is not text, has control characters or lone surrogates;
* 413: the body is over 80 KB; Sanic refuses it before parsing when
  SANIC_REQUEST_MAX_SIZE is set for the Rasa server (scripts/serve.sh does);
* 503: the conversation store or the action server failed; the message was not
  processed and the conversation is as before, so the visitor can send it again.
  The body carries a German apology, and `Retry-After` is set.

Texts starting with "/" pass as payloads only for the domain's own intents and
entities; `/restart` or `/session_start` go to NLU as words and get an answer.
The streaming variant of Rasa's channel (`?stream=true`) is not offered: every
request gets the complete reply. Clients cannot choose another input channel name.
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
