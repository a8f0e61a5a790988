"""rasa_addons/socketio_channel.py: the origins the channel accepts, the Markdown the
widget gets, and socket.io events without a payload, or with several arguments, as
python-socketio dispatches them (`AsyncServer._trigger_event` calls the handler with the
client's arguments only): an answer to the client, nothing passed to Rasa, no exception.
Any message and any body: tests/unit/test_channels_properties.py.
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


# -- origins ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, []),
        ("", []),
        ("http://localhost:8080", ["http://localhost:8080"]),
        ("https://a.example/, http://b.example:81", ["https://a.example", "http://b.example:81"]),
        ("https://a.example  https://a.example", ["https://a.example"]),
        (["https://a.example", " http://[::1]:8080 "], ["https://a.example", "http://[::1]:8080"]),
    ],
)
def test_origins_are_parsed_normalised_and_deduplicated(value, expected):
    from rasa_addons.socketio_channel import parse_origins

    assert parse_origins(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "https://*.example",
        "ftp://a.example",
        "a.example",
        "https://a.example/chat",
        "https://a.example?x=1",
        "https://a.example#top",
        ["https://a.example", "*"],
    ],
)
def test_wildcards_paths_and_other_schemes_are_refused(value):
    from rasa_addons.socketio_channel import parse_origins

    with pytest.raises(ValueError, match="Invalid web origin"):
        parse_origins(value)


def test_the_environment_wins_over_the_credentials_and_the_defaults(monkeypatch):
    from rasa_addons.socketio_channel import DEFAULT_ORIGINS, allowed_origins

    monkeypatch.delenv("WEB_ORIGINS", raising=False)
    assert allowed_origins() == list(DEFAULT_ORIGINS)
    assert allowed_origins("https://cred.example") == ["https://cred.example"]
    monkeypatch.setenv("WEB_ORIGINS", "https://env.example")
    assert allowed_origins("https://cred.example") == ["https://env.example"]
    monkeypatch.setenv("WEB_ORIGINS", "*")
    with pytest.raises(ValueError):
        allowed_origins()


def test_the_channel_hands_its_origins_to_engineio(channel):
    assert channel.channel.sio.eio.cors_allowed_origins == channel.channel.cors_allowed_origins
    assert channel.channel.cors_allowed_origins  # never empty: empty turns the check off


# -- Markdown for the widget ----------------------------------------------------------------


@pytest.mark.parametrize(
    "part, expected",
    [
        ("eins", "eins"),
        ("eins\nzwei", "eins\n\nzwei"),
        ("Vorteile:\n- schnell\n- günstig\nFazit", "Vorteile:\n\n- schnell\n- günstig\n\nFazit"),
        ("1. erst\n2) dann", "1. erst\n2) dann"),
        ("  eingerückt  \n\n\nleer", "eingerückt\n\nleer"),
        ("-kein Listenpunkt", "-kein Listenpunkt"),
    ],
)
def test_each_line_becomes_a_paragraph_and_list_items_a_list(part, expected):
    from rasa_addons.socketio_channel import to_widget_markdown

    assert to_widget_markdown(part) == expected


def test_blank_lines_split_bubbles_as_in_rasa():
    from rasa_addons.socketio_channel import _parts

    assert _parts("Erste Blase\nZeile zwei\n\n- a\n- b") == [
        "Erste Blase\n\nZeile zwei",
        "- a\n- b",
    ]
    assert _parts("   ") == ["   "]  # nothing to convert: Rasa's text as it was


def test_buttons_go_with_the_last_bubble(channel):
    from rasa_addons.socketio_channel import WidgetSocketIOOutput

    sent: List[Tuple[str, dict]] = []

    class Output(WidgetSocketIOOutput):
        async def _send_message(self, socket_id, response):
            sent.append((socket_id, response))

    output = Output(channel.channel.sio, "bot_uttered")
    buttons = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nein", "payload": "/deny"}]
    channel.loop.run_until_complete(
        output.send_text_with_buttons("s1", "Frage?\n\nWirklich?", buttons)
    )
    assert [m["text"] for _, m in sent] == ["Frage?", "Wirklich?"]
    assert sent[0][1]["quick_replies"] == []
    assert [b["payload"] for b in sent[1][1]["quick_replies"]] == ["/affirm", "/deny"]
    assert {socket for socket, _ in sent} == {"s1"}
