"""Results database: schema, migrations, engine factory and repository (SQLAlchemy 1.4,
2.0 style).

Plain Python (no rasa_sdk). Nothing connects at import time; the schema is created
and upgraded by Alembic (`migrations/`) in the explicit `python -m career_quiz.cli init-db`
step (`make db`), see `upgrade_schema`.

Every result carries an idempotency key (unique): writing the same result twice, e.g.
when the outbox (career_quiz/outbox.py) delivers it again after a crash, stores one row.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    String,
    UniqueConstraint,
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base, sessionmaker

if TYPE_CHECKING:  # career_quiz/results.py imports this module
    from career_quiz.results import ResultRecord

logger = logging.getLogger(__name__)

Base: Any = declarative_base()  # SQLAlchemy 1.4 ships no types for declarative classes

FEEDBACK_VALUES = ("helpful", "not_helpful")

# What store_result did.
INSERTED = "inserted"  # a new row
DUPLICATE = "duplicate"  # a row with this idempotency key exists already: nothing written
UNCHANGED = "unchanged"  # same answers and rubric version as the latest row: nothing written

# Alembic revisions (migrations/versions/). A database that `Base.metadata.create_all`
# made before migrations existed has no alembic_version table; `upgrade_schema` stamps
# it with the revision its tables match, then upgrades.
INITIAL_REVISION = "0001_initial"
IDEMPOTENCY_REVISION = "0002_idempotency_key"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
ALEMBIC_INI = MIGRATIONS_DIR.parent / "alembic.ini"


class QuizResult(Base):
    """One completed (or corrected) quiz. A correction adds a row; rows are never updated
    except to attach feedback.
    """

    __tablename__ = "quiz_results"
    __table_args__ = (UniqueConstraint("idempotency_key", name="uq_quiz_results_idempotency_key"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    # One per result: hash of the conversation hash and the user message that led to
    # it (see result_key); "legacy:<id>" for rows from before the key existed.
    idempotency_key = Column(String(64), nullable=False)
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


def log_id(conversation_id: str, salt: str) -> str:
    """How logs name a conversation: the first 12 hex digits of its stored hash (the
    outbox's log lines use the same), never the sender id itself.
    """
    return hash_conversation(conversation_id, salt)[:12]


def result_key(conversation_hash: str, stamp: str) -> str:
    """Idempotency key of one result: SHA-256 of the conversation hash and `stamp`, which
    names the moment the result belongs to (the timestamp and id of the user message that
    led to it). The same result written twice has the same key.
    """
    return hashlib.sha256(f"{conversation_hash}|{stamp}".encode()).hexdigest()


def new_result_key() -> str:
    """A unique key for a write whose caller gives none (no idempotency across retries)."""
    return f"auto:{uuid.uuid4().hex}"


# Seconds to wait for a PostgreSQL connection: the action must answer the visitor well
# within Rasa's action timeout even when the database host does not respond.
POSTGRES_CONNECT_TIMEOUT = 3


def make_engine(url: str) -> Engine:
    """Creates an engine; for SQLite files it creates the parent folder first."""
    parsed = make_url(url)
    kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Several processes (action server, tools) may write the same file.
        kwargs["connect_args"] = {"timeout": 15}
    elif parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        kwargs["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT}
    return create_engine(url, **kwargs)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL per process."""
    return make_engine(url)


@dataclass
class SchemaReport:
    """What upgrade_schema found and did."""

    before: Optional[str]  # revision before (None: empty or unversioned database)
    stamped: Optional[str]  # revision an unversioned create_all database was stamped with
    after: Optional[str]  # revision now (the head)


def alembic_config(connection: Optional[Connection] = None):
    """Alembic configuration of the project (alembic.ini, migrations/); with `connection`,
    migrations/env.py runs on it instead of opening its own.
    """
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _revision(connection: Connection) -> Optional[str]:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _unversioned_revision(connection: Connection) -> Optional[str]:
    """The revision a database without alembic_version matches (made by create_all before
    migrations existed, or by this module's metadata); None when it has no results table.
    """
    inspector = inspect(connection)
    if QuizResult.__tablename__ not in inspector.get_table_names():
        return None
    columns = {c["name"] for c in inspector.get_columns(QuizResult.__tablename__)}
    return IDEMPOTENCY_REVISION if "idempotency_key" in columns else INITIAL_REVISION


def upgrade_schema(engine: Engine) -> SchemaReport:
    """Creates or upgrades the results schema to the newest migration, in one transaction
    (idempotent). An unversioned database made by `Base.metadata.create_all` is stamped
    with the revision it matches first, then upgraded.
    """
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config(connection)
        before = _revision(connection)
        stamped = None
        if before is None:
            stamped = _unversioned_revision(connection)
            if stamped is not None:
                logger.info("Unversioned results schema: stamping it as %s", stamped)
                command.stamp(config, stamped)
        command.upgrade(config, "head")
        after = _revision(connection)
    return SchemaReport(before=before, stamped=stamped, after=after)


class ResultRepository:
    """All queries on quiz results. Each method runs in its own short transaction."""

    def __init__(self, engine: Engine, salt: str = "") -> None:
        """Binds the repository to an engine; `salt` keys the conversation hash."""
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self._salt = salt

    def _hash(self, conversation_id: str) -> str:
        return hash_conversation(conversation_id, self._salt)

    def conversation_hash(self, conversation_id: str) -> str:
        """The stored form of a conversation id (HMAC with this repository's salt)."""
        return self._hash(conversation_id)

    def store_result(self, record: ResultRecord) -> Tuple[str, Optional[int]]:
        """Stores a result, at most once per idempotency key.

        Returns (INSERTED, id), (DUPLICATE, id of the stored row) or (UNCHANGED, None:
        the conversation's latest result has the same answers and rubric version, the
        visitor only asked to see it again). Two writers racing with the same key store
        one row: the unique constraint rejects the second insert, which then counts as
        DUPLICATE.
        """
        key = record.idempotency_key or new_result_key()
        try:
            with self._sessions.begin() as session:
                existing = self._id_for_key(session, key)
                if existing is not None:
                    return DUPLICATE, existing
                latest = self._latest(session, record.conversation_hash)
                if (
                    latest is not None
                    and latest.answers == record.answers
                    and latest.rubric_version == record.rubric_version
                ):
                    return UNCHANGED, None
                row = QuizResult(
                    idempotency_key=key,
                    conversation_hash=record.conversation_hash,
                    answers=record.answers,
                    scores=record.scores,
                    variant=record.variant,
                    rubric_version=record.rubric_version,
                    created_at=record.created_at or _utcnow(),
                )
                session.add(row)
                session.flush()
                return INSERTED, row.id
        except IntegrityError:
            with self._sessions() as session:
                existing = self._id_for_key(session, key)
            if existing is None:
                raise
            return DUPLICATE, existing

    def store_feedback(
        self, conversation_hash: str, feedback: str, at: Optional[datetime] = None
    ) -> bool:
        """Attaches feedback to the hashed conversation's latest result; False if there is
        none. `at` is when it was given. Idempotent: the same feedback again changes
        nothing but its time.
        """
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"unknown feedback {feedback!r}")
        with self._sessions.begin() as session:
            latest = self._latest(session, conversation_hash)
            if latest is None:
                return False
            latest.feedback = feedback
            latest.feedback_at = at or _utcnow()
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

    def delete_conversation(self, conversation_hash: str) -> int:
        """Deletes every result (and so its feedback) of one hashed conversation
        ("Meine Daten löschen", career_quiz/erasure.py); the number of rows deleted.
        """
        with self._sessions.begin() as session:
            result = session.execute(
                delete(QuizResult).where(QuizResult.conversation_hash == conversation_hash)
            )
            return int(result.rowcount or 0)

    def delete_older_than(self, cutoff: datetime) -> int:
        """Deletes the results created before `cutoff` (retention purge); rows deleted."""
        with self._sessions.begin() as session:
            result = session.execute(delete(QuizResult).where(QuizResult.created_at < cutoff))
            return int(result.rowcount or 0)

    @staticmethod
    def _id_for_key(session: Session, key: str) -> Optional[int]:
        return session.scalar(select(QuizResult.id).where(QuizResult.idempotency_key == key))

    @staticmethod
    def _latest(session: Session, conversation_hash: str) -> Optional[QuizResult]:
        return session.scalars(
            select(QuizResult)
            .where(QuizResult.conversation_hash == conversation_hash)
            .order_by(QuizResult.id.desc())
            .limit(1)
        ).first()
