"""Erasure ("Meine Daten löschen") and the retention purge on SQLite and PostgreSQL:
tracker events, results with feedback, outbox entries and the Redis lock key of one
conversation are deleted, nothing of it is left in any table, and others' data stays.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, List

import pytest
import redis
import sqlalchemy as sa

from career_quiz import erasure
from career_quiz.outbox import Outbox
from career_quiz.repository import ResultRepository, make_engine, upgrade_schema
from career_quiz.results import ResultRecord
from devtools.databases import throwaway_postgres_database

SALT = "erasure-test-salt"
REDIS_DB = 13  # a database number of the shared Redis that the project does not use
ANSWERS = {"training": ["office"], "languages": [], "task_preference": "assistance"}
SCORES = {"secretarial": 80, "specialist": 30, "project_management": 40}

EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """One database holding the tracker's `events` and the results (as a small setup may)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'all.db'}"
        return
    with throwaway_postgres_database("quiz_erasure_") as url:
        yield url


def _add_events(engine, sender: str, text: str, stamp: float) -> None:
    rows = [
        ("action", None, "action_session_start", {"event": "action"}),
        ("user", "inform", None, {"event": "user", "text": text}),
        ("bot", None, None, {"event": "bot", "text": f"Notiert: {text}"}),
    ]
    with engine.begin() as conn:
        for kind, intent, action, data in rows:
            conn.execute(
                EVENTS.insert().values(
                    sender_id=sender,
                    type_name=kind,
                    timestamp=stamp,
                    intent_name=intent,
                    action_name=action,
                    data=json.dumps({**data, "timestamp": stamp}),
                )
            )


def _texts_of_every_table(url: str) -> List[str]:
    """Every row of every table of a database, as text."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            meta = sa.MetaData()
            meta.reflect(conn)
            return [
                str(tuple(row))
                for table in meta.sorted_tables
                for row in conn.execute(table.select())
            ]
    finally:
        engine.dispose()


def _outbox_texts(path: Path) -> List[str]:
    with sqlite3.connect(path) as conn:
        return [str(row) for row in conn.execute("SELECT * FROM outbox")]


@pytest.fixture
def stores(db_url, tmp_path) -> erasure.Stores:
    engine = make_engine(db_url)
    upgrade_schema(engine)
    EVENTS.create(engine)
    engine.dispose()
    prefix = f"erasuretest{uuid.uuid4().hex[:8]}"
    return erasure.Stores(
        tracker_url=db_url,
        results_url=db_url,
        outbox_path=tmp_path / "outbox.db",
        salt=SALT,
        lock_store=erasure.LockStore(
            host="127.0.0.1", port=6379, db=REDIS_DB, key_prefix=f"{prefix}:lock:"
        ),
    )


def _queue_undeliverable(stores: erasure.Stores, conversation_hash: str, tmp_path: Path) -> None:
    """An outbox entry for a results database without the table: it stays queued."""
    outbox = Outbox(stores.outbox_path, f"sqlite:///{tmp_path / 'no_schema.db'}", lock_wait=0.1)
    outbox.submit_result(ResultRecord(conversation_hash, ANSWERS, SCORES, "secretarial", "r1"))
    outbox.close()


def test_erase_one_conversation_leaves_nothing_of_it(stores, db_url, tmp_path):
    now = time.time()
    engine = make_engine(db_url)
    repo = ResultRepository(engine, SALT)
    for sender in ("alice-7f3", "bob-91c"):
        _add_events(engine, sender, f"Industriekauffrau {sender}", now)
        repo.store_result(
            ResultRecord(repo.conversation_hash(sender), ANSWERS, SCORES, "secretarial", "r1")
        )
        repo.store_feedback(repo.conversation_hash(sender), "helpful")
        _queue_undeliverable(stores, repo.conversation_hash(sender), tmp_path)
    engine.dispose()
    red = redis.StrictRedis(host="127.0.0.1", port=6379, db=REDIS_DB)
    for sender in ("alice-7f3", "bob-91c"):
        red.set(stores.lock_store.key(sender), "{}")
    try:
        report = erasure.erase_conversation("alice-7f3", stores)
        assert (report.events, report.results, report.outbox, report.locks) == (3, 1, 1, 1)
        alice_hash = ResultRepository(make_engine(db_url), SALT).conversation_hash("alice-7f3")
        bob_hash = ResultRepository(make_engine(db_url), SALT).conversation_hash("bob-91c")
        rows = _texts_of_every_table(db_url) + _outbox_texts(stores.outbox_path)
        assert not [r for r in rows if "alice" in r or alice_hash in r]
        # Bob's conversation is all there: 3 events, his result with feedback, his entry.
        assert sum("bob-91c" in r for r in rows) == 3  # his 3 events
        assert sum(bob_hash in r for r in rows) == 2  # result row, outbox entry
        assert red.exists(stores.lock_store.key("alice-7f3")) == 0
        assert red.exists(stores.lock_store.key("bob-91c")) == 1
        # A second request finds nothing more to delete.
        again = erasure.erase_conversation("alice-7f3", stores)
        assert (again.events, again.results, again.outbox, again.locks) == (0, 0, 0, 0)
    finally:
        red.delete(stores.lock_store.key("bob-91c"), stores.lock_store.key("alice-7f3"))


def test_purge_deletes_only_what_is_past_the_retention(stores, db_url, tmp_path):
    now = datetime.now(timezone.utc)
    engine = make_engine(db_url)
    repo = ResultRepository(engine, SALT)
    _add_events(engine, "old-sender", "alt", (now - timedelta(days=91)).timestamp())
    _add_events(engine, "new-sender", "neu", (now - timedelta(days=89)).timestamp())
    old_hash, new_hash = repo.conversation_hash("old-sender"), repo.conversation_hash("new-sender")
    repo.store_result(
        ResultRecord(
            old_hash, ANSWERS, SCORES, "secretarial", "r1", created_at=now - timedelta(days=91)
        )
    )
    repo.store_result(
        ResultRecord(
            new_hash, ANSWERS, SCORES, "secretarial", "r1", created_at=now - timedelta(days=89)
        )
    )
    engine.dispose()
    _queue_undeliverable(stores, old_hash, tmp_path)
    _queue_undeliverable(stores, new_hash, tmp_path)
    with sqlite3.connect(stores.outbox_path) as conn:  # the first entry was queued long ago
        conn.execute(
            "UPDATE outbox SET queued_at = ? WHERE seq = (SELECT min(seq) FROM outbox)",
            ((now - timedelta(days=91)).isoformat(),),
        )
    report = erasure.purge(timedelta(days=90), stores, now=now)
    assert (report.events, report.results, report.outbox) == (3, 1, 1)
    rows = _texts_of_every_table(db_url) + _outbox_texts(stores.outbox_path)
    assert not [r for r in rows if "old-sender" in r or old_hash in r]
    assert sum("new-sender" in r for r in rows) == 3
    assert sum(new_hash in r for r in rows) == 2
