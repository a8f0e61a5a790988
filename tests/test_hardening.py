"""Hardening without servers: input checks, tracker-store errors, the custom-action
guard, the action server's authentication and the hash salt."""

from __future__ import annotations

import asyncio
import os
import stat
import time

import pytest
from aiohttp import web

from rasa_addons import input_checks
from rasa_addons.outage import ActionServerUnavailable, TrackerStoreUnavailable

# -- input checks (rasa_addons/input_checks.py) -----------------------------

INTENTS = frozenset({"inform", "start_quiz", "start_over", "feedback_positive"})
ENTITIES = frozenset({"training", "languages", "task_preference", "skip"})


@pytest.mark.parametrize("sender,ok", [
    ("abc", True), ("live-1a2b", True), ("a.b:c_d-e", True), ("x" * 128, True),
    ("", False), ("x" * 129, False), ("x\udfff", False), ("a\x00b", False),
    ("a b", False), ("ä", False), (5, False), (None, False), (["a"], False),
])
def test_sender_ids_are_whitelisted(sender, ok):
    assert input_checks.valid_sender(sender) is ok


@pytest.mark.parametrize("text,ok", [
    ("Hallo", True), ("Zeile 1\nZeile 2\r\n\tEnde", True), ("🙂 Ärger", True), ("", True),
    ("Ha\x00llo", False), ("Ha\udfffllo", False), ("bell\x07", False), ("\x1b[31m", False),
    ("del\x7f", False), ("\x85next line", False), (5, False), (None, False),
])
def test_texts_must_be_clean_unicode(text, ok):
    assert input_checks.valid_text(text) is ok


def test_check_message_verdicts():
    assert input_checks.check_message("s1", "Hallo").status == input_checks.OK
    assert input_checks.check_message("s1", None).text == ""
    assert input_checks.check_message("bad id", "Hallo").status == input_checks.BAD_SENDER
    assert input_checks.check_message("s1", "a\x00").status == input_checks.BAD_TEXT
    assert input_checks.check_message("s1", 7).status == input_checks.BAD_TEXT
    assert input_checks.check_message("s1", "x" * 2001).status == input_checks.TOO_LONG
    assert input_checks.check_message("s1", "x" * 2000).status == input_checks.OK


@pytest.mark.parametrize("text,expected", [
    ('/inform{"training": "office"}', '/inform{"training": "office"}'),
    ("/start_quiz", "/start_quiz"),
    ("/restart", "restart"),
    ("/session_start", "session_start"),
    ("/nonexistent", "nonexistent"),
    ('/inform{"recommended_variant": "specialist"}', 'inform{"recommended_variant": "specialist"}'),
    ("/inform{broken", "inform{broken"),
    ("//start_quiz", "start_quiz"),
    ("Hallo /restart", "Hallo /restart"),
])
def test_only_the_domains_own_payloads_pass(text, expected):
    assert input_checks.screen_payload(text, INTENTS, ENTITIES) == expected


def test_builtin_intents_are_not_user_intents():
    from rasa.shared.core.constants import DEFAULT_INTENTS

    allowed = input_checks.user_intents({"inform", "restart", "session_start"},
                                        set(DEFAULT_INTENTS))
    assert allowed == {"inform"}


def test_metadata_with_bad_text_is_dropped():
    assert input_checks.clean_metadata({"a": ["b", {"c": 1.5}]}) == {"a": ["b", {"c": 1.5}]}
    assert input_checks.clean_metadata({"a": "x\x00"}) is None
    assert input_checks.clean_metadata({"a\udfff": 1}) is None
    assert input_checks.clean_metadata([1]) is None
    assert input_checks.clean_metadata({"a": {"b": {"c": {"d": {"e": 1}}}}}) is None


def test_channel_texts_are_german_and_complete():
    from rasa_addons import guard, outage

    keys = {"too_long", "bad_text", "bad_sender", "bad_request",
            outage.ServiceUnavailable.text_key, outage.TrackerStoreUnavailable.text_key,
            outage.ActionServerUnavailable.text_key}
    for key in keys:
        assert guard.text(key) and "{" not in guard.text(key).replace('{"sender"', "")
    assert "2.000" in guard.text("too_long")
    assert "noch einmal" in guard.text("store_unavailable")


# -- tracker store: a database error fails one request, never the process ----


def _tracker(sender: str):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(sender, [UserUttered("Hallo")],
                                            slots=Domain.empty().slots)


def _store(url: str):
    from sqlalchemy.engine import make_url

    from rasa_addons.tracker_store import IndexedSQLTrackerStore

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return IndexedSQLTrackerStore(dialect="sqlite", db=parsed.database)
    return IndexedSQLTrackerStore(dialect="postgresql", host=parsed.host, port=parsed.port,
                                  username=parsed.username, db=parsed.database)


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    from tests.conftest import throwaway_postgres_database

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
    from tests.conftest import throwaway_postgres_database

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


# -- custom-action guard (rasa_addons/outage.py) -----------------------------


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

    from rasa_addons.outage import guard_remote_actions

    guard_remote_actions()
    domain = Domain.empty()
    action = RemoteAction("action_x", EndpointConfig(url))
    return await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                            _tracker("s1"), domain)


async def test_an_unreachable_action_server_is_an_outage():
    from tests.live import free_port

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


# -- the action server's authentication (rasa_sdk_plugins; live: test_hardening_live) --


def test_without_a_configured_token_every_call_is_refused():
    from rasa_sdk_plugins import token_accepted

    assert not token_accepted("", "")
    assert not token_accepted("", "anything")
    assert not token_accepted("abc", None)
    assert token_accepted("abc", "abc")
    assert not token_accepted("abc", "abd")


# -- hash salt (actions/settings.py) -----------------------------------------


def test_a_salt_is_generated_once_and_kept(tmp_path, monkeypatch):
    from actions import settings

    monkeypatch.delenv("QUIZ_HASH_SALT", raising=False)
    monkeypatch.setenv("QUIZ_HASH_SALT_FILE", str(tmp_path / "var" / "hash_salt"))
    first = settings.hash_salt()
    assert len(first) == 64
    assert settings.hash_salt() == first
    mode = stat.S_IMODE(os.stat(tmp_path / "var" / "hash_salt").st_mode)
    assert mode == 0o600
    monkeypatch.setenv("QUIZ_HASH_SALT", "configured")
    assert settings.hash_salt() == "configured"


def test_stored_hashes_are_salted_by_default(tmp_path, monkeypatch):
    import hashlib

    from actions import settings
    from actions.repository import hash_conversation

    monkeypatch.delenv("QUIZ_HASH_SALT", raising=False)
    monkeypatch.setenv("QUIZ_HASH_SALT_FILE", str(tmp_path / "hash_salt"))
    salted = hash_conversation("known-id", settings.hash_salt())
    assert salted != hashlib.sha256(b"known-id").hexdigest()
