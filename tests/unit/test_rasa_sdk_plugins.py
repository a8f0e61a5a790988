"""rasa_sdk_plugins: the action server's token check, error answer and warm-up, on
rasa_sdk's own app (driven over ASGI, no server; live: tests/integration/
test_hardening_live.py).
"""

from __future__ import annotations

import asyncio
import json
import sys
from types import SimpleNamespace
from typing import Any, Dict, List

import pytest
from rasa_sdk import Action

import rasa_sdk_plugins
from rasa_sdk_plugins import TOKEN_HEADER, token_accepted
from tests.asgi import AsgiClient

pytestmark = [pytest.mark.filterwarnings("ignore:You have set a listener:UserWarning")]

TOKEN = "unit-test-token"


class ActionPluginTestAnswer(Action):
    """Answers with one slot event."""

    def name(self) -> str:
        return "action_plugin_test_answer"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        return [{"event": "slot", "name": "x", "value": 1}]


class ActionPluginTestFail(Action):
    """Fails, as a bug would."""

    def name(self) -> str:
        return "action_plugin_test_fail"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        raise RuntimeError("secret tracker content")


@pytest.fixture(scope="module")
def server():
    """rasa_sdk's app with the plugin attached, as `rasa run actions` builds it, with the
    token configured and the warm-up replaced by a recorder.
    """
    from rasa_sdk.endpoint import create_app

    warmed: List[str] = []
    patch = pytest.MonkeyPatch()
    patch.setenv("QUIZ_ACTION_TOKEN", TOKEN)
    patch.setitem(
        sys.modules, "actions.actions", SimpleNamespace(warm_up=lambda: warmed.append("models"))
    )
    patch.setattr(rasa_sdk_plugins, "resume_outbox", lambda: warmed.append("outbox"))
    app = create_app(__name__)
    rasa_sdk_plugins.QuizActionServer().attach_sanic_app_extensions(app)
    loop = asyncio.new_event_loop()
    client = AsgiClient(app, loop)
    yield SimpleNamespace(client=client, warmed=warmed)
    client.close()
    loop.close()
    patch.undo()


def _call(action: str, text: str = "Hallo") -> bytes:
    tracker = {"sender_id": "s1", "slots": {}, "latest_message": {"text": text}, "events": []}
    return json.dumps(
        {
            "next_action": action,
            "sender_id": "s1",
            "tracker": tracker,
            "domain": {},
            "version": "3.6.21",
        }
    ).encode()


def _post(server, body: bytes, token=None):
    headers = [] if token is None else [(TOKEN_HEADER.lower().encode(), token.encode())]
    return server.client.request("POST", "/webhook", body, headers=headers)


def test_the_warm_up_runs_before_the_server_accepts_requests(server):
    assert server.warmed == ["models", "outbox"]


def test_a_call_with_the_token_runs_the_action(server):
    status, body = _post(server, _call("action_plugin_test_answer"), TOKEN)
    assert status == 200
    assert json.loads(body)["events"] == [{"event": "slot", "name": "x", "value": 1}]


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x"])
def test_calls_without_the_right_token_are_refused(server, token):
    assert _post(server, _call("action_plugin_test_answer"), token) == (
        401,
        b'{"error":"unauthorized"}',
    )
    headers = [] if token is None else [(TOKEN_HEADER.lower().encode(), token.encode())]
    assert server.client.request("GET", "/actions", headers=headers)[0] == 401


def test_the_health_check_needs_no_token(server):
    assert server.client.request("GET", "/health") == (200, b'{"status":"ok"}')


@pytest.mark.parametrize("body", [b"", b"[]", b"null", b"{", b"\xff"])
def test_a_body_that_is_no_json_object_is_refused(server, body):
    status, answer = _post(server, body, TOKEN)
    assert status == 400
    assert json.loads(answer) == {"error": "the body must be a JSON object"}


def test_an_error_answers_500_without_the_request(server):
    status, body = _post(server, _call("action_plugin_test_fail", "mein Geheimnis"), TOKEN)
    assert status == 500
    assert json.loads(body) == {"error": "action server error"}


def test_a_token_must_be_configured_and_equal():
    assert not token_accepted("", "")
    assert not token_accepted("", "anything")
    assert not token_accepted("abc", None)
    assert token_accepted("abc", "abc")
    assert not token_accepted("abc", "abd")
