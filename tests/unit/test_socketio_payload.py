"""socket.io events without a payload, or with several arguments, as python-socketio
dispatches them (`AsyncServer._trigger_event` calls the handler with the client's
arguments only): an answer to the client, nothing passed to Rasa, no exception.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, List, Tuple

import pytest
import yaml

from career_quiz.input_checks import valid_sender
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def channel():
    from sanic import Sanic

    from rasa_addons.socketio_channel import WidgetSocketIOInput

    messages: List[Any] = []

    async def on_new_message(message) -> None:
        messages.append(message)

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    channel = WidgetSocketIOInput.from_credentials(
        credentials["rasa_addons.socketio_channel.WidgetSocketIOInput"]
    )
    app = Sanic("quiz_socketio_payload_tests")
    app.ctx.agent = SimpleNamespace(domain=None)
    app.blueprint(channel.blueprint(on_new_message))
    emits: List[Tuple[tuple, dict]] = []

    async def emit(*args, **kwargs):
        emits.append((args, kwargs))

    channel.sio.emit = emit
    channel.sio.enter_room = lambda sid, room, namespace=None: None
    loop = asyncio.new_event_loop()
    yield SimpleNamespace(channel=channel, emits=emits, messages=messages, loop=loop)
    loop.close()


def trigger(sc, event: str, *args: Any) -> List[Tuple[tuple, dict]]:
    """Dispatches `event` from socket `sid1` as python-socketio does; the emits it caused."""
    before = len(sc.emits)
    namespace = sc.channel.namespace or "/"
    sc.loop.run_until_complete(sc.channel.sio._trigger_event(event, namespace, "sid1", *args))
    return sc.emits[before:]


@pytest.mark.parametrize("args", [(), (None,), ("text",), ([1, 2],), ({"message": "Hi"}, 2)])
def test_message_without_an_object_gets_an_error_event(channel, args):
    before = len(channel.messages)
    emits = trigger(channel, channel.channel.user_message_evt, *args)
    if len(args) == 2:  # an object first: checked as usual (here: no session id)
        assert [e[0][0] for e in emits] == ["quiz_error"]
        assert emits[0][0][1]["error"] == "bad_sender"
    else:
        assert [e[0][0] for e in emits] == ["quiz_error"]
        assert emits[0][0][1]["error"] == "bad_request"
        assert emits[0][0][1]["message"].startswith("Die Anfrage ist ungültig")
    assert emits[0][1]["room"] == "sid1"
    assert len(channel.messages) == before  # nothing reached Rasa, nothing stored


@pytest.mark.parametrize("args", [(), (None,), ("abc",), ({"session_id": "abc"}, "extra")])
def test_session_request_without_an_object_confirms_a_fresh_session(channel, args):
    emits = trigger(channel, "session_request", *args)
    [(event, session_id), kwargs] = emits[0]
    assert event == "session_confirm" and kwargs["room"] == "sid1"
    assert valid_sender(session_id)
    if len(args) == 2:
        assert session_id == "abc"  # the object's id; the extra argument is ignored
