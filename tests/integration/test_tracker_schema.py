"""The tracker store's schema on a fresh PostgreSQL database, with servers racing.

Before: two Sanic workers (or replicas) starting together on a fresh database both
created `ix_events_sender_type_time`, and one died with UniqueViolation. Here six
processes build the store at the same moment (released together by a barrier), as
replicas do; every one must come up. The set-up step (`python -m
rasa_addons.tracker_store URL`) creates the database, Rasa's tables and the indexes
and can run again. About 10 s.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from devtools.databases import POSTGRES_ADMIN_URL, throwaway_postgres_database
from devtools.stack import ROOT
from rasa_addons.tracker_store import INDEXES

pytestmark = pytest.mark.live
RACERS = 6


def _build_store(url: str, barrier, results) -> None:
    from rasa_addons.tracker_store import IndexedSQLTrackerStore

    try:
        barrier.wait(timeout=60)
        IndexedSQLTrackerStore(host=url).engine.dispose()
        results.put("ok")
    except BaseException as error:  # noqa: BLE001 - reported to the test
        results.put(f"{type(error).__name__}: {error}")


def _indexes(url: str) -> set:
    engine = sa.create_engine(url)
    try:
        return {index["name"] for index in sa.inspect(engine).get_indexes("events")}
    finally:
        engine.dispose()


def test_replicas_starting_together_on_a_fresh_database_all_survive():
    with throwaway_postgres_database("quiz_tracker_race_") as url:
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(RACERS), context.Queue()
        procs = [
            context.Process(target=_build_store, args=(url, barrier, results))
            for _ in range(RACERS)
        ]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=30)
        assert outcomes == ["ok"] * RACERS, outcomes
        assert set(INDEXES) <= _indexes(url)


def test_set_up_step_creates_database_tables_and_indexes_idempotently():
    name = f"quiz_tracker_setup_{uuid.uuid4().hex[:10]}"
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        for _ in range(2):  # the second run finds everything in place
            done = subprocess.run(
                [sys.executable, "-m", "rasa_addons.tracker_store", url],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            assert "Tracker store schema ready" in done.stdout
        assert set(INDEXES) <= _indexes(url)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
