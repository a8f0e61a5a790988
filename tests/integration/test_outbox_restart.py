"""Live: a result queued during a database outage survives a killed action server.

The real action server (no Rasa server: the test posts the action call Rasa would
send) queues a result while the results table is missing, is killed with SIGKILL, the
table comes back, and nothing delivers it while no server runs. The restarted action
server starts its retry thread at start-up (rasa_sdk_plugins.resume_outbox): exactly
one row arrives within a few retry intervals, with no new write to trigger it.
About 30 s (two action-server starts).
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Dict

import pytest
import requests
import sqlalchemy as sa

from career_quiz.outbox import Outbox
from devtools.procs import stop_tree
from devtools.stack import (
    ACTION_TOKEN,
    BIN,
    HASH_SALT,
    free_port,
    init_results_db,
    rasa_env,
    serving_env,
    start,
    wait_until_ready,
)

pytestmark = pytest.mark.live

RETRY_SECONDS = 1
SENDER = "outbox-restart-visitor"
SLOTS = {
    "training": ["bank_insurance"],
    "languages": ["cs:business"],
    "task_preference": "specialist",
}


def action_call() -> Dict:
    """What the Rasa server posts to run action_recommend_variant after the last answer."""
    user = {
        "event": "user",
        "timestamp": 1733200000.25,
        "text": "Zahlen und Buchhaltung",
        "parse_data": {"intent": {"name": "inform", "confidence": 1.0}, "entities": []},
        "message_id": "0f0e0d0c0b0a09080706050403020100",
    }
    return {
        "next_action": "action_recommend_variant",
        "sender_id": SENDER,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": SENDER,
            "slots": dict(SLOTS),
            "latest_message": user,
            "events": [user],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def rows(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM quiz_results")).scalar()
    finally:
        engine.dispose()


def rename(url: str, old: str, new: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"ALTER TABLE {old} RENAME TO {new}"))
    engine.dispose()


def test_queued_result_is_delivered_after_the_action_server_restarts(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'quiz.db'}"
    outbox_path = tmp_path / "outbox.db"
    port = free_port()
    env = {
        **serving_env(),
        **rasa_env(
            QUIZ_DATABASE_URL=url,
            QUIZ_OUTBOX_PATH=str(outbox_path),
            QUIZ_OUTBOX_RETRY_SECONDS=str(RETRY_SECONDS),
            QUIZ_ACTION_TOKEN=ACTION_TOKEN,
            QUIZ_HASH_SALT=HASH_SALT,
            SANIC_HOST="127.0.0.1",
        ),
    }
    init_results_db(url, env)
    command = [str(BIN / "rasa"), "run", "actions", "--port", str(port)]
    health = f"http://127.0.0.1:{port}/health"
    procs = []
    try:
        first = start(command, tmp_path / "actions-1.log", env)
        procs.append(first)
        wait_until_ready(health, first, tmp_path / "actions-1.log", 120)

        rename(url, "quiz_results", "quiz_results_off")  # the database is "down"
        reply = requests.post(
            f"http://127.0.0.1:{port}/webhook",
            json=action_call(),
            headers={"X-Quiz-Action-Token": ACTION_TOKEN},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        events = {e.get("name"): e.get("value") for e in reply.json()["events"]}
        assert events["recommended_variant"] == "specialist"
        assert [e[1] for e in Outbox(outbox_path, url).entries()] == ["result"]

        first.send_signal(signal.SIGKILL)  # no shutdown hook runs
        first.wait(timeout=10)
        rename(url, "quiz_results_off", "quiz_results")  # the database is back
        time.sleep(RETRY_SECONDS * 3)
        # Nobody delivers while no action server runs (no other process holds the outbox).
        assert rows(url) == 0
        assert len(Outbox(outbox_path, url).entries()) == 1

        second = start(command, tmp_path / "actions-2.log", env)
        procs.append(second)
        wait_until_ready(health, second, tmp_path / "actions-2.log", 120)
        ready = time.monotonic()
        while rows(url) == 0 and time.monotonic() - ready < RETRY_SECONDS * 5:
            time.sleep(0.1)
        delivered_after = time.monotonic() - ready
        assert rows(url) == 1, f"not delivered {delivered_after:.1f}s after the restart"
        time.sleep(RETRY_SECONDS * 2)  # a retry more: still one row, nothing queued
        assert rows(url) == 1
        assert Outbox(outbox_path, url).entries() == []
        log = (tmp_path / "actions-2.log").read_text()
        assert "left by an earlier process" in log
        print(f"\noutbox restart: delivered {delivered_after:.2f}s after the server was ready")
    finally:
        stop_tree(*[p for p in procs if isinstance(p, subprocess.Popen)])
