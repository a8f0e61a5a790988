"""The outbox (career_quiz/outbox.py): queued while the results database is down, delivered
once and in order when it is back; on SQLite and on the PostgreSQL server.
"""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

from career_quiz.outbox import (
    FEEDBACK,
    LOST,
    QUEUED,
    RESULT,
    STORED,
    Outbox,
    outbox_for,
    result_key_for,
    result_stamp,
    target_name,
)
from career_quiz.repository import (
    ResultRepository,
    hash_conversation,
    make_engine,
    result_key,
    upgrade_schema,
)
from career_quiz.results import ResultRecord
from devtools.stack import ROOT, free_port
from tests.helpers import clean_results_database, make_tracker

ANSWERS = {
    "training": ["bank_insurance"],
    "languages": ["cs:business"],
    "task_preference": "specialist",
}
SCORES = {"secretarial": 40, "specialist": 92, "project_management": 55}
CONV = hash_conversation("conv-outbox")


@pytest.fixture
def results(database_url) -> Iterator[ResultRepository]:
    """A results database with the schema, and a repository on it."""
    engine = make_engine(database_url)
    upgrade_schema(engine)
    repo = ResultRepository(engine)
    repo.url = database_url
    yield repo
    engine.dispose()
    clean_results_database(database_url)


@pytest.fixture
def make_outbox(tmp_path):
    """Outbox factory (default file tmp_path/outbox.db); stops their retry threads."""
    created = []

    def make(url, path=None, **kwargs):
        outbox = Outbox(path or tmp_path / "outbox.db", url, **kwargs)
        created.append(outbox)
        return outbox

    yield make
    for outbox in created:
        outbox.close()


def closed_port_url() -> str:
    return f"postgresql://postgres@127.0.0.1:{free_port()}/nothing_listens_here"


@contextmanager
def table_missing(url: str) -> Iterator[None]:
    """The results table is renamed away (writes fail) until the block ends."""
    _rename(url, "quiz_results", "quiz_results_off")
    try:
        yield
    finally:
        _rename(url, "quiz_results_off", "quiz_results")


def _rename(url: str, old: str, new: str) -> None:
    engine = create_engine(url, future=True)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
    engine.dispose()


def submit(outbox, n=0, key=None, conv=CONV, **answers):
    return outbox.submit_result(
        ResultRecord(
            conv,
            {**ANSWERS, **answers},
            SCORES,
            "specialist",
            "v1",
            idempotency_key=key or result_key(conv, f"{n}|m{n}"),
        )
    )


# -- queued while down, once when back ------------------------------------------------


def test_a_write_while_the_database_is_up_is_stored_at_once(results, make_outbox, tmp_path):
    outbox = make_outbox(results.url)
    assert submit(outbox) == STORED
    assert outbox.submit_feedback(CONV, "helpful") == STORED
    [row] = results.results_for("conv-outbox")
    assert row["idempotency_key"] == result_key(CONV, "0|m0")
    assert row["feedback"] == "helpful"
    assert outbox.pending() == 0
    # Nothing waited in the file: the routine write went straight to the database
    # (AUTOINCREMENT counts every row ever inserted; no file write, no fsync).
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        assert conn.execute("SELECT * FROM sqlite_sequence").fetchall() == []


def test_unreachable_database_queues_durably_and_fast(make_outbox, tmp_path):
    url = closed_port_url()
    outbox = make_outbox(url)
    started = time.monotonic()
    assert submit(outbox) == QUEUED
    assert time.monotonic() - started < 3
    # Committed: another connection (another process) sees it.
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        [(kind, target, attempts)] = conn.execute(
            "SELECT kind, target, attempts FROM outbox"
        ).fetchall()
    assert (kind, target, attempts) == (RESULT, target_name(url), 1)
    # Only the conversation hash is kept, never the id.
    data = (tmp_path / "outbox.db").read_bytes()
    assert CONV.encode() in data and b"conv-outbox" not in data


def test_queued_while_the_table_is_missing_then_delivered_exactly_once(
    results, make_outbox, caplog
):
    outbox = make_outbox(results.url)
    caplog.set_level(logging.INFO, logger="career_quiz.outbox")
    with table_missing(results.url):
        assert submit(outbox) == QUEUED
        assert outbox.flush().delivered == 0
        [(_, kind, payload, attempts, error)] = outbox.entries()
        assert kind == RESULT and payload["variant"] == "specialist"
        assert attempts == 2 and "quiz_results" in error
    assert "kept in outbox" in caplog.text
    report = outbox.flush()
    assert (report.delivered, report.duplicates, report.pending) == (1, 0, 0)
    assert "delivered 1 queued operation(s)" in caplog.text
    [row] = results.results_for("conv-outbox")
    assert row["answers"] == ANSWERS and row["variant"] == "specialist"
    # Nothing left to deliver; the same result written again stores nothing.
    assert outbox.flush().delivered == 0
    assert submit(outbox) == STORED
    assert results.count() == 1


def test_a_repeated_delivery_is_a_noop(results, make_outbox):
    # The row was committed but the process died before removing it from the outbox.
    outbox = make_outbox(results.url)
    with table_missing(results.url):
        assert submit(outbox) == QUEUED
    [(_, _, payload, _, _)] = outbox.entries()
    results.store_result(
        ResultRecord(
            CONV,
            payload["answers"],
            payload["scores"],
            payload["variant"],
            payload["rubric_version"],
            payload["idempotency_key"],
        )
    )
    report = outbox.flush()
    assert (report.delivered, report.duplicates) == (1, 1)
    assert results.count() == 1


def test_feedback_waits_for_its_result_fifo(results, make_outbox):
    outbox = make_outbox(results.url)
    with table_missing(results.url):
        assert submit(outbox, 1) == QUEUED
        assert outbox.submit_feedback(CONV, "helpful") == QUEUED
        assert submit(outbox, 2, languages=[]) == QUEUED  # a correction: a second result
        assert outbox.submit_feedback(CONV, "not_helpful") == QUEUED
        assert [e[1] for e in outbox.entries()] == [RESULT, FEEDBACK, RESULT, FEEDBACK]
    assert outbox.flush().delivered == 4
    rows = results.results_for("conv-outbox")
    assert [r["answers"]["languages"] for r in rows] == [["cs:business"], []]
    assert [r["feedback"] for r in rows] == ["helpful", "not_helpful"]


def test_a_new_write_first_delivers_what_is_pending(results, make_outbox):
    outbox = make_outbox(results.url)
    with table_missing(results.url):
        assert submit(outbox, 1) == QUEUED
    # Back: the feedback is written after the queued result, so it has a result to go to.
    assert outbox.submit_feedback(CONV, "helpful") == STORED
    [row] = results.results_for("conv-outbox")
    assert row["feedback"] == "helpful"
    assert outbox.pending() == 0


def test_the_outbox_survives_a_restart(results, make_outbox, tmp_path):
    first = make_outbox(results.url)
    with table_missing(results.url):
        assert submit(first) == QUEUED
        first.close()
        del first
    # A new process (here: a new object on the same file) delivers it.
    second = make_outbox(results.url)
    assert second.pending() == 1
    assert second.flush().delivered == 1
    assert results.count() == 1


def test_the_retry_delivers_without_a_new_write(results, make_outbox, caplog):
    caplog.set_level(logging.INFO, logger="career_quiz.outbox")
    outbox = make_outbox(results.url, retry_seconds=0.2)
    with table_missing(results.url):
        assert submit(outbox) == QUEUED
        time.sleep(0.5)  # retries fail meanwhile
        assert outbox.entries()[0][3] >= 2
    back = time.monotonic()
    deadline = back + 10
    # The row is committed first, the entry removed from the outbox right after, and the
    # delivery logged last (by the retry thread).
    while (
        results.count() == 0 or outbox.pending() or "of failures" not in caplog.text
    ) and time.monotonic() < deadline:
        time.sleep(0.05)
    waited = time.monotonic() - back
    assert results.count() == 1, "the retry thread did not deliver"
    assert outbox.pending() == 0
    assert waited < 2, waited
    assert "of failures" in caplog.text  # the delivery says how long the outage was


def test_entries_for_another_database_stay_queued(results, make_outbox):
    elsewhere = make_outbox(closed_port_url())
    assert submit(elsewhere) == QUEUED
    here = make_outbox(results.url)
    assert submit(here, 1) == STORED
    assert here.flush().delivered == 0
    assert elsewhere.pending() == 1 and here.pending() == 0
    assert here.pending_by_target() == {elsewhere.target: 1}
    assert results.count() == 1


# -- concurrency --------------------------------------------------------------------


def _flush_together(outboxes):
    barrier = threading.Barrier(len(outboxes))
    reports = []

    def flush(outbox):
        barrier.wait()
        reports.append(outbox.flush(wait=30))

    threads = [threading.Thread(target=flush, args=(o,)) for o in outboxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reports


def test_concurrent_flushers_of_one_outbox_write_each_row_once(results, make_outbox):
    with table_missing(results.url):
        writer = make_outbox(results.url)
        for n in range(5):
            assert submit(writer, n, conv=hash_conversation(f"c{n}")) == QUEUED
    reports = _flush_together([make_outbox(results.url) for _ in range(6)])
    assert sum(r.delivered for r in reports) == 5
    assert results.count() == 5
    assert writer.pending() == 0


def test_two_outboxes_holding_the_same_result_store_it_once(results, make_outbox, tmp_path):
    # E.g. two hosts, each with its own outbox file: only the unique key keeps one row.
    first = make_outbox(results.url, tmp_path / "a.db")
    second = make_outbox(results.url, tmp_path / "b.db")
    with table_missing(results.url):
        assert submit(first, key="k" * 64) == QUEUED
        assert submit(second, key="k" * 64, languages=[]) == QUEUED
    reports = _flush_together([first, second])
    assert sorted(r.duplicates for r in reports) == [0, 1]
    assert results.count() == 1


def _flush_cli(url, path, wait=30):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "career_quiz.cli",
            "flush-outbox",
            "--url",
            url,
            "--outbox",
            str(path),
            "--wait",
            str(wait),
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_flush_processes_write_each_row_once(results, make_outbox, tmp_path):
    writer = make_outbox(results.url)
    with table_missing(results.url):
        for n in range(6):
            assert (
                submit(writer, n, conv=hash_conversation(f"c{n % 2}"), training=[str(n)]) == QUEUED
            )
        assert writer.submit_feedback(hash_conversation("c1"), "helpful") == QUEUED
    procs = [_flush_cli(results.url, tmp_path / "outbox.db") for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    delivered = [int(out.split("Delivered ")[1].split()[0]) for out, _ in outputs]
    assert sum(delivered) == 7
    assert results.count() == 6
    assert [r["feedback"] for r in results.results_for("c1")] == [None, None, "helpful"]


def test_flush_outbox_cli_reports_what_is_left(results, make_outbox, tmp_path):
    writer = make_outbox(results.url)
    with table_missing(results.url):
        submit(writer)
        out, err = _flush_cli(results.url, tmp_path / "outbox.db").communicate(timeout=120)
        assert "Delivered 0 queued operation(s)" in out and "1 pending" in out
        assert "Delivery stopped" in err
    proc = _flush_cli(results.url, tmp_path / "outbox.db")
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "Delivered 1 queued operation(s)" in out and "0 pending" in out


# -- when the outbox itself fails ---------------------------------------------------


def test_an_unusable_outbox_falls_back_to_a_direct_write(results, make_outbox, tmp_path, caplog):
    (tmp_path / "a-directory").mkdir()
    outbox = make_outbox(results.url, tmp_path / "a-directory")
    assert submit(outbox) == STORED
    assert results.count() == 1
    assert "unusable" in caplog.text


def test_lost_only_when_both_fail_and_then_logged_with_its_data(make_outbox, tmp_path, caplog):
    (tmp_path / "a-directory").mkdir()
    outbox = make_outbox(closed_port_url(), tmp_path / "a-directory")
    assert submit(outbox, key="key-in-the-log") == LOST
    [record] = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert "key-in-the-log" in record.getMessage() and "specialist" in record.getMessage()


def test_unknown_feedback_is_refused_before_it_is_queued(make_outbox):
    outbox = make_outbox(closed_port_url())
    with pytest.raises(ValueError):
        outbox.submit_feedback(CONV, "<script>")
    assert outbox.pending() == 0


# -- the key of a result, and the action ----------------------------------------------


def test_result_key_names_the_user_message():
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "user", "timestamp": 1714000000.123456, "message_id": "m-1"},
        {"event": "action", "name": "career_quiz_form", "timestamp": 1714000000.2},
    ]
    assert result_stamp(events) == "1714000000.123456|m-1"
    # The repository's key of that message: a repeated run of the action names the same row.
    assert result_key_for(CONV, events) == result_key(CONV, "1714000000.123456|m-1")
    assert result_key_for(hash_conversation("other"), events) != result_key_for(CONV, events)
    later = events + [{"event": "user", "timestamp": 1714000009.5, "message_id": "m-2"}]
    assert result_key_for(CONV, later) != result_key_for(CONV, events)
    # No timestamp, no id: a unique key each time (no deduplication, no collision).
    bare = [{"event": "user", "text": "x"}]
    assert result_key_for(CONV, bare) != result_key_for(CONV, bare)
    assert result_key_for(CONV, bare).startswith("auto:")


async def test_the_action_answers_queues_and_stores_once(results, tmp_path):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.actions import ActionRecommendVariant, ActionStoreFeedback
    from career_quiz.bootstrap import bootstrap
    from tests.helpers import domain_dict, sent

    events = [
        {"event": "action", "name": "action_listen", "timestamp": 10.0},
        {
            "event": "user",
            "text": "Zahlen",
            "timestamp": 11.5,
            "message_id": "m-9",
            "parse_data": {"intent": {"name": "inform"}},
        },
    ]
    tracker = make_tracker(slots=dict(ANSWERS), events=events, sender_id="user-outbox")
    # Only writes deliver here (no retry thread within the test).
    outbox = outbox_for(tmp_path / "action-outbox.db", results.url, 3600)
    services = bootstrap(outbox=outbox, hasher=partial(hash_conversation, salt="test-salt"))
    try:
        with table_missing(results.url):
            for _ in range(2):  # the same message twice (e.g. a retried request)
                dispatcher = CollectingDispatcher()
                await ActionRecommendVariant(services).run(dispatcher, tracker, domain_dict())
                assert dispatcher.messages[0]["text"].startswith("**Empfehlung: Fach-Backoffice")
            feedback = make_tracker(
                slots={**ANSWERS, "recommended_variant": "specialist"},
                intent="feedback_positive",
                sender_id="user-outbox",
            )
            dispatcher = CollectingDispatcher()
            await ActionStoreFeedback(services).run(dispatcher, feedback, domain_dict())
            shown = await sent(dispatcher.messages, feedback.slots)
            assert "Rückmeldung" in shown[0]["text"]
            assert [e[1] for e in outbox.entries()] == [RESULT, RESULT, FEEDBACK]
        assert outbox.flush().delivered == 3
    finally:
        outbox.close()
    repo = ResultRepository(make_engine(results.url), "test-salt")
    [row] = repo.results_for("user-outbox")
    assert row["variant"] == "specialist" and row["feedback"] == "helpful"
    assert row["idempotency_key"] == result_key(repo.conversation_hash("user-outbox"), "11.5|m-9")
