"""SQL tracker store whose cost per message does not grow with the conversation.

Rasa 3.6's SQLTrackerStore reads the latest session of a conversation with

    WHERE sender_id = :id AND (timestamp >= (latest session_started) OR (...) IS NULL)

twice per message (to load the tracker, and to count before saving). The OR keeps
SQLite and PostgreSQL from using an index range, so every message reads every event
the conversation ever stored, although only the latest session is used: the cost
grows linearly with the conversation, small at quiz length but never stopping
(measured in docs/benchmarks.md, "Indexed reads in the SQL tracker store").

`IndexedSQLTrackerStore` keeps Rasa's table and semantics (events since the latest
`session_started`, ordered by id) but reads only the events from the session start,
found by an uncorrelated subquery in the same statement (one round trip), through
two indexes it adds to Rasa's `events` table. Rasa's save counts the stored events
of that session with the same statement. On SQLite it also keeps its connection open
(SQLAlchemy 1.4 opens a new one for every query on a file database) and writes in WAL
mode (one fsync per commit instead of several; still synchronous=FULL, so a commit
survives a power cut).
Configured in endpoints.yml:

    tracker_store:
      type: rasa_addons.tracker_store.IndexedSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db

Database errors fail one request, never the server: `session_scope` raises
`TrackerStoreUnavailable` (rasa_addons/outage.py) for any error inside it, where
Rasa would call `sys.exit(1)` on a `ValueError` (a lone surrogate or a NUL in a
sender id) or fall back to an empty in-memory tracker on other errors.

Schema set-up: `python -m rasa_addons.tracker_store URL` creates the database (through
`postgres` when it is missing), Rasa's tables and the indexes once, before the
replicas start (scripts/cluster.sh, the Kubernetes init container). Servers check the
indexes again with `CREATE INDEX IF NOT EXISTS` under an advisory lock.

Pinned with Rasa 3.6.21: it overrides `SQLTrackerStore._event_query` and
`SQLTrackerStore.session_scope`.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any, Generator, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from career_quiz.erasure import ERASED_SLOT
from rasa_addons.outage import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

# index name -> columns of Rasa's `events` table
INDEXES = {
    "ix_events_sender_type_time": ("sender_id", "type_name", "timestamp"),
    "ix_events_sender_time": ("sender_id", "timestamp"),
}
# Lower bound of the event timestamps read when a conversation has no session start
# (all of them; Rasa's timestamps are Unix times).
NO_SESSION_START = -1.0e300
# pg_advisory_xact_lock key that serialises the index creation of concurrent servers
# (any constant; "quiz" in ASCII).
ADVISORY_LOCK_KEY = 0x7175697A


def ensure_indexes(engine: Any) -> None:
    """Creates the extra indexes unless they exist; safe to run from many processes.

    `CREATE INDEX IF NOT EXISTS` alone still races on PostgreSQL (two servers that
    both find no index both create it; the second fails with UniqueViolation on
    pg_class and took its server down), so on PostgreSQL the statements run under a
    transaction-scoped advisory lock: the second server waits for the first one's
    commit and then finds the index.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        for name, columns in INDEXES.items():
            conn.execute(
                sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({', '.join(columns)})")
            )


class IndexedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, reading only the latest session through an index."""

    engine: Any  # SQLAlchemy 1.4 ships no types; replaced for SQLite files below

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database:
            self._use_pooled_wal_engine()
        # Normally done already by the set-up step (`python -m rasa_addons.tracker_store`,
        # run by scripts/cluster.sh before any replica starts); idempotent and
        # serialised, so replicas starting together on a fresh database all survive.
        ensure_indexes(self.engine)

    def _use_pooled_wal_engine(self) -> None:
        """SQLite file: one kept connection (QueuePool) in WAL journal mode."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, pool_size=1, connect_args={"check_same_thread": False}
        )

        @sa.event.listens_for(self.engine, "connect")
        def _wal(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save; after "Meine Daten löschen" (the `data_erased` slot set by
        action_erase_data, career_quiz/erasure.py) the conversation's stored events are
        replaced by a fresh session start, so nothing of this turn or before is kept.
        """
        if not any(
            isinstance(event, SlotSet) and event.key == ERASED_SLOT and event.value
            for event in tracker.events
        ):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == tracker.sender_id
            ).delete(synchronize_session=False)
            session.commit()
        fresh = DialogueStateTracker.from_events(
            tracker.sender_id,
            [
                ActionExecuted(ACTION_SESSION_START_NAME),
                SessionStarted(),
                ActionExecuted(ACTION_LISTEN_NAME),
            ],
        )
        await super().save(fresh)

    @contextlib.contextmanager
    def session_scope(self) -> Generator["sa.orm.Session", None, None]:
        """Rasa's transactional scope; any error in it fails only this request."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        except TrackerStoreUnavailable:
            raise
        except Exception as error:
            # Only the driver's first line: SQLAlchemy appends the statement and its
            # parameters (sender id, message text), which must not reach the log.
            logger.error(
                "Tracker store error (%s: %s); the request is refused with 503.",
                type(error).__name__,
                (str(error).splitlines() or [""])[0][:200],
            )
            with contextlib.suppress(Exception):
                session.rollback()
            raise TrackerStoreUnavailable(type(error).__name__) from error
        finally:
            session.close()

    def _event_query(
        self, session: "sa.orm.Session", sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> "sa.orm.Query":
        """Events of the latest session (or of all sessions), ordered by id."""
        event = self.SQLEvent
        query = session.query(event).filter(event.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            # One statement (one round trip to PostgreSQL) with an uncorrelated scalar
            # subquery, evaluated once; COALESCE instead of Rasa's OR keeps the index
            # range (no session start: every event of the conversation).
            session_start = (
                session.query(sa.func.max(event.timestamp))
                .filter(event.sender_id == sender_id, event.type_name == SessionStarted.type_name)
                .scalar_subquery()
            )
            query = query.filter(
                event.timestamp >= sa.func.coalesce(session_start, NO_SESSION_START)
            )
        return query.order_by(event.id)


def set_up(url: str) -> None:
    """Creates the tracker database (when missing), Rasa's tables and the indexes."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.database:
        admin = sa.create_engine(
            parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True
        )
        try:
            with admin.connect() as conn:
                conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
                exists = conn.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": parsed.database},
                ).scalar()
                if not exists:
                    conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
        finally:
            admin.dispose()
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
            SQLTrackerStore.Base.metadata.create_all(conn)
        ensure_indexes(engine)
    finally:
        engine.dispose()


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m rasa_addons.tracker_store URL`: the tracker store's schema set-up."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("Usage: python -m rasa_addons.tracker_store DATABASE_URL", file=sys.stderr)
        return 2
    set_up(args[0])
    print(f"Tracker store schema ready: {sa.engine.make_url(args[0]).render_as_string()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
