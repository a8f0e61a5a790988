"""Properties of the channels (rasa_addons/rest_channel.py, socketio_channel.py),
Hypothesis-driven: the REST channel's blueprint (driven over ASGI, no server) and the
socket.io message handler answer any body with 200 or 400, never 500, and pass on
exactly the messages the input checks accept. Shared strategies: tests/properties.py.
"""

from __future__ import annotations

import asyncio
import json
import re
from types import SimpleNamespace
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml
from hypothesis import example, given, note
from hypothesis import strategies as st

from career_quiz import typed_buttons
from career_quiz.input_checks import (
    MAX_MESSAGE_CHARS,
    valid_sender,
    valid_text,
)
from tests.asgi import AsgiClient
from tests.helpers import ROOT
from tests.properties import (
    BUILTIN_INTENTS,
    SENDER_ALPHABET,
    assert_rasa_reads_only_allowed,
    expected_valid_sender,
    expected_valid_text,
    json_values,
    property_settings,
    raw_texts,
    sender_values,
)

# Sanic warns on every ASGI request that startup listeners run early; that is how its
# test client works.
pytestmark = [pytest.mark.filterwarnings("ignore:You have set a listener:UserWarning")]


# -- channels -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def domain():
    """The project's domain, as the loaded model carries it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


def assert_reaches_rasa_as_checked(message, text: str, domain) -> None:
    """What a channel passed on is valid, short, the visitor's text (stripped, as
    UserMessage stores it) unless it was a payload, and no payload Rasa would read as a
    built-in intent or a foreign entity.
    """
    assert valid_text(message.text) and len(message.text) <= MAX_MESSAGE_CHARS
    typed = typed_buttons.payload_for(text)
    if typed:
        # A button's title typed instead of clicked goes on as the button's payload
        # (README; found by this test as '{"sender": "-", "message": "nur Deutsch"}').
        assert message.text == typed
    elif not text.strip().startswith("/"):
        assert message.text == text.strip()
    else:
        # Words after slashes go on without them: the text stripped first, as Rasa does
        # ("\r/" is "/", and a lone slash leaves nothing; found by this test, 2026-12-04).
        words = re.sub(r"^[\s/]+", "", text.strip())
        assert message.text in (text.strip(), words)
    assert_rasa_reads_only_allowed(
        message.text, set(domain.intents) - BUILTIN_INTENTS, set(domain.entities)
    )


def assert_bot_messages(data: bytes) -> list:
    replies = json.loads(data)
    assert isinstance(replies, list) and replies, replies
    assert all(
        isinstance(r, dict) and isinstance(r.get("text"), str) and r["text"].strip()
        for r in replies
    ), replies
    return replies


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class Recorder:
    """A fake `on_new_message`: records each UserMessage and answers it with one text."""

    def __init__(self) -> None:
        self.messages: List[Any] = []

    async def __call__(self, message) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Antwort")


def _credentials(name: str) -> Optional[Dict[str, Any]]:
    data = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    return data[name]


@pytest.fixture(scope="module")
def rest(loop, domain):
    """The REST channel's blueprint in a small Sanic app, with a recording on_new_message.

    `app.ctx.agent.domain` is the project's domain, as in the Rasa server.
    """
    from sanic import Sanic

    from rasa_addons.rest_channel import SafeRestInput

    asyncio.set_event_loop(loop)
    recorder = Recorder()
    channel = SafeRestInput.from_credentials(_credentials("rasa_addons.rest_channel.SafeRestInput"))
    app = Sanic("quiz_property_tests_rest")
    app.ctx.agent = SimpleNamespace(domain=domain)
    app.blueprint(channel.blueprint(recorder), url_prefix="/webhooks/rest")
    client = AsgiClient(app, loop)
    yield SimpleNamespace(client=client, recorder=recorder, domain=domain)
    client.close()


def _json_body(value: Any, ascii_only: bool) -> bytes:
    # Lone surrogates: escaped ("\udfff") with ensure_ascii, raw (invalid UTF-8) without.
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


rest_objects = st.fixed_dictionaries(
    {},
    optional={
        "sender": sender_values,
        "message": st.one_of(raw_texts, json_values),
        "metadata": json_values,
        "input_channel": json_values,
        "stream": json_values,
    },
)
rest_bodies = st.one_of(
    st.builds(_json_body, rest_objects, st.booleans()),
    st.builds(
        _json_body,
        st.fixed_dictionaries(
            {
                "sender": st.text(alphabet=SENDER_ALPHABET, min_size=1, max_size=30),
                "message": raw_texts,
            }
        ),
        st.booleans(),
    ),
    st.builds(_json_body, json_values, st.booleans()),
    st.binary(max_size=80),
    st.sampled_from(
        [
            b"",
            b"{",
            b"null",
            b"[]",
            b'{"sender": "a", "message": "x"',
            b"\xff\xfe",
            b'{"sender": "a\\udfff", "message": "x"}',
            b'{"sender": "a", "message": "\\udfff"}',
            b'{"sender": "a", "message": "\\u0000"}',
            b'{"sender": "a", "message": NaN}',
            b'{"sender": "a", "sender": "b", "message": "x"}',
        ]
    ),
)


def _request_view(body: bytes):
    """(sender, text) as the body carries them, or None when it is no JSON object.

    Read with the JSON reader the channel uses (Sanic's `request.json`, ujson), which
    takes what strict JSON refuses, such as a raw control character in a key
    (a key holding the byte 0x01); the fuzz test (tests/integration/test_fuzz_live.py)
    holds the channel to accepting such bodies.
    """
    from sanic.request import json_loads

    try:
        data = json_loads(body)
    except Exception:  # ujson raises ValueError, json its JSONDecodeError or RecursionError
        return None
    if not isinstance(data, dict):
        return None
    return data.get("sender"), data.get("message")


@property_settings(300)
@given(body=rest_bodies, query=st.sampled_from([b"", b"", b"stream=true", b"stream=false"]))
@example(body=b'{"sender": "a.b:c", "message": "Hallo"}', query=b"")
@example(body=b'{"sender":"-","message":"nur Deutsch"}', query=b"")
@example(body=b'{"sender":"-","\x01":""}', query=b"")
@example(body=b'{"sender": "u1", "message": "\\udfff"}', query=b"")
@example(body=b'{"sender": "u1", "message": "a\\u0000b"}', query=b"")
@example(body=b'{"sender": "u1\\n", "message": "Hallo"}', query=b"")
@example(body=json.dumps({"sender": "u1", "message": "x" * 2001}).encode(), query=b"")
@example(body=b'{"sender": "u1", "message": "/restart"}', query=b"")
@example(body=b'{"sender": "u1", "message": "/inform{\\"training\\": \\"evil\\"}"}', query=b"")
def test_rest_channel_answers_200_or_400_and_passes_on_only_checked_messages(rest, body, query):
    before = len(rest.recorder.messages)
    status, data = rest.client.request("POST", "/webhooks/rest/webhook", body, query)
    calls = rest.recorder.messages[before:]
    note(f"status={status} response={data[:300]!r} calls={[(m.sender_id, m.text) for m in calls]}")
    assert status in (200, 400), status
    view = _request_view(body)
    if view is None:
        assert status == 400 and not calls
        assert_bot_messages(data)
        return
    sender, text = view
    text = "" if text is None else text
    if not expected_valid_sender(sender) or not expected_valid_text(text):
        assert status == 400 and not calls
        assert_bot_messages(data)
        return
    assert status == 200
    if len(text) > MAX_MESSAGE_CHARS:
        assert not calls, "an over-long message reached Rasa"
        assert_bot_messages(data)  # "please shorten"
        return
    assert len(calls) == 1
    message = calls[0]
    assert message.sender_id == sender
    assert message.input_channel == "rest"
    assert message.metadata is None or isinstance(message.metadata, dict)
    assert_reaches_rasa_as_checked(message, text, rest.domain)
    # The bot's replies come back as they were sent.
    assert json.loads(data) == [{"recipient_id": sender, "text": "Antwort"}]


def test_rest_channel_passes_no_builtin_intent_after_whitespace(rest):
    before = len(rest.recorder.messages)
    status, _ = rest.client.request(
        "POST", "/webhooks/rest/webhook", b'{"sender": "u1", "message": " /restart"}'
    )
    assert status == 200
    (message,) = rest.recorder.messages[before:]
    assert_reaches_rasa_as_checked(message, " /restart", rest.domain)


@property_settings(50)
@given(
    path=st.sampled_from(["/webhooks/rest/", "/webhooks/rest/webhook"]),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS"]),
    body=st.binary(max_size=30),
)
def test_rest_channel_other_methods_never_fail(rest, path, method, body):
    status, _ = rest.client.request(method, path, body)
    assert status < 500, status


@pytest.fixture(scope="module")
def socket_channel(loop, domain):
    """The socket.io channel as credentials.yml configures it, registered on a Sanic
    app whose `ctx.agent.domain` is the project's domain; emits are recorded.
    """
    from sanic import Sanic

    from rasa_addons.socketio_channel import WidgetSocketIOInput

    recorder = Recorder()
    channel = WidgetSocketIOInput.from_credentials(
        _credentials("rasa_addons.socketio_channel.WidgetSocketIOInput")
    )
    app = Sanic("quiz_property_tests_socketio")
    app.ctx.agent = SimpleNamespace(domain=domain)
    app.blueprint(channel.blueprint(recorder))
    sio = channel.sio
    emits: List[Tuple[tuple, dict]] = []
    rooms: List[Tuple[str, str]] = []

    async def emit(*args, **kwargs):
        emits.append((args, kwargs))

    def enter_room(sid, room, namespace=None):
        rooms.append((sid, room))

    sio.emit = emit  # the handlers look these up on the server object at call time
    sio.enter_room = enter_room
    handlers = sio.handlers[channel.namespace or "/"]
    return SimpleNamespace(
        channel=channel,
        recorder=recorder,
        emits=emits,
        rooms=rooms,
        handlers=handlers,
        loop=loop,
        domain=domain,
    )


socket_data = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "session_id": sender_values,
            "message": st.one_of(raw_texts, json_values),
            "metadata": st.one_of(json_values, st.builds(json.dumps, json_values)),
            "customData": json_values,
        },
    ),
    st.fixed_dictionaries(
        {
            "session_id": st.text(alphabet=SENDER_ALPHABET, min_size=1, max_size=40),
            "message": raw_texts,
        }
    ),
)


@property_settings(300)
@given(sid=st.text(max_size=20), data=socket_data)
@example(sid="s", data={"session_id": "a.b:c", "message": "Hallo"})
@example(sid="s", data={"session_id": "abc", "message": "\udfff"})
@example(sid="s", data={"session_id": "abc", "message": "x" * 2001})
@example(sid="s", data={"session_id": "abc", "message": "/restart"})
@example(sid="s", data={"session_id": "abc\n", "message": "Hallo"})
def test_socketio_message_handler_passes_on_only_checked_messages(socket_channel, sid, data):
    sc = socket_channel
    handler = sc.handlers[sc.channel.user_message_evt]
    before_calls, before_emits = len(sc.recorder.messages), len(sc.emits)
    sc.loop.run_until_complete(handler(sid, data))
    calls = sc.recorder.messages[before_calls:]
    emits = sc.emits[before_emits:]
    note(f"calls={[(m.sender_id, m.text) for m in calls]} emits={emits!r}")
    refusals = [e for e in emits if e[0] and e[0][0] == "quiz_error"]
    if not isinstance(data, dict):
        assert not calls and refusals
        return
    session_id = data.get("session_id")
    text = "" if data.get("message") is None else data.get("message")
    if not expected_valid_sender(session_id) or not expected_valid_text(text):
        assert not calls, "a refused message reached Rasa"
        # Refused with an error event ({"error", "message"}) to the socket.
        assert refusals and all(
            e[1].get("room") == sid and e[0][1].get("message") for e in refusals
        ), emits
        return
    assert not refusals, emits
    if len(text) > MAX_MESSAGE_CHARS:
        assert not calls, "an over-long message reached Rasa"
        shorten = [e for e in emits if e[0] and e[0][0] == sc.channel.bot_message_evt]
        assert shorten and all(
            isinstance(e[0][1], dict) and e[0][1].get("text") for e in shorten
        ), emits
        return
    assert len(calls) == 1
    message = calls[0]
    assert message.sender_id == session_id
    assert message.input_channel == "socketio"
    assert isinstance(message.metadata, dict)
    assert_reaches_rasa_as_checked(message, text, sc.domain)


@property_settings(200)
@given(
    sid=st.text(max_size=20),
    data=st.one_of(json_values, st.fixed_dictionaries({}, optional={"session_id": sender_values})),
)
@example(sid="s", data={"session_id": "a.b:c"})
@example(sid="s", data={"session_id": "\udfff"})
def test_socketio_session_request_confirms_a_valid_session_id(socket_channel, sid, data):
    sc = socket_channel
    before = len(sc.emits)
    sc.loop.run_until_complete(sc.handlers["session_request"](sid, data))
    confirms = [e for e in sc.emits[before:] if e[0] and e[0][0] == "session_confirm"]
    assert len(confirms) == 1
    confirmed = confirms[0][0][1]
    assert valid_sender(confirmed)
    given_id = data.get("session_id") if isinstance(data, dict) else None
    if expected_valid_sender(given_id):
        assert confirmed == given_id
    if sc.channel.session_persistence:
        assert sc.rooms[-1] == (sid, confirmed)
