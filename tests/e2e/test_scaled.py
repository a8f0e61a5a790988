"""endpoints.scaled.yml: two Rasa workers sharing PostgreSQL (tracker) and Redis (locks).

The README's scaling recipe (SANIC_WORKERS=2 RASA_ENDPOINTS=endpoints.scaled.yml) is
the one `make bench` measures for the 40 messages/s goal; here it must give every
conversation the same answers as one worker, whichever worker takes a message.
"""

from __future__ import annotations

import uuid

import psutil
import pytest
import sqlalchemy as sa

from devtools.databases import throwaway_postgres_database
from devtools.procs import tree
from devtools.stack import running_stack, scaled_endpoints
from tests.helpers import texts

QUIZZES = [
    (
        ["Hallo", "Quiz starten", "Bürokauffrau", "Englisch fließend", "Termine und Reisen planen"],
        "Empfehlung: Sekretariat",
    ),
    (
        ["Bankkaufmann", "Tschechisch verhandlungssicher", "Zahlen und Buchhaltung"],
        "Empfehlung: Fach-Backoffice",
    ),
    (
        ["Ich habe einen Master in BWL", "Englisch C1", "Projekte koordinieren"],
        "Empfehlung: Projektassistenz",
    ),
]


@pytest.fixture(scope="module")
def tracker_database():
    """A throw-away PostgreSQL database for Rasa's tracker store."""
    with throwaway_postgres_database("quiz_tracker_test_") as url:
        yield url


@pytest.fixture(scope="module")
def scaled_stack(tmp_path_factory, tracker_database):
    extra = scaled_endpoints(
        tracker_database, redis_db=0, key_prefix=f"quiztest{uuid.uuid4().hex[:8]}"
    )
    with running_stack(
        tmp_path_factory.mktemp("scaled"), endpoints_extra=extra, extra_env={"SANIC_WORKERS": "2"}
    ) as stack:
        yield stack
        family = [p for pid in stack.pids().values() for p in tree(pid)]
    # Stopping the main `rasa run` alone left one worker running (~1 GB, holding a port).
    assert not [p.pid for p in family if running(p)]


def running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_rasa_runs_two_worker_processes(scaled_stack):
    # Rasa silently runs one worker (one process) when the lock store is not shared.
    assert len(tree(scaled_stack.pids()["rasa"])) >= 3  # the main process and two workers


@pytest.mark.parametrize("messages,heading", QUIZZES)
def test_full_quiz_and_restart_across_workers(scaled_stack, tracker_database, messages, heading):
    sender = f"scaled-{uuid.uuid4().hex[:12]}"
    replies = []
    for message in messages:
        replies = scaled_stack.send(sender, message)
        assert replies, f"no reply to {message!r}"
    assert heading in texts(replies)
    assert "So ist die Empfehlung entstanden" in texts(scaled_stack.send(sender, "Warum?"))
    assert "Welche Ausbildung" in texts(scaled_stack.send(sender, "Neu starten"))
    engine = sa.create_engine(tracker_database)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()
    engine.dispose()
    assert stored > 10
