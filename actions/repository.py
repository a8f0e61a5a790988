"""Results database: schema, engine factory and repository (SQLAlchemy 1.4, 2.0 style).

Plain Python (no rasa_sdk). Nothing connects at import time; the schema is
created by the explicit `python -m actions.cli init-db` step (`make db`).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    String,
    create_engine,
    func,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()

FEEDBACK_VALUES = ("helpful", "not_helpful")


class QuizResult(Base):
    """One completed (or corrected) quiz. A correction adds a row; rows are never updated
    except to attach feedback."""

    __tablename__ = "quiz_results"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_hash = Column(String(64), nullable=False, index=True)
    answers = Column(JSON, nullable=False)
    scores = Column(JSON, nullable=False)
    variant = Column(String(32), nullable=False)
    rubric_version = Column(String(40), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    feedback = Column(String(16), nullable=True)
    feedback_at = Column(DateTime(timezone=True), nullable=True)

    def as_dict(self) -> Dict[str, Any]:
        """Plain dict of the row, for tools and tests."""
        return {c.name: getattr(self, c.name) for c in self.__table__.columns}


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def hash_conversation(conversation_id: str, salt: str = "") -> str:
    """SHA-256 (HMAC with the salt, when set) of the conversation id; ids are not stored."""
    if salt:
        return hmac.new(salt.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()
    return hashlib.sha256(conversation_id.encode()).hexdigest()


def make_engine(url: str) -> Engine:
    """Creates an engine; for SQLite files it creates the parent folder first."""
    parsed = make_url(url)
    kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Several processes (action server, tools) may write the same file.
        kwargs["connect_args"] = {"timeout": 15}
    return create_engine(url, **kwargs)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL per process."""
    return make_engine(url)


def create_schema(engine: Engine) -> None:
    """Creates the tables that do not exist yet (idempotent)."""
    Base.metadata.create_all(engine)


class ResultRepository:
    """All queries on quiz results. Each method runs in its own short transaction."""

    def __init__(self, engine: Engine, salt: str = "") -> None:
        """Binds the repository to an engine; `salt` keys the conversation hash."""
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self._salt = salt

    def _hash(self, conversation_id: str) -> str:
        return hash_conversation(conversation_id, self._salt)

    def save_result(
        self,
        conversation_id: str,
        answers: Dict[str, Any],
        scores: Dict[str, int],
        variant: str,
        rubric_version: str,
    ) -> Optional[int]:
        """Stores a result and returns its id.

        Returns None without writing when the conversation's latest result has
        the same answers and rubric version (the user only asked to see it again).
        """
        conversation_hash = self._hash(conversation_id)
        with self._sessions.begin() as session:
            latest = self._latest(session, conversation_hash)
            if (
                latest is not None
                and latest.answers == answers
                and latest.rubric_version == rubric_version
            ):
                return None
            row = QuizResult(
                conversation_hash=conversation_hash,
                answers=answers,
                scores=scores,
                variant=variant,
                rubric_version=rubric_version,
                created_at=_utcnow(),
            )
            session.add(row)
            session.flush()
            return row.id

    def set_feedback(self, conversation_id: str, feedback: str) -> bool:
        """Attaches feedback to the conversation's latest result; False if there is none."""
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"unknown feedback {feedback!r}")
        with self._sessions.begin() as session:
            latest = self._latest(session, self._hash(conversation_id))
            if latest is None:
                return False
            latest.feedback = feedback
            latest.feedback_at = _utcnow()
            return True

    def results_for(self, conversation_id: str) -> List[Dict[str, Any]]:
        """All results of one conversation, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(QuizResult)
                .where(QuizResult.conversation_hash == self._hash(conversation_id))
                .order_by(QuizResult.id)
            ).all()
            return [r.as_dict() for r in rows]

    def count(self) -> int:
        """Number of stored results."""
        with self._sessions() as session:
            return session.scalar(select(func.count(QuizResult.id))) or 0

    def variant_counts(self) -> Dict[str, int]:
        """How often each variant was recommended (all rows)."""
        with self._sessions() as session:
            rows = session.execute(
                select(QuizResult.variant, func.count(QuizResult.id)).group_by(QuizResult.variant)
            ).all()
            return {variant: n for variant, n in rows}

    @staticmethod
    def _latest(session: Session, conversation_hash: str) -> Optional[QuizResult]:
        return session.scalars(
            select(QuizResult)
            .where(QuizResult.conversation_hash == conversation_hash)
            .order_by(QuizResult.id.desc())
            .limit(1)
        ).first()
