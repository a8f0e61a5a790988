"""Shared fixtures: the parser and databases (SQLite and PostgreSQL).

Factories and helpers that tests import live in tests/helpers.py, not here.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest

# Sanic puts `filterwarnings("once", category=DeprecationWarning)` in front of all filters
# when it is first imported. Imported here, before pytest applies pyproject.toml's
# filters around collection and each test, it cannot push them aside.
import sanic.app  # noqa: F401  isort: skip

from devtools.databases import throwaway_postgres_database


@pytest.fixture(autouse=True)
def _local_state_in_tmp(tmp_path, monkeypatch):
    """Tests never write the project's var/: the results outbox and the generated
    hash salt of in-process actions go to the test's own folder.
    """
    if "QUIZ_OUTBOX_PATH" not in os.environ:
        monkeypatch.setenv("QUIZ_OUTBOX_PATH", str(tmp_path / "outbox.db"))
    if "QUIZ_HASH_SALT_FILE" not in os.environ:
        monkeypatch.setenv("QUIZ_HASH_SALT_FILE", str(tmp_path / "hash_salt"))


@pytest.fixture(scope="session")
def nlp():
    """The project's spaCy pipeline, built in memory from the lexicon (no disk state); the
    same object the actions fall back to when no saved pipeline exists.
    """
    from career_quiz.nlp import in_memory_pipeline

    return in_memory_pipeline()


@pytest.fixture(scope="session")
def task_classifier():
    """The work-preference classifier, trained in memory on data/knowledge/task_examples.yml
    (shared with the actions' fallback).
    """
    from career_quiz.task_model import in_memory_classifier

    return in_memory_classifier()


@pytest.fixture(scope="session")
def parser(nlp, task_classifier):
    """A MessageParser on the in-memory pipeline and classifier."""
    from career_quiz.lexicon import load_lexicon
    from career_quiz.parsing import MessageParser

    return MessageParser(nlp, load_lexicon(), task_classifier.probabilities)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file per test."""
    return f"sqlite:///{tmp_path / 'quiz.db'}"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session, dropped afterwards."""
    with throwaway_postgres_database("quiz_test_") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty results database on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'quiz.db'}"
        return
    from sqlalchemy import create_engine

    from career_quiz.repository import Base

    url = request.getfixturevalue("postgres_server_url")
    yield url
    engine = create_engine(url, future=True)
    Base.metadata.drop_all(engine)
    engine.dispose()
