"""Live: the results database fails at the last answer of a quiz. The real action server
and Rasa server, a throw-away PostgreSQL database as the results database.

The visitor gets the recommendation; when the database is back, the outbox delivers
the result (and the feedback given meanwhile) exactly once.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Dict, Iterator, List

import pytest
from sqlalchemy import create_engine, text

from career_quiz.outbox import Outbox
from career_quiz.repository import make_engine
from devtools.databases import POSTGRES_ADMIN_URL, throwaway_postgres_database
from devtools.stack import ROOT, results_repository, running_stack
from tests.helpers import QUIZZES, new_sender, texts

pytestmark = pytest.mark.live

RETRY_SECONDS = 1
DELIVERY_TIMEOUT = 30
MESSAGES, VARIANT, HEADING = QUIZZES[1]  # Bankkaufmann ... -> Fach-Backoffice
ANSWERS = {
    "training": ["bank_insurance"],
    "languages": ["cs:business"],
    "task_preference": "specialist",
}


@pytest.fixture(scope="module")
def results_url() -> Iterator[str]:
    with throwaway_postgres_database("quiz_outbox_live_") as url:
        yield url


@pytest.fixture(scope="module")
def stack(tmp_path_factory, results_url):
    workdir = tmp_path_factory.mktemp("outbox-live")
    outbox_path = workdir / "outbox.db"
    with running_stack(
        workdir,
        database_url=results_url,
        extra_env={
            "QUIZ_OUTBOX_PATH": str(outbox_path),
            "QUIZ_OUTBOX_RETRY_SECONDS": str(RETRY_SECONDS),
        },
    ) as running:
        running.outbox_path = outbox_path
        yield running


@pytest.fixture(scope="module")
def repo(stack):
    with results_repository(stack) as repository:
        yield repository


def _admin(url: str):
    return create_engine(url, isolation_level="AUTOCOMMIT", future=True)


@contextmanager
def table_renamed(url: str) -> Iterator[None]:
    """quiz_results is missing (every write fails) until the block ends."""
    engine = _admin(url)
    with engine.connect() as conn:
        conn.execute(text("ALTER TABLE quiz_results RENAME TO quiz_results_off"))
    try:
        yield
    finally:
        with engine.connect() as conn:
            conn.execute(text("ALTER TABLE quiz_results_off RENAME TO quiz_results"))
        engine.dispose()


@contextmanager
def connections_refused(url: str) -> Iterator[None]:
    """The results database accepts no connections and its open ones are cut."""
    name = make_engine(url).url.database
    engine = _admin(POSTGRES_ADMIN_URL)
    with engine.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    try:
        yield
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        engine.dispose()


def play_until_the_last_answer(stack, sender: str) -> None:
    stack.send(sender, "Hallo")
    for message in MESSAGES[:-1]:
        assert stack.send(sender, message), f"no reply to {message!r}"


def last_answer(stack, sender: str) -> List[Dict]:
    started = time.monotonic()
    replies = stack.send(sender, MESSAGES[-1])
    last_answer.seconds = time.monotonic() - started
    return replies


def queued(stack) -> List[str]:
    """Kinds of the operations in the action server's outbox (read only)."""
    return [kind for _, kind, _, _, _ in Outbox(stack.outbox_path, stack.database_url).entries()]


def wait_for_rows(repo, sender: str, done) -> float:
    """Seconds until done(rows) holds, polling; fails after DELIVERY_TIMEOUT."""
    started = time.monotonic()
    rows = []
    while time.monotonic() - started < DELIVERY_TIMEOUT:
        try:
            rows = repo.results_for(sender)
        except Exception:  # noqa: BLE001 - the database may still be coming back
            rows = []
        if done(rows):
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"not delivered within {DELIVERY_TIMEOUT}s: {rows}")


def assert_stored_once(stack, repo, sender: str, feedback=None) -> None:
    # One retry period more: still one row, nothing left in the outbox.
    time.sleep(RETRY_SECONDS * 2.5)
    [row] = repo.results_for(sender)
    slots = stack.tracker(sender)["slots"]
    assert row["variant"] == VARIANT == slots["recommended_variant"]
    assert row["scores"] == slots["variant_scores"]
    assert row["answers"] == ANSWERS
    assert row["feedback"] == feedback
    assert re.fullmatch(r"[0-9a-f]{64}", row["idempotency_key"])
    assert queued(stack) == []


def test_table_missing_at_the_last_answer(stack, repo, record_property):
    sender = new_sender()
    play_until_the_last_answer(stack, sender)
    with table_renamed(stack.database_url):
        replies = last_answer(stack, sender)
        assert HEADING in texts(replies) and "Nächste Schritte" in texts(replies)
        record_property("reply_seconds_during_outage", round(last_answer.seconds, 3))
        # Feedback given while the database is still down follows its result.
        assert "Vielen Dank für Ihre Rückmeldung" in texts(stack.send(sender, "/feedback_positive"))
        assert queued(stack) == ["result", "feedback"]
    seconds = wait_for_rows(repo, sender, lambda rows: rows and rows[-1]["feedback"])
    record_property("delivery_seconds_after_restore", round(seconds, 3))
    print(
        f"\ntable missing: reply {last_answer.seconds:.2f}s, delivered {seconds:.2f}s "
        f"after the table came back"
    )
    assert seconds < RETRY_SECONDS * 3 + 2
    assert_stored_once(stack, repo, sender, feedback="helpful")
    log = stack.logs[0].read_text()
    assert "kept in outbox" in log and "delivered 2 queued operation(s)" in log


def test_database_refusing_connections_at_the_last_answer(stack, repo, record_property):
    sender = new_sender()
    play_until_the_last_answer(stack, sender)
    with connections_refused(stack.database_url):
        replies = last_answer(stack, sender)
        assert HEADING in texts(replies)
        record_property("reply_seconds_during_outage", round(last_answer.seconds, 3))
        assert queued(stack) == ["result"]
        # The same message once more changes nothing: still one result queued and stored.
        time.sleep(RETRY_SECONDS * 2)
        assert queued(stack) == ["result"]
    seconds = wait_for_rows(repo, sender, bool)
    record_property("delivery_seconds_after_restore", round(seconds, 3))
    print(
        f"\nconnections refused: reply {last_answer.seconds:.2f}s, delivered {seconds:.2f}s "
        f"after the database came back"
    )
    assert_stored_once(stack, repo, sender)


def test_flush_outbox_command_and_the_server_deliver_one_row(stack, repo):
    sender = new_sender()
    play_until_the_last_answer(stack, sender)
    with table_renamed(stack.database_url):
        assert HEADING in texts(last_answer(stack, sender))
        assert queued(stack) == ["result"]
    # The operator's command races the action server's retry thread.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "career_quiz.cli",
            "flush-outbox",
            "--url",
            stack.database_url,
            "--outbox",
            str(stack.outbox_path),
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "0 pending" in done.stdout
    assert_stored_once(stack, repo, sender)


def test_with_the_database_up_nothing_waits_in_the_outbox(stack, repo):
    sender = new_sender()
    play_until_the_last_answer(stack, sender)
    assert HEADING in texts(last_answer(stack, sender))
    # Stored before the reply came back, not by a later retry.
    [row] = repo.results_for(sender)
    assert row["variant"] == VARIANT
    assert queued(stack) == []
