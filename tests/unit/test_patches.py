"""rasa_addons/patches.py: every run-time change to Rasa in one seam."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from rasa_addons import patches
from rasa_addons import response_validation_cache as cache


@pytest.fixture
def stock_rasa(monkeypatch):
    """Rasa without the project's class changes before and after the test."""
    patches.remove_action_limit()
    cache.uninstall()
    monkeypatch.setattr(patches, "_announced", False)
    yield
    patches.remove_action_limit()
    cache.uninstall()


def test_the_overrides_were_written_for_this_rasa():
    import rasa

    # On a Rasa upgrade: re-read every attribute in patches.OVERRIDES (and
    # docs/rasa-overrides.md), adapt the overrides, then change WRITTEN_FOR.
    assert rasa.__version__ == patches.WRITTEN_FOR


def test_every_library_attribute_an_override_touches_still_exists():
    touched = [target for override in patches.OVERRIDES for target in override.touches]
    assert len(touched) >= 15
    assert patches.missing_attributes() == []


def test_a_vanished_attribute_is_reported():
    gone = patches.Override(
        "x",
        "rasa_addons/patches.py",
        (
            "rasa.core.actions.action:RemoteAction.no_such_method",
            "rasa.no_such_module:X",
            "rasa.utils.endpoints:EndpointConfig.kwargs",
        ),
    )
    assert patches.missing_attributes((gone,)) == [
        "rasa.core.actions.action:RemoteAction.no_such_method",
        "rasa.no_such_module:X",
    ]


def test_every_override_names_an_existing_project_file():
    from tests.helpers import ROOT

    for override in patches.OVERRIDES:
        assert (ROOT / override.module).is_file(), override


def test_the_overrides_table_for_readers_names_every_override():
    from tests.helpers import ROOT

    table = (ROOT / "docs" / "rasa-overrides.md").read_text(encoding="utf-8")
    for override in patches.OVERRIDES:
        assert f"| {override.name} |" in table, override.name
        assert f"`{override.module}`" in table, override.name


def test_importing_rasa_addons_changes_nothing_in_rasa(stock_rasa):
    import importlib

    from rasa.core.actions.action import RemoteAction

    import rasa_addons
    from rasa_addons import rest_channel, socketio_channel

    stock_run = RemoteAction.run
    for module in (rasa_addons, patches, cache, rest_channel, socketio_channel):
        importlib.reload(module)
    assert not cache.installed()
    assert RemoteAction.run is stock_run


def test_install_is_idempotent_and_names_the_overrides_once(stock_rasa, caplog):
    from rasa.core.actions.action import RemoteAction

    with caplog.at_level(logging.INFO, logger=patches.__name__):
        assert patches.install() == ["custom-action time limit", "response-validation cache"]
        limited = RemoteAction.run
        assert patches.install() == ["custom-action time limit", "response-validation cache"]
    assert RemoteAction.run is limited
    assert RemoteAction.run.unlimited.__qualname__ == "RemoteAction.run"
    assert cache.installed()
    lines = [r.getMessage() for r in caplog.records if "overrides" in r.getMessage()]
    assert len(lines) == 1
    for override in patches.OVERRIDES[:4]:
        assert override.name in lines[0]


@pytest.mark.parametrize("channel", ["rest", "socketio"])
def test_building_either_channel_installs_them(stock_rasa, channel):
    from rasa.core.actions.action import RemoteAction

    from rasa_addons.rest_channel import SafeRestInput
    from rasa_addons.socketio_channel import WidgetSocketIOInput

    built = SafeRestInput() if channel == "rest" else WidgetSocketIOInput()
    built.blueprint(lambda message: None)
    assert cache.installed()
    assert getattr(RemoteAction.run, patches._MARK, False)


def test_another_rasa_keeps_the_time_limit_but_not_the_cache(stock_rasa, monkeypatch, caplog):
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert patches.install() == ["custom-action time limit"]
    assert not cache.installed()
    assert "this is Rasa 3.7.0" in caplog.text


def test_the_time_limit_turns_slow_and_failed_calls_into_outages(stock_rasa, monkeypatch):
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.exceptions import RasaException

    from rasa_addons.outage import ActionServerUnavailable

    calls = []

    async def stock(self, *args, **kwargs):
        behaviour = calls.pop(0)
        return await behaviour()

    async def slow():
        await asyncio.sleep(1)

    async def fails():
        raise RasaException("connection refused")

    async def rejects():
        raise ActionExecutionRejection("action_x")

    async def answers():
        return ["event"]

    monkeypatch.setattr(RemoteAction, "run", stock)
    monkeypatch.setenv("QUIZ_ACTION_TIMEOUT", "0.05")
    patches.limit_action_calls()
    action = RemoteAction("action_x", None)
    calls[:] = [slow, fails, rejects, answers]
    with pytest.raises(ActionServerUnavailable):
        asyncio.run(action.run())
    with pytest.raises(ActionServerUnavailable):
        asyncio.run(action.run())
    with pytest.raises(ActionExecutionRejection):
        asyncio.run(action.run())
    assert asyncio.run(action.run()) == ["event"]


def test_http_routes_answer_an_outage_with_503():
    from sanic import Sanic, response

    from rasa_addons.outage import TrackerStoreUnavailable
    from tests.asgi import AsgiClient

    app = Sanic("quiz_patches_test")

    @app.get("/conversations/<sender>/tracker")
    async def tracker(_request, sender):
        if sender == "down":
            raise TrackerStoreUnavailable()
        return response.json({"sender": sender})

    assert patches.protect_http_api(app) == 1
    assert patches.protect_http_api(app) == 0  # already wrapped
    loop = asyncio.new_event_loop()
    client = AsgiClient(app, loop)
    try:
        ok = client.request("GET", "/conversations/s1/tracker")
        down = client.request("GET", "/conversations/down/tracker")
    finally:
        client.close()
        loop.close()
    assert ok == (200, b'{"sender":"s1"}')
    assert down[0] == 503
    body = json.loads(down[1])
    assert body["error"] == "store_unavailable"
    assert body["message"].startswith("Entschuldigung")


def test_engineio_adds_no_cors_headers_of_its_own():
    from socketio import AsyncServer

    sio = AsyncServer(async_mode="sanic", cors_allowed_origins=["http://localhost:8080"])
    environ = {"HTTP_ORIGIN": "http://localhost:8080", "REQUEST_METHOD": "GET"}
    assert sio.eio._cors_headers(environ)  # engine.io's own headers, which Rasa duplicates
    assert patches.without_engineio_cors_headers(sio) is sio
    assert sio.eio._cors_headers(environ) == []
    assert sio.eio.cors_allowed_origins == ["http://localhost:8080"]  # the check stays on
