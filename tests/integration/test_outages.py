"""Outages without a Rasa server: tracker-store errors fail one request, never the
process; the custom-action time limit (rasa_addons/patches.py) turns an unreachable,
slow or failing action server into an outage.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from rasa_addons.outage import ActionServerUnavailable, TrackerStoreUnavailable

# -- tracker store: a database error fails one request, never the process ----


def _tracker(sender: str):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(
        sender, [UserUttered("Hallo")], slots=Domain.empty().slots
    )


def _store(url: str):
    from sqlalchemy.engine import make_url

    from rasa_addons.tracker_store import IndexedSQLTrackerStore

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return IndexedSQLTrackerStore(dialect="sqlite", db=parsed.database)
    return IndexedSQLTrackerStore(
        dialect="postgresql",
        host=parsed.host,
        port=parsed.port,
        username=parsed.username,
        db=parsed.database,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    from devtools.databases import throwaway_postgres_database

    with throwaway_postgres_database("quiz_ts_") as url:
        yield url


async def _fails_only_that_request(store, sender: str) -> None:
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(_tracker(sender))
    await store.save(_tracker("good-sender"))
    assert (await store.retrieve("good-sender")).sender_id == "good-sender"


async def test_a_lone_surrogate_in_a_sender_fails_only_that_request(tracker_store_url):
    store = _store(tracker_store_url)
    try:
        await _fails_only_that_request(store, "x\udfff")
    finally:
        store.engine.dispose()


async def test_a_nul_in_a_sender_fails_only_that_request_on_postgresql():
    from devtools.databases import throwaway_postgres_database

    with throwaway_postgres_database("quiz_ts_") as url:
        store = _store(url)
        try:
            await _fails_only_that_request(store, "a\x00b")
        finally:
            store.engine.dispose()


async def test_a_missing_table_fails_the_request_and_recovers(tracker_store_url):
    import sqlalchemy as sa

    store = _store(tracker_store_url)
    try:
        await store.save(_tracker("s1"))
        with store.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE events RENAME TO events_off"))
        with pytest.raises(TrackerStoreUnavailable):
            await store.retrieve("s1")
        with store.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE events_off RENAME TO events"))
        assert len((await store.retrieve("s1")).events) >= 1
    finally:
        store.engine.dispose()


def test_store_errors_pass_rasas_fail_safe_wrapper():
    # FailSafeTrackerStore catches Exception and would continue on an empty tracker.
    assert not issubclass(TrackerStoreUnavailable, Exception)
    assert not issubclass(TrackerStoreUnavailable, (SystemExit, KeyboardInterrupt))


# -- custom-action time limit (rasa_addons/patches.py) -----------------------------


async def _action_server(handler) -> tuple:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/webhook"


async def _run_remote(url: str):
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    from rasa_addons.patches import limit_action_calls

    limit_action_calls()
    domain = Domain.empty()
    action = RemoteAction("action_x", EndpointConfig(url))
    return await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), _tracker("s1"), domain
    )


async def test_an_unreachable_action_server_is_an_outage():
    from devtools.stack import free_port

    with pytest.raises(ActionServerUnavailable):
        await _run_remote(f"http://127.0.0.1:{free_port()}/webhook")


async def test_a_slow_action_is_cut_at_the_timeout(monkeypatch):
    monkeypatch.setenv("QUIZ_ACTION_TIMEOUT", "0.5")

    async def slow(_request):
        await asyncio.sleep(10)
        return web.json_response({"events": []})

    runner, url = await _action_server(slow)
    try:
        started = time.monotonic()
        with pytest.raises(ActionServerUnavailable):
            await _run_remote(url)
        assert time.monotonic() - started < 3
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("status", [401, 500])
async def test_an_action_server_error_is_an_outage(status):
    async def failing(_request):
        return web.json_response({"error": "x"}, status=status)

    runner, url = await _action_server(failing)
    try:
        with pytest.raises(ActionServerUnavailable):
            await _run_remote(url)
    finally:
        await runner.cleanup()


async def test_a_rejection_is_not_an_outage():
    from rasa.core.actions.action import ActionExecutionRejection

    async def rejecting(_request):
        return web.json_response({"action_name": "action_x", "error": "no"}, status=400)

    runner, url = await _action_server(rejecting)
    try:
        with pytest.raises(ActionExecutionRejection):
            await _run_remote(url)
    finally:
        await runner.cleanup()


async def test_a_working_action_server_passes():
    async def ok(_request):
        return web.json_response({"events": [{"event": "slot", "name": "x", "value": 1}]})

    runner, url = await _action_server(ok)
    try:
        events = await _run_remote(url)
        assert [e.as_dict()["name"] for e in events] == ["x"]
    finally:
        await runner.cleanup()
