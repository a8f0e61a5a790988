"""Results repository, idempotency key and migrations on SQLite and on the PostgreSQL
server.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Iterator

import pytest
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    text,
)
from sqlalchemy.exc import IntegrityError

from career_quiz.repository import (
    DUPLICATE,
    IDEMPOTENCY_REVISION,
    INITIAL_REVISION,
    INSERTED,
    UNCHANGED,
    Base,
    ResultRepository,
    hash_conversation,
    make_engine,
    result_key,
    upgrade_schema,
)
from career_quiz.results import ResultRecord
from devtools.stack import ROOT
from tests.helpers import clean_results_database

ANSWERS = {"training": ["office"], "languages": ["en:fluent"], "task_preference": "assistance"}
SCORES = {"secretarial": 95, "specialist": 29, "project_management": 53}


@pytest.fixture
def results_url(database_url) -> Iterator[str]:
    """An empty results database (SQLite or PostgreSQL), cleaned up afterwards."""
    yield database_url
    clean_results_database(database_url)


def record(conversation_id, answers=ANSWERS, variant="secretarial", rubric_version="v1"):
    """A result of `conversation_id`, hashed as a repository without salt does."""
    return ResultRecord(
        hash_conversation(conversation_id), answers, SCORES, variant, rubric_version
    )


@pytest.fixture
def repo(results_url):
    engine = make_engine(results_url)
    upgrade_schema(engine)
    yield ResultRepository(engine)
    engine.dispose()


def test_schema_is_created_explicitly_and_idempotently(results_url):
    engine = make_engine(results_url)
    assert "quiz_results" not in inspect(engine).get_table_names()
    upgrade_schema(engine)
    upgrade_schema(engine)
    assert "quiz_results" in inspect(engine).get_table_names()
    engine.dispose()


def test_save_and_read_back(repo):
    status, row_id = repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1"))
    assert status == INSERTED and row_id is not None
    [row] = repo.results_for("conv-1")
    assert row["answers"] == ANSWERS
    assert row["scores"] == SCORES
    assert row["variant"] == "secretarial"
    assert row["rubric_version"] == "v1"
    assert row["created_at"] is not None
    assert row["feedback"] is None
    # The conversation id is stored only as a hash.
    assert row["conversation_hash"] == hash_conversation("conv-1")
    assert "conv-1" not in str(row)


def test_correction_adds_a_row_and_keeps_the_old_one(repo):
    repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1"))
    corrected = {**ANSWERS, "training": ["office", "degree"]}
    repo.store_result(record("conv-1", corrected, "project_management", "v1"))
    rows = repo.results_for("conv-1")
    assert [r["variant"] for r in rows] == ["secretarial", "project_management"]
    assert rows[0]["answers"] == ANSWERS


def test_same_answers_again_store_nothing(repo):
    assert repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1"))[0] == INSERTED
    assert repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1")) == (
        UNCHANGED,
        None,
    )
    # A new rubric version is a new result.
    assert repo.store_result(record("conv-1", ANSWERS, "secretarial", "v2"))[0] == INSERTED
    assert repo.count() == 2


def test_feedback_goes_to_the_latest_result(repo):
    assert repo.store_feedback(hash_conversation("conv-1"), "helpful") is False
    repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1"))
    repo.store_result(record("conv-1", {**ANSWERS, "languages": []}, "secretarial", "v1"))
    assert repo.store_feedback(hash_conversation("conv-1"), "not_helpful") is True
    rows = repo.results_for("conv-1")
    assert [r["feedback"] for r in rows] == [None, "not_helpful"]
    assert rows[1]["feedback_at"] is not None
    with pytest.raises(ValueError):
        repo.store_feedback(hash_conversation("conv-1"), "<script>")


def test_conversations_are_kept_apart(repo):
    repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1"))
    repo.store_result(record("conv-2", ANSWERS, "specialist", "v1"))
    assert len(repo.results_for("conv-1")) == 1
    assert repo.variant_counts() == {"secretarial": 1, "specialist": 1}


def test_hostile_text_is_stored_verbatim_not_executed(repo):
    answers = {**ANSWERS, "note": "'); DROP TABLE quiz_results; -- <script>alert(1)</script>"}
    repo.store_result(record("x'); DROP TABLE quiz_results; --", answers, "secretarial", "v1"))
    assert repo.count() == 1
    assert repo.results_for("x'); DROP TABLE quiz_results; --")[0]["answers"] == answers


def test_salted_hash_differs_from_plain():
    assert hash_conversation("a", "salt") != hash_conversation("a")
    assert len(hash_conversation("a", "salt")) == 64


def test_sqlite_default_creates_its_folder(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'quiz.db'}")
    upgrade_schema(engine)
    assert (tmp_path / "nested" / "dir" / "quiz.db").exists()
    engine.dispose()


# -- idempotency key -------------------------------------------------------------


def test_a_result_key_is_stored_once(repo):
    conv = hash_conversation("conv-1")
    key = result_key(conv, "1714000000.25|msg-1")
    assert (
        repo.store_result(ResultRecord(conv, ANSWERS, SCORES, "secretarial", "v1", key))[0]
        == INSERTED
    )
    # Delivered again (even with other answers): the key names the same result.
    status, row_id = repo.store_result(
        ResultRecord(conv, {**ANSWERS, "languages": []}, SCORES, "secretarial", "v1", key)
    )
    assert status == DUPLICATE and row_id is not None
    [row] = repo.results_for("conv-1")
    assert row["idempotency_key"] == key and row["id"] == row_id
    assert row["answers"] == ANSWERS


def test_same_answers_under_a_new_key_still_store_nothing(repo):
    conv = hash_conversation("conv-1")
    assert (
        repo.store_result(ResultRecord(conv, ANSWERS, SCORES, "secretarial", "v1", "k" * 64))[0]
        == INSERTED
    )
    assert repo.store_result(
        ResultRecord(conv, ANSWERS, SCORES, "secretarial", "v1", "j" * 64)
    ) == (
        UNCHANGED,
        None,
    )
    assert repo.count() == 1


def test_writes_without_a_key_get_unique_ones(repo):
    repo.store_result(record("conv-1", ANSWERS, "secretarial", "v1"))
    repo.store_result(record("conv-1", {**ANSWERS, "languages": []}, "secretarial", "v1"))
    keys = [r["idempotency_key"] for r in repo.results_for("conv-1")]
    assert len(set(keys)) == 2 and all(k.startswith("auto:") for k in keys)


def test_result_key_is_stable_and_depends_on_both_parts():
    # Stable across processes: a retry after a restart (or the outbox on another host)
    # must name the same row, whatever the interpreter's hash seed.
    conv = hash_conversation("conv-1")
    script = (
        "from career_quiz.repository import hash_conversation, result_key; "
        "print(result_key(hash_conversation('conv-1'), '1.5|m'))"
    )
    elsewhere = {
        seed: subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed},
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert elsewhere == {"1": result_key(conv, "1.5|m"), "2": result_key(conv, "1.5|m")}
    assert len(result_key(conv, "1.5|m")) == 64
    assert result_key(conv, "1.5|m") != result_key(conv, "1.6|m")
    assert result_key(conv, "1.5|m") != result_key(hash_conversation("conv-2"), "1.5|m")


def test_the_database_rejects_a_second_row_with_the_same_key(repo, results_url):
    repo.store_result(ResultRecord("h", ANSWERS, SCORES, "secretarial", "v1", "same-key"))
    engine = make_engine(results_url)
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO quiz_results (idempotency_key, conversation_hash, answers, "
                    "scores, variant, rubric_version, created_at) "
                    "VALUES ('same-key', 'other', '{}', '{}', "
                    "'specialist', 'v1', CURRENT_TIMESTAMP)"
                )
            )
    engine.dispose()


def test_a_race_past_the_key_check_ends_as_duplicate(repo, monkeypatch):
    # Another writer inserts between our key check and our insert: the unique
    # constraint rejects ours, which then counts as the duplicate it is.
    repo.store_result(ResultRecord("h", ANSWERS, SCORES, "secretarial", "v1", "raced"))
    original = ResultRepository._id_for_key
    calls = []

    def miss_first(session, key):
        calls.append(key)
        return None if len(calls) == 1 else original(session, key)

    monkeypatch.setattr(ResultRepository, "_id_for_key", staticmethod(miss_first))
    status, row_id = repo.store_result(
        ResultRecord("h2", ANSWERS, SCORES, "secretarial", "v1", "raced")
    )
    assert status == DUPLICATE and row_id is not None
    assert len(calls) == 2
    assert repo.count() == 1


def test_concurrent_writers_of_one_result_store_one_row(repo):
    barrier = threading.Barrier(8)
    statuses = []

    def write():
        barrier.wait()
        statuses.append(
            repo.store_result(
                ResultRecord("h", ANSWERS, SCORES, "secretarial", "v1", "concurrent")
            )[0]
        )

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One writer inserts; the others find its key, or (when they checked the key just
    # before its commit) its identical answers, or hit the unique constraint.
    assert len(statuses) == 8 and statuses.count(INSERTED) == 1, statuses
    assert set(statuses) - {INSERTED} <= {DUPLICATE, UNCHANGED}
    assert repo.count() == 1


def test_concurrent_writers_of_one_key_with_other_answers_store_one_row(repo):
    # Different answers per writer: nothing but the key (and the constraint) stops a
    # second row.
    barrier = threading.Barrier(8)
    statuses = []

    def write(n):
        barrier.wait()
        statuses.append(
            repo.store_result(
                ResultRecord("h", {**ANSWERS, "n": n}, SCORES, "secretarial", "v1", "concurrent")
            )[0]
        )

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [DUPLICATE] * 7 + [INSERTED]
    assert repo.count() == 1


# -- migrations --------------------------------------------------------------------


def _revision(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def _schema_differences(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _legacy_metadata() -> MetaData:
    """quiz_results exactly as Base.metadata.create_all made it before migrations."""
    metadata = MetaData()
    Table(
        "quiz_results",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("conversation_hash", String(64), nullable=False, index=True),
        Column("answers", JSON, nullable=False),
        Column("scores", JSON, nullable=False),
        Column("variant", String(32), nullable=False),
        Column("rubric_version", String(40), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("feedback", String(16), nullable=True),
        Column("feedback_at", DateTime(timezone=True), nullable=True),
    )
    return metadata


def init_db(url: str) -> str:
    """Runs the real `python -m career_quiz.cli init-db --url URL` and returns its output."""
    done = subprocess.run(
        [sys.executable, "-m", "career_quiz.cli", "init-db", "--url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_fresh_database_is_migrated_to_the_model(results_url):
    output = init_db(results_url)
    assert f"revision {IDEMPOTENCY_REVISION} (was empty)" in output
    engine = make_engine(results_url)
    assert _revision(engine) == IDEMPOTENCY_REVISION
    assert _schema_differences(engine) == []
    columns = {c["name"]: c for c in inspect(engine).get_columns("quiz_results")}
    assert columns["idempotency_key"]["nullable"] is False
    engine.dispose()
    # Again: nothing to do.
    assert f"(was {IDEMPOTENCY_REVISION})" in init_db(results_url)


def test_legacy_create_all_database_is_stamped_and_upgraded(results_url):
    engine = make_engine(results_url)
    legacy = _legacy_metadata()
    legacy.create_all(engine)
    with engine.begin() as conn:
        for n, variant in enumerate(["secretarial", "specialist"], start=1):
            conn.execute(
                legacy.tables["quiz_results"]
                .insert()
                .values(
                    conversation_hash=f"h{n}",
                    answers=ANSWERS,
                    scores=SCORES,
                    variant=variant,
                    rubric_version="v1",
                    created_at=text("CURRENT_TIMESTAMP"),
                )
            )
    output = init_db(results_url)
    assert f"stamped as {INITIAL_REVISION}" in output
    assert f"revision {IDEMPOTENCY_REVISION}" in output
    assert _revision(engine) == IDEMPOTENCY_REVISION
    assert _schema_differences(engine) == []
    repo = ResultRepository(engine)
    # The old rows are kept, each with its own legacy key.
    rows = sorted((r.as_dict() for r in _all(engine)), key=lambda r: r["id"])
    assert [r["variant"] for r in rows] == ["secretarial", "specialist"]
    assert [r["idempotency_key"] for r in rows] == [f"legacy:{r['id']}" for r in rows]
    assert rows[0]["answers"] == ANSWERS
    # And new results are stored once per key.
    assert (
        repo.store_result(ResultRecord("h1", {"x": 1}, SCORES, "specialist", "v1", "new"))[0]
        == INSERTED
    )
    assert (
        repo.store_result(ResultRecord("h1", {"x": 1}, SCORES, "specialist", "v1", "new"))[0]
        == DUPLICATE
    )
    assert repo.count() == 3
    engine.dispose()


def _all(engine):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from career_quiz.repository import QuizResult

    with Session(engine) as session:
        return session.scalars(select(QuizResult)).all()


def test_unversioned_database_with_the_current_tables_is_stamped_at_the_key_revision(results_url):
    engine = make_engine(results_url)
    Base.metadata.create_all(engine)
    report = upgrade_schema(engine)
    assert (report.before, report.stamped, report.after) == (
        None,
        IDEMPOTENCY_REVISION,
        IDEMPOTENCY_REVISION,
    )
    assert _schema_differences(engine) == []
    engine.dispose()


def test_downgrade_and_upgrade_keep_the_rows(results_url):
    from alembic import command

    from career_quiz.repository import alembic_config

    engine = make_engine(results_url)
    upgrade_schema(engine)
    ResultRepository(engine).store_result(
        ResultRecord("h", ANSWERS, SCORES, "secretarial", "v1", "kept")
    )
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), INITIAL_REVISION)
    assert "idempotency_key" not in {c["name"] for c in inspect(engine).get_columns("quiz_results")}
    upgrade_schema(engine)
    [row] = [r.as_dict() for r in _all(engine)]
    assert row["variant"] == "secretarial"
    assert row["idempotency_key"] == f"legacy:{row['id']}"
    assert _schema_differences(engine) == []
    engine.dispose()
