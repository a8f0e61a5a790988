"""rasa_addons/rest_channel.py, example by example: the health route, the status and
German text of each refusal, what reaches Rasa, and the 503 of an outage. Any body,
Hypothesis-driven: tests/unit/test_channels_properties.py.
"""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any, List, Optional

import pytest
import yaml

from rasa_addons import channel_support, outage
from tests.asgi import AsgiClient
from tests.helpers import ROOT

# Sanic warns on every ASGI request that startup listeners run early; that is how its
# test client works.
pytestmark = [pytest.mark.filterwarnings("ignore:You have set a listener:UserWarning")]

WEBHOOK = "/webhooks/rest/webhook"


class FakeRasa:
    """A fake `on_new_message`: records each message and answers "Antwort", or raises
    `error` when one is set.
    """

    def __init__(self) -> None:
        self.messages: List[Any] = []
        self.error: Optional[BaseException] = None

    async def __call__(self, message) -> None:
        if self.error is not None:
            raise self.error
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Antwort")


@pytest.fixture(scope="module")
def rest():
    from sanic import Sanic

    from rasa_addons.rest_channel import SafeRestInput

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    channel = SafeRestInput.from_credentials(credentials["rasa_addons.rest_channel.SafeRestInput"])
    rasa = FakeRasa()
    app = Sanic("quiz_rest_channel_tests")
    app.ctx.agent = SimpleNamespace(domain=None)  # no model loaded: no payloads
    app.blueprint(channel.blueprint(rasa), url_prefix="/webhooks/rest")
    client = AsgiClient(app, loop)
    yield SimpleNamespace(client=client, rasa=rasa)
    client.close()
    loop.close()


@pytest.fixture
def rasa(rest):
    rest.rasa.messages.clear()
    rest.rasa.error = None
    yield rest.rasa
    rest.rasa.error = None


def post(rest, body: Any) -> tuple:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, data = rest.client.request("POST", WEBHOOK, raw)
    return status, json.loads(data)


def test_the_health_route_answers_ok(rest):
    status, data = rest.client.request("GET", "/webhooks/rest/")
    assert (status, json.loads(data)) == (200, {"status": "ok"})


def test_a_message_reaches_rasa_and_the_reply_comes_back(rest, rasa):
    body = {"sender": "a.b:c", "message": "  Ich bin Bankkauffrau ", "metadata": {"x": 1}}
    status, replies = post(rest, body)
    assert (status, replies) == (200, [{"recipient_id": "a.b:c", "text": "Antwort"}])
    (message,) = rasa.messages
    assert (message.sender_id, message.text) == ("a.b:c", "Ich bin Bankkauffrau")
    assert message.input_channel == "rest" and message.metadata == {"x": 1}


@pytest.mark.parametrize("body", [b"kaputt", b"[]", b'"Hallo"', b"\xff\xfe"])
def test_a_body_that_is_no_json_object_is_refused(rest, rasa, body):
    status, replies = post(rest, body)
    assert (status, replies) == (400, [{"text": channel_support.text("bad_request")}])
    assert rasa.messages == []


@pytest.mark.parametrize("sender", [None, "", "a b", "x" * 129, 7])
def test_a_bad_sender_is_refused_without_a_recipient(rest, rasa, sender):
    status, replies = post(rest, {"sender": sender, "message": "Hallo"})
    assert (status, replies) == (400, [{"text": channel_support.text("bad_sender")}])
    assert rasa.messages == []


@pytest.mark.parametrize("message", [42, ["Hallo"], "a\u0000b", "\x07", "\udfff"])
def test_a_bad_text_is_refused_with_a_german_answer(rest, rasa, message):
    status, replies = post(rest, {"sender": "u1", "message": message})
    assert status == 400
    assert replies == [{"recipient_id": "u1", "text": channel_support.text("bad_text")}]
    assert "Zeichen" in replies[0]["text"] and rasa.messages == []


def test_a_missing_message_is_an_empty_one(rest, rasa):
    assert post(rest, {"sender": "u1"}) == (200, [{"recipient_id": "u1", "text": "Antwort"}])
    assert [m.text for m in rasa.messages] == [""]


def test_a_long_message_is_answered_and_not_passed_on(rest, rasa):
    status, replies = post(rest, {"sender": "u1", "message": "Wort " * 500})
    assert (status, replies) == (
        200,
        [{"recipient_id": "u1", "text": channel_support.text("too_long")}],
    )
    assert "2.000" in replies[0]["text"] and rasa.messages == []


@pytest.mark.parametrize(
    "error,key",
    [
        (outage.TrackerStoreUnavailable(), "store_unavailable"),
        (outage.ActionServerUnavailable(), "actions_unavailable"),
        (RuntimeError("a bug"), "unavailable"),
    ],
)
def test_an_outage_answers_503_with_an_apology_and_retry_after(rest, rasa, error, key):
    rasa.error = error
    status, replies = post(rest, {"sender": "u1", "message": "Hallo"})
    assert (status, replies) == (503, [{"recipient_id": "u1", "text": channel_support.text(key)}])
    assert rest.client.last_headers["retry-after"] == "30"
