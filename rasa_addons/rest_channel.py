"""REST channel that answers malformed requests with 400 instead of a 500.

Same URL and payload as Rasa's built-in channel (POST /webhooks/rest/webhook with
{"sender": "...", "message": "..."}), referenced from credentials.yml.
Differences: the body must be a JSON object, `sender` is required (Rasa would
put every sender-less request into one shared "default" conversation), and
`message` must be a string. Clients cannot choose another input channel name.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

MAX_SENDER_LENGTH = 128


class SafeRestInput(RestInput):
    """Rasa's REST channel with input checks."""

    @classmethod
    def name(cls) -> Text:
        """Keeps the public URL /webhooks/rest/webhook."""
        return "rest"

    @staticmethod
    def _body(req: Request) -> Dict[Text, Any]:
        try:
            body = req.json
        except Exception:  # sanic raises its own error type for invalid JSON
            body = None
        if not isinstance(body, dict):
            raise InvalidUsage('Erwartet wird ein JSON-Objekt: {"sender": "...", "message": "..."}')
        return body

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = self._body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
            raise InvalidUsage(
                f'"sender" muss eine nicht-leere Zeichenkette sein (höchstens {MAX_SENDER_LENGTH} '
                "Zeichen), die das Gespräch kennzeichnet."
            )
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = self._body(req).get("message", "")
        if message is None:
            return ""
        if not isinstance(message, str):
            raise InvalidUsage('"message" muss eine Zeichenkette sein.')
        return message

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """Passes metadata on only when it is a JSON object."""
        metadata = self._body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None
