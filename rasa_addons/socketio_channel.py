"""socket.io channel for the web widget that accepts only the web page's origins.

Same public name and path as Rasa's built-in channel (`socketio`, `/socket.io`),
referenced from credentials.yml; a fork of Rasa 3.6's blueprint. Where it differs for
a client (origins, session ids, refused messages, Markdown paragraphs, rooms after a
reconnect) is in docs/contracts.md ("socket.io"); why it forks Rasa's channel is in
docs/rasa-overrides.md. For maintainers: Rasa 3.6 passes `cors_allowed_origins=[]`,
which turns python-engineio's origin check off, hence `allowed_origins` below; and
python-socketio calls a handler with the sender's arguments only, so every handler
here accepts a missing or non-object payload instead of raising a TypeError. Works
with python-socketio 5.8 (sync `enter_room`) and newer (coroutine).
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text, Union

import rasa.core.channels.channel
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from career_quiz import input_checks, settings
from rasa_addons import channel_support, patches

logger = logging.getLogger(__name__)

DEFAULT_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
ERROR_EVENT = "quiz_error"
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")


def parse_origins(value: Union[None, Text, Iterable[Text]]) -> List[Text]:
    """Origins from a comma/space-separated string or a list; validated, no `*`."""
    if value is None:
        return []
    items = re.split(r"[,\s]+", value) if isinstance(value, str) else list(value)
    origins = []
    for item in items:
        if not str(item).strip():
            continue
        origin = settings.check_origin(str(item))
        if origin not in origins:
            origins.append(origin)
    return origins


def allowed_origins(configured: Union[None, Text, Iterable[Text]] = None) -> List[Text]:
    """The origins allowed to connect: `WEB_ORIGINS`, else credentials, else defaults."""
    env = settings.web_origins()
    if env:
        return parse_origins(env)
    return parse_origins(configured) or list(DEFAULT_ORIGINS)


def to_widget_markdown(part: Text) -> Text:
    """One message part as Markdown the widget shows line by line, with real lists."""
    blocks: List[Text] = []
    items: List[Text] = []
    for line in part.split("\n"):
        if LIST_ITEM.match(line):
            items.append(line.strip())
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        if line.strip():
            blocks.append(line.strip())
    if items:
        blocks.append("\n".join(items))
    return "\n\n".join(blocks)


def _parts(text: Text) -> List[Text]:
    """Rasa's split into bubbles (on blank lines), each converted for the widget."""
    parts = [to_widget_markdown(p) for p in text.strip().split("\n\n")]
    return [p for p in parts if p] or [text]


def valid_session_id(value: Any) -> bool:
    """True for the ids Rasa and the widget generate (uuid hex) and similar short ids."""
    return input_checks.valid_sender(value)


class _AppAwareSocketBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint that remembers the app it is registered on (the
    loaded model's domain tells which payloads are allowed).
    """

    def register(self, app: Any, options: Dict[Text, Any]) -> None:
        """Attaches socket.io to `app` and keeps a reference to it (`ctx.app`)."""
        self.ctx.app = app
        super().register(app, options)


class WidgetSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output with texts converted to Markdown the widget renders."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Sends each part as one bubble."""
        for part in _parts(text):
            await self._send_message(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Sends the parts; the buttons go with the last one as quick replies."""
        messages: List[Dict[Text, Any]] = [{"text": p, "quick_replies": []} for p in _parts(text)]
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
        for message in messages:
            await self._send_message(recipient_id, message)


class WidgetSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel restricted to the web page's origins."""

    @classmethod
    def name(cls) -> Text:
        """Keeps the public channel name (and with it the path /socket.io)."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WidgetSocketIOInput":
        """Rasa's parameters plus `cors_allowed_origins` (list or comma-separated)."""
        channel = super().from_credentials(credentials)
        channel.cors_allowed_origins = allowed_origins(
            (credentials or {}).get("cors_allowed_origins")
        )
        return channel

    def __init__(
        self, *args: Any, cors_allowed_origins: Optional[List[Text]] = None, **kwargs: Any
    ) -> None:
        """Same parameters as Rasa's channel, plus the allowed origins."""
        super().__init__(*args, **kwargs)
        self.cors_allowed_origins = allowed_origins(cors_allowed_origins)

    def get_output_channel(self) -> Optional[rasa.core.channels.channel.OutputChannel]:
        """The output channel for messages triggered from outside a conversation."""
        if self.sio is None:
            return super().get_output_channel()
        return WidgetSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint with the origin check switched on (see the module doc)."""
        patches.install()
        channel_support.load_texts()
        origins = ", ".join(self.cors_allowed_origins)
        logger.info("socket.io channel accepts the origins %s", origins)
        sio = patches.without_engineio_cors_headers(
            AsyncServer(
                async_mode="sanic",
                cors_allowed_origins=self.cors_allowed_origins,
                max_http_buffer_size=input_checks.MAX_BODY_BYTES,
            )
        )
        socketio_webhook = _AppAwareSocketBlueprint(
            sio, self.socketio_path, "socketio_webhook", __name__
        )
        self.sio = sio
        namespace = self.namespace

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            payload = None
            if isinstance(auth, dict) and auth.get("token"):
                payload = rasa.core.channels.channel.decode_bearer_token(
                    auth.get("token"), self.jwt_key, self.jwt_algorithm
                )
            return bool(payload)

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text) -> None:
            logger.debug(f"User {sid} disconnected from socketIO endpoint.")

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any = None, *_extra: Any) -> None:
            data = dict(data) if isinstance(data, dict) else {}
            if not valid_session_id(data.get("session_id")):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, data["session_id"], namespace=namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=namespace)

        async def refuse(sid: Text, code: Text, bot_text: Optional[Text] = None) -> None:
            await sio.emit(
                ERROR_EVENT,
                {"error": code, "message": channel_support.text(code)},
                room=sid,
                namespace=namespace,
            )
            if bot_text:
                await sio.emit(
                    self.bot_message_evt, {"text": bot_text}, room=sid, namespace=namespace
                )

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None, *_extra: Any) -> None:
            if not isinstance(data, dict):
                await refuse(sid, "bad_request")
                return
            sender_id: Any = data.get("session_id") if self.session_persistence else sid
            app = getattr(socketio_webhook.ctx, "app", None)
            verdict = channel_support.check(app, sender_id, data.get("message", ""))
            if verdict.status == input_checks.BAD_SENDER:
                logger.warning("Refusing a socket.io message without a valid session_id.")
                await refuse(sid, "bad_sender")
                return
            if verdict.status == input_checks.BAD_TEXT:
                await refuse(sid, "bad_text", channel_support.text("bad_text"))
                return
            if self.session_persistence:
                # A socket that reconnected (its replica died, the network dropped) may
                # send the messages it buffered before its new session request: it
                # joins the session's room here too, so the replies reach it.
                entered = sio.enter_room(sid, sender_id, namespace=namespace)
                if inspect.isawaitable(entered):
                    await entered
            output_channel = WidgetSocketIOOutput(sio, self.bot_message_evt)
            if verdict.status == input_checks.TOO_LONG:
                await output_channel.send_text_message(sender_id, channel_support.text("too_long"))
                return

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            metadata = input_checks.clean_metadata(metadata) or {}
            apology = await channel_support.handle(
                on_new_message,
                UserMessage(
                    verdict.text,
                    output_channel,
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                ),
            )
            if apology is not None:
                await output_channel.send_text_message(sender_id, apology)

        return socketio_webhook
