"""Results repository on SQLite and on the PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from actions.repository import ResultRepository, create_schema, hash_conversation, make_engine

ANSWERS = {"training": ["office"], "languages": ["en:fluent"], "task_preference": "assistance"}
SCORES = {"secretarial": 95, "specialist": 29, "project_management": 53}


@pytest.fixture
def repo(database_url):
    engine = make_engine(database_url)
    create_schema(engine)
    yield ResultRepository(engine)
    engine.dispose()


def test_schema_is_created_explicitly_and_idempotently(database_url):
    engine = make_engine(database_url)
    assert "quiz_results" not in inspect(engine).get_table_names()
    create_schema(engine)
    create_schema(engine)
    assert "quiz_results" in inspect(engine).get_table_names()
    engine.dispose()


def test_save_and_read_back(repo):
    row_id = repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v1")
    assert row_id is not None
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
    repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v1")
    corrected = {**ANSWERS, "training": ["office", "degree"]}
    repo.save_result("conv-1", corrected, SCORES, "project_management", "v1")
    rows = repo.results_for("conv-1")
    assert [r["variant"] for r in rows] == ["secretarial", "project_management"]
    assert rows[0]["answers"] == ANSWERS


def test_same_answers_again_store_nothing(repo):
    assert repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v1") is not None
    assert repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v1") is None
    # A new rubric version is a new result.
    assert repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v2") is not None
    assert repo.count() == 2


def test_feedback_goes_to_the_latest_result(repo):
    assert repo.set_feedback("conv-1", "helpful") is False
    repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v1")
    repo.save_result("conv-1", {**ANSWERS, "languages": []}, SCORES, "secretarial", "v1")
    assert repo.set_feedback("conv-1", "not_helpful") is True
    rows = repo.results_for("conv-1")
    assert [r["feedback"] for r in rows] == [None, "not_helpful"]
    assert rows[1]["feedback_at"] is not None
    with pytest.raises(ValueError):
        repo.set_feedback("conv-1", "<script>")


def test_conversations_are_kept_apart(repo):
    repo.save_result("conv-1", ANSWERS, SCORES, "secretarial", "v1")
    repo.save_result("conv-2", ANSWERS, SCORES, "specialist", "v1")
    assert len(repo.results_for("conv-1")) == 1
    assert repo.variant_counts() == {"secretarial": 1, "specialist": 1}


def test_hostile_text_is_stored_verbatim_not_executed(repo):
    answers = {**ANSWERS, "note": "'); DROP TABLE quiz_results; -- <script>alert(1)</script>"}
    repo.save_result("x'); DROP TABLE quiz_results; --", answers, SCORES, "secretarial", "v1")
    assert repo.count() == 1
    assert repo.results_for("x'); DROP TABLE quiz_results; --")[0]["answers"] == answers


def test_salted_hash_differs_from_plain():
    assert hash_conversation("a", "salt") != hash_conversation("a")
    assert len(hash_conversation("a", "salt")) == 64


def test_sqlite_default_creates_its_folder(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'quiz.db'}")
    create_schema(engine)
    assert (tmp_path / "nested" / "dir" / "quiz.db").exists()
    engine.dispose()
