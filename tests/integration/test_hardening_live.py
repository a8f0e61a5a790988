"""Faults and bad input against the real servers: what the visitor sees, what is stored.

One stack on SQLite (the default) and one with the tracker store on PostgreSQL.
Faults are real: the tracker table is renamed under the running server, the
action server is paused (SIGSTOP: it accepts connections and never answers) or
stopped, requests carry what no database stores.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from devtools.contextual import PREFIX
from devtools.databases import throwaway_postgres_database
from devtools.stack import ACTION_TOKEN, results_repository, running_stack

pytestmark = pytest.mark.live

APOLOGY = "Entschuldigung"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("hardening")) as running:
        yield running


def new_sender() -> str:
    return f"hard-{uuid.uuid4().hex[:12]}"


def post(stack, body, timeout: float = 60) -> requests.Response:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=data,
        headers={"Content-Type": "application/json"},
        timeout=timeout,
    )


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def at_languages_question(stack) -> str:
    sender = new_sender()
    for message in PREFIX["languages"]:
        stack.send(sender, message)
    assert stack.tracker(sender)["slots"]["requested_slot"] == "languages"
    return sender


def assert_alive(stack) -> None:
    assert all(p.poll() is None for p in stack.processes[:2]), "a server exited"
    assert stack.send(new_sender(), "Hallo")


def assert_outage_then_recovery(stack, sender, break_it, repair) -> None:
    """The answer to the languages question fails with 503 while `break_it` holds,
    changes nothing, and is accepted once `repair` ran.
    """
    events_before = len(stack.tracker(sender)["events"])
    break_it()
    try:
        response = post(stack, {"sender": sender, "message": "Englisch fließend"})
        assert response.status_code == 503, response.text
        assert response.headers.get("Retry-After")
        assert APOLOGY in texts(response.json()) and "noch einmal" in texts(response.json())
        assert stack.processes[1].poll() is None, "the Rasa server exited"
    finally:
        repair()
    tracker = stack.tracker(sender)
    assert len(tracker["events"]) == events_before, "the failed message left events"
    assert tracker["slots"]["languages"] is None
    replies = stack.send(sender, "Englisch fließend")
    assert "Notiert: Englisch fließend" in texts(replies)
    assert stack.tracker(sender)["slots"]["languages"] == ["en:fluent"]


# -- tracker store outage ------------------------------------------------------


def test_sqlite_tracker_store_outage_is_a_503_and_recovers(stack):
    sender = at_languages_question(stack)

    def rename(old, new):
        with sqlite3.connect(stack.tracker_db, timeout=30) as conn:
            conn.execute(f"ALTER TABLE {old} RENAME TO {new}")

    assert_outage_then_recovery(
        stack,
        sender,
        lambda: rename("events", "events_off"),
        lambda: rename("events_off", "events"),
    )
    assert_alive(stack)


def test_http_api_answers_503_during_a_store_outage(stack):
    sender = new_sender()
    stack.send(sender, "Hallo")
    with sqlite3.connect(stack.tracker_db, timeout=30) as conn:
        conn.execute("ALTER TABLE events RENAME TO events_off")
    try:
        response = requests.get(
            f"{stack.rasa_url}/conversations/{sender}/tracker",
            params={"token": stack.token},
            timeout=30,
        )
        assert response.status_code == 503
        assert response.json()["error"] == "store_unavailable"
    finally:
        with sqlite3.connect(stack.tracker_db, timeout=30) as conn:
            conn.execute("ALTER TABLE events_off RENAME TO events")
    assert stack.tracker(sender)["events"]


def test_postgresql_tracker_store_outage_is_a_503_and_recovers(tmp_path):
    with throwaway_postgres_database("quiz_tracker_") as url:
        extra = (
            f"tracker_store:\n  type: rasa_addons.tracker_store.IndexedSQLTrackerStore\n"
            f"  url: {url}\n"
        )
        # Rasa's SQL store takes a full URL in `url` (host part) and no dialect.
        with running_stack(tmp_path, endpoints_extra=extra) as pg_stack:
            sender = at_languages_question(pg_stack)
            admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", future=True)

            def rename(old, new):
                with admin.connect() as conn:
                    conn.execute(sa.text(f"ALTER TABLE {old} RENAME TO {new}"))

            try:
                with admin.connect() as conn:
                    assert (
                        conn.execute(
                            sa.text("SELECT count(*) FROM events WHERE sender_id = :s"),
                            {"s": sender},
                        ).scalar()
                        > 0
                    ), "the tracker is not in PostgreSQL"
                assert_outage_then_recovery(
                    pg_stack,
                    sender,
                    lambda: rename("events", "events_off"),
                    lambda: rename("events_off", "events"),
                )
                # What PostgreSQL cannot store never reaches it: refused with 400.
                response = post(pg_stack, '{"sender": "a\\u0000b", "message": "Hallo"}')
                assert response.status_code == 400
                assert_alive(pg_stack)
            finally:
                admin.dispose()


# -- action server outage -------------------------------------------------------


def test_a_hanging_action_server_gets_an_apology_within_the_timeout(stack):
    sender = at_languages_question(stack)
    actions = stack.processes[0]
    started = {}

    def pause():
        actions.send_signal(signal.SIGSTOP)
        started["t"] = time.monotonic()

    def resume():
        started["elapsed"] = time.monotonic() - started["t"]
        actions.send_signal(signal.SIGCONT)

    assert_outage_then_recovery(stack, sender, pause, resume)
    # One custom-action call is cut at 5 s (QUIZ_ACTION_TIMEOUT); Rasa used to wait 300 s.
    assert started["elapsed"] < 20


def test_a_stopped_action_server_gets_an_apology_and_the_retry_continues(stack):
    sender = at_languages_question(stack)
    assert_outage_then_recovery(stack, sender, stack.stop_actions, stack.start_actions)
    assert_alive(stack)


# -- the action server trusts only the Rasa server ------------------------------


def forged_call(sender: str, secret: str = "") -> dict:
    return {
        "next_action": "action_recommend_variant",
        "sender_id": sender,
        "version": "3.6.21",
        "tracker": {
            "sender_id": sender,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
            "latest_message": {"text": secret, "intent": {"name": "inform"}, "entities": []},
            "slots": {
                "training": ["office"],
                "languages": [],
                "task_preference": "assistance",
                "recommended_variant": "x",
            },
        },
        "domain": {},
    }


@pytest.mark.parametrize(
    "headers", [{}, {"X-Quiz-Action-Token": "wrong"}, {"Authorization": f"Bearer {ACTION_TOKEN}"}]
)
def test_forged_action_calls_are_refused_and_store_nothing(stack, headers):
    sender = new_sender()
    response = requests.post(
        f"{stack.action_url}/webhook", json=forged_call(sender), headers=headers, timeout=10
    )
    assert response.status_code == 401
    assert sender not in response.text
    with results_repository(stack) as repository:
        assert repository.results_for(sender) == []
    assert requests.get(f"{stack.action_url}/health", timeout=10).status_code == 200


def test_action_server_errors_do_not_echo_the_tracker(stack):
    secret = "Meine vertrauliche Antwort"
    headers = {"X-Quiz-Action-Token": ACTION_TOKEN}
    call = forged_call(new_sender(), secret)
    call["next_action"] = "no_such_action"
    for body in (call, [secret], {"tracker": secret}):
        response = requests.post(
            f"{stack.action_url}/webhook", json=body, headers=headers, timeout=10
        )
        assert response.status_code != 500 or response.json() == {"error": "action server error"}
        assert secret not in response.text, response.text


# -- bad input over REST ----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"sender": "x\\udfff", "message": "Hallo"}',  # the request that used to stop the site
        '{"sender": "a\\u0000b", "message": "Hallo"}',
        '{"sender": "zu lang ' + "x" * 200 + '", "message": "Hallo"}',
        '{"sender": "ok-sender", "message": "Ha\\udfffllo"}',
        '{"sender": "ok-sender", "message": "Ha\\u0000llo"}',
        '{"sender": "ok-sender", "message": "\\u001b[31mrot"}',
        b'{"sender": "ok-sender", "message": "\xff\xfe"}',
        '{"sender": "ok-sender", "message": ["Hallo"]}',
    ],
)
def test_unstorable_ids_and_texts_get_400_and_change_nothing(stack, body):
    response = post(stack, body)
    assert response.status_code == 400, response.text
    assert response.json()[0]["text"].startswith(("Die Anfrage", "Ihre Nachricht"))
    events = requests.get(
        f"{stack.rasa_url}/conversations/ok-sender/tracker",
        params={"token": stack.token},
        timeout=10,
    ).json()["events"]
    assert [e for e in events if e["event"] == "user"] == []
    assert_alive(stack)


def test_a_body_over_the_limit_is_refused_by_the_server(stack):
    from career_quiz.input_checks import MAX_BODY_BYTES

    body = json.dumps({"sender": new_sender(), "message": "x" * (MAX_BODY_BYTES + 1000)})
    assert post(stack, body).status_code == 413
    assert_alive(stack)


def test_a_long_message_gets_please_shorten_and_is_not_stored(stack):
    sender = at_languages_question(stack)
    events_before = len(stack.tracker(sender)["events"])
    long_text = "Ich spreche Englisch. " * 120  # 2,640 characters
    response = post(stack, {"sender": sender, "message": long_text})
    assert response.status_code == 200
    assert "kürzer" in texts(response.json())
    tracker = stack.tracker(sender)
    assert len(tracker["events"]) == events_before
    assert tracker["slots"]["requested_slot"] == "languages"


@pytest.mark.parametrize(
    "command",
    [
        "/restart",
        "/session_start",
        "/back",
        "/nlu_fallback",
        "/nonexistent_intent",
        '/inform{"training": "evil"}',
        '/inform{"recommended_variant": "specialist"}',
        "/",
    ],
)
def test_slash_commands_always_get_an_answer(stack, command):
    sender = at_languages_question(stack)
    response = post(stack, {"sender": sender, "message": command})
    assert response.status_code == 200
    replies = response.json()
    assert replies and all(r.get("text") for r in replies), replies
    slots = stack.tracker(sender)["slots"]
    if command == "/restart":
        # Read as the words "restart": a clear request, done and said.
        assert "von vorne" in texts(replies) and slots["training"] is None
        return
    # Nothing else resets or forges anything: the stored training stays.
    assert slots["training"] == ["office"], (command, texts(replies))
    assert slots["recommended_variant"] is None


# -- socket.io ---------------------------------------------------------------------


def test_socketio_refuses_bad_input_and_answers_outages(stack):
    asyncio.run(_socketio_session(stack))


async def _socketio_session(stack) -> None:
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    bot, errors = asyncio.Queue(), asyncio.Queue()
    client.on("bot_uttered", lambda data: bot.put_nowait(data))
    client.on("quiz_error", lambda data: errors.put_nowait(data))
    confirmed = asyncio.get_running_loop().create_future()
    client.on("session_confirm", lambda sid: confirmed.set_result(sid))
    await client.connect(
        stack.rasa_url,
        socketio_path="/socket.io",
        headers={"Origin": "http://localhost:8080"},
        # engine.io's WebSocket client needs a newer aiohttp than Rasa's
        transports=["polling"],
    )
    try:
        session = f"sio{uuid.uuid4().hex}"
        await client.emit("session_request", {"session_id": session})
        assert await asyncio.wait_for(confirmed, 30) == session

        async def say(message, session_id=session):
            await client.emit("user_uttered", {"message": message, "session_id": session_id})

        async def next_of(queue):
            return await asyncio.wait_for(queue.get(), 60)

        await say("Hallo")
        assert (await next_of(bot))["text"]
        while not bot.empty():
            bot.get_nowait()

        await say("Hallo", session_id="bad id\x00")
        assert (await next_of(errors))["error"] == "bad_sender"
        await say("Ha\x00llo")
        assert (await next_of(errors))["error"] == "bad_text"
        assert "Zeichen" in (await next_of(bot))["text"]
        await say("x" * 2500)
        assert "kürzer" in (await next_of(bot))["text"]

        stack.processes[0].send_signal(signal.SIGSTOP)
        try:
            await say("/start_quiz")
            assert APOLOGY in (await next_of(bot))["text"]
        finally:
            stack.processes[0].send_signal(signal.SIGCONT)
        tracker = stack.tracker(session)
        assert not (tracker.get("active_loop") or {}).get("name"), "the quiz started anyway"
    finally:
        await client.disconnect()
