"""Rasa's SQL tracker store, except that a database error fails one request.

Rasa 3.6's `SQLTrackerStore.session_scope` calls `sys.exit(1)` on a `ValueError`
(a lone surrogate in a sender id on SQLite, a NUL on PostgreSQL is enough), and
Rasa's `FailSafeTrackerStore` turns other errors into an empty in-memory tracker, so
the conversation would go on without its answers. Here any error inside the scope
raises `TrackerStoreUnavailable` (rasa_addons/outage.py): the channel answers with an
apology and a 503, the tracker is not saved, and the retry continues where it was.

Everything else is Rasa's store: tables, queries, schema. Configured in endpoints.yml:

    tracker_store:
      type: rasa_addons.tracker_store.SafeSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db

An earlier version also replaced Rasa's event query with an indexed one; the bench's
`rasa-tracker-store` experiment measured no gain at quiz length (sessions restart per
quiz and expire after 60 minutes), so it was dropped (docs/benchmarks.md).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Generator

from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists

from rasa_addons.outage import TrackerStoreUnavailable

logger = logging.getLogger(__name__)


class SafeSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store whose database errors fail one request, not the process."""

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's transactional scope; any error in it fails only this request."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        except TrackerStoreUnavailable:
            raise
        except Exception as error:
            logger.error(
                "Tracker store error (%s: %s); the request is refused with 503.",
                type(error).__name__,
                str(error)[:200],
            )
            with contextlib.suppress(Exception):
                session.rollback()
            raise TrackerStoreUnavailable(type(error).__name__) from error
        finally:
            session.close()
