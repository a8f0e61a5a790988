"""Shared fixtures: the parser, databases (SQLite and PostgreSQL) and tracker factories."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "QUIZ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def _local_state_in_tmp(tmp_path, monkeypatch):
    """Tests never write the project's var/: the results outbox and the generated
    hash salt of in-process actions go to the test's own folder."""
    if "QUIZ_OUTBOX_PATH" not in os.environ:
        monkeypatch.setenv("QUIZ_OUTBOX_PATH", str(tmp_path / "outbox.db"))
    if "QUIZ_HASH_SALT_FILE" not in os.environ:
        monkeypatch.setenv("QUIZ_HASH_SALT_FILE", str(tmp_path / "hash_salt"))


@pytest.fixture(scope="session")
def nlp():
    """The project's spaCy pipeline, built in memory from the lexicon (no disk state)."""
    from actions.lexicon import load_lexicon
    from actions.nlp import build_pipeline

    return build_pipeline(load_lexicon())


@pytest.fixture(scope="session")
def task_classifier():
    """The work-preference classifier, trained in memory on data/knowledge/task_examples.yml."""
    from actions.task_model import TaskClassifier, load_examples, train

    return TaskClassifier(train(*load_examples()))


@pytest.fixture(scope="session")
def parser(nlp, task_classifier):
    """A MessageParser on the in-memory pipeline and classifier."""
    from actions.lexicon import load_lexicon
    from actions.parsing import MessageParser

    return MessageParser(nlp, load_lexicon(), task_classifier.probabilities)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file per test."""
    return f"sqlite:///{tmp_path / 'quiz.db'}"


@contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """Creates a PostgreSQL database named `prefix` + random suffix; yields its URL and
    drops it afterwards.

    Fails (does not skip) when the server on 127.0.0.1:5432 is unreachable:
    PostgreSQL support is part of the product.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


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

    from actions.repository import Base

    url = request.getfixturevalue("postgres_server_url")
    yield url
    engine = create_engine(url, future=True)
    Base.metadata.drop_all(engine)
    engine.dispose()


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender_id: str = "test-user",
):
    """A rasa_sdk Tracker whose latest message is `text` with `intent`."""
    from rasa_sdk import Tracker

    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    if events is None:
        events = [{"event": "action", "name": "action_listen"},
                  {"event": "user", "text": text, "parse_data": latest}]
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=events[-1].get("name") if events else None,
    )
