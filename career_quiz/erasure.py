"""Erasure ("Meine Daten löschen") and the retention purge, through the stores' SQL.

Plain Python (no rasa). Rasa 3.6 has no route or method to delete a conversation, so
this module deletes directly in the stores Rasa and the action server use:

* the tracker store's `events` table (Rasa's SQLTrackerStore schema; every message
  word for word under the raw sender id),
* the results database (`quiz_results`: answers, scores, variant and feedback under
  the salted conversation hash, career_quiz/repository.py),
* the local outbox of results not yet delivered (career_quiz/outbox.py),
* the Redis lock key of the conversation, when endpoints.yml configures a Redis lock
  store (Rasa deletes it after each message anyway; it names the sender id).

The stores come from the same configuration the servers use: the tracker store and the
lock store from the Rasa endpoints file (`settings.endpoints_file()`, or
QUIZ_TRACKER_DB_URL), the results database, outbox and salt from settings.

The conversation that asks for its own erasure is special: Rasa saves the events of
the current turn after the action has run. rasa_addons/tracker_store.py therefore
saves only a fresh session start for a tracker whose events set the `data_erased` slot
(`ERASED_SLOT`), so nothing of the old conversation is written back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from career_quiz import settings

logger = logging.getLogger(__name__)

# The slot action_erase_data sets after deleting (domain/privacy.yml).
ERASED_SLOT = "data_erased"
CONFIRM_RESPONSE = "utter_erase_data_confirm"
EVENTS_TABLE = "events"  # Rasa's SQLTrackerStore table
DEFAULT_LOCK_PREFIX = "lock:"  # rasa.core.lock_store.DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
_AGE = re.compile(r"^\s*(\d+)\s*([dhm]?)\s*$")


@dataclass
class LockStore:
    """A Redis lock store as endpoints.yml configures it."""

    host: str = "localhost"
    port: int = 6379
    db: int = 0
    password: Optional[str] = None
    key_prefix: str = DEFAULT_LOCK_PREFIX
    use_ssl: bool = False
    # rasa_addons.lock_store.AtomicRedisLockStore keeps a ticket queue and its counter
    # ("<prefix>q:<id>", "<prefix>q:<id>:n") instead of Rasa's one key ("<prefix><id>").
    atomic: bool = False

    def key(self, sender_id: str) -> str:
        """The Redis key of the conversation's lock (Rasa's RedisLockStore)."""
        return self.key_prefix + sender_id

    def keys(self, sender_id: str) -> List[str]:
        """Every Redis key this lock store keeps for the conversation."""
        if self.atomic:
            queue = f"{self.key_prefix}q:{sender_id}"
            return [queue, f"{queue}:n"]
        return [self.key(sender_id)]


@dataclass
class Stores:
    """Where one installation keeps conversation data."""

    tracker_url: Optional[str]  # SQLAlchemy URL of the tracker store (None: not SQL)
    results_url: str
    outbox_path: Path
    salt: str
    lock_store: Optional[LockStore] = None


@dataclass
class Report:
    """Rows deleted per store."""

    events: int = 0
    results: int = 0
    outbox: int = 0
    locks: int = 0
    skipped: list = field(default_factory=list)  # stores not configured

    def as_dict(self) -> Dict[str, Any]:
        """Plain dict, for the CLI's output."""
        return asdict(self)


# -- configuration -------------------------------------------------------------


def _expand(value: Any) -> Any:
    """${VAR} from the environment, as Rasa expands endpoint files."""
    if isinstance(value, str):
        return settings.expand_variables(value)
    if isinstance(value, dict):
        return {k: _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    return value


def read_endpoints(path: Path) -> Dict[str, Any]:
    """The endpoints file with ${VAR} expanded; {} when it is missing."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return {}
    return _expand(data)


def tracker_url(config: Mapping[str, Any], root: Path = settings.PROJECT_ROOT) -> Optional[str]:
    """SQLAlchemy URL of an SQL tracker store section, built as Rasa's SQLTrackerStore
    builds it (a relative SQLite file lies in the Rasa server's folder, `root`); None for
    other tracker stores.
    """
    kind = str(config.get("type") or "")
    if kind != "sql" and not kind.endswith("SQLTrackerStore"):
        return None
    host = str(config.get("url") or "")
    if "://" in host:  # Rasa takes a complete URL in `url` as it is
        return host
    dialect = str(config.get("dialect") or "sqlite")
    db = str(config.get("db") or "rasa.db")
    port = config.get("port")
    if host:  # Rasa also reads a port written into `url` ("db.example:5433")
        parsed = urlsplit(f"scheme://{host}")
        host, port = parsed.hostname or host, parsed.port or port
    if dialect.startswith("sqlite"):
        path = Path(db)
        return f"{dialect}:///{path if path.is_absolute() else root / path}"
    url = URL.create(
        drivername=dialect,
        username=config.get("username"),
        password=config.get("password"),
        host=host or None,
        port=int(port) if port else None,
        database=db,
        query=config.get("query") or {},
    )
    return url.render_as_string(hide_password=False)


def lock_store(config: Optional[Mapping[str, Any]]) -> Optional[LockStore]:
    """The Redis lock store of an endpoints `lock_store:` section; None for others."""
    kind = str((config or {}).get("type") or "")
    if not config or (kind != "redis" and not kind.endswith("RedisLockStore")):
        return None
    prefix = DEFAULT_LOCK_PREFIX
    custom = config.get("key_prefix")
    if isinstance(custom, str) and custom.isalnum():  # as RedisLockStore._set_key_prefix
        prefix = f"{custom}:{DEFAULT_LOCK_PREFIX}"
    url = str(config.get("url") or "localhost")
    host, port, db, password = url, config.get("port"), config.get("db"), config.get("password")
    use_ssl = bool(config.get("use_ssl"))
    if "://" in url:  # a redis:// URL, as rasa_addons.lock_store accepts
        parts = urlsplit(url)
        host, port, password = parts.hostname or "localhost", parts.port, parts.password
        db = parts.path.strip("/") or 0
        use_ssl = parts.scheme == "rediss"
    return LockStore(
        host=host,
        port=int(port or 6379),
        db=int(db or 0),
        password=password or None,
        key_prefix=prefix,
        use_ssl=use_ssl,
        atomic=kind.endswith("AtomicRedisLockStore"),
    )


def configured_tracker_url() -> Optional[str]:
    """QUIZ_TRACKER_DB_URL, else the SQL tracker store of the Rasa endpoints file."""
    endpoints = read_endpoints(settings.endpoints_file())
    return settings.tracker_db_url() or tracker_url(endpoints.get("tracker_store") or {})


def configured_stores() -> Stores:
    """The stores of this installation (settings and the Rasa endpoints file)."""
    endpoints = read_endpoints(settings.endpoints_file())
    url = settings.tracker_db_url() or tracker_url(endpoints.get("tracker_store") or {})
    return Stores(
        tracker_url=url,
        results_url=settings.database_url(),
        outbox_path=settings.outbox_path(),
        salt=settings.hash_salt(),
        lock_store=lock_store(endpoints.get("lock_store")),
    )


# -- the dialogue ----------------------------------------------------------------


def confirmation_was_asked(events: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the bot's replies to the message before the latest one asked "Möchten
    Sie wirklich alle Daten … löschen?" (events as rasa_sdk gives them): as the rule's
    response, or sent by action_erase_data itself after a typed "Ja, Daten löschen"
    out of the blue (its button then confirms; it asked in a loop before).
    """
    seen_user = False
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and kind == "bot":
            if (event.get("metadata") or {}).get("utter_action") == CONFIRM_RESPONSE:
                return True
        elif seen_user and kind == "action" and event.get("name") == CONFIRM_RESPONSE:
            return True
    return False


# -- deleting ------------------------------------------------------------------


def _engine(url: str) -> Engine:
    from career_quiz.repository import make_engine

    return make_engine(url)


def _events_table() -> sa.Table:
    return sa.Table(
        EVENTS_TABLE,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("timestamp", sa.Float),
    )


def _delete_events(url: str, where: Callable[[sa.Table], Any]) -> int:
    engine = _engine(url)
    table = _events_table()
    try:
        with engine.begin() as conn:
            if not sa.inspect(conn).has_table(EVENTS_TABLE):
                return 0
            return int(conn.execute(sa.delete(table).where(where(table))).rowcount or 0)
    finally:
        engine.dispose()


def delete_tracker_events(url: str, sender_id: str) -> int:
    """Deletes every stored event of one conversation; the number deleted."""
    return _delete_events(url, lambda table: table.c.sender_id == sender_id)


def _results(stores: Stores):
    from career_quiz.repository import ResultRepository, engine_for

    return ResultRepository(engine_for(stores.results_url), stores.salt)


def _outbox(stores: Stores):
    from career_quiz.outbox import Outbox

    return Outbox(stores.outbox_path, stores.results_url)


def _redis(lock: LockStore):
    import redis  # type: ignore[import-untyped]

    return redis.StrictRedis(
        host=lock.host,
        port=lock.port,
        db=lock.db,
        password=lock.password,
        ssl=lock.use_ssl,
        socket_timeout=3,
    )


def erase_conversation(sender_id: str, stores: Stores) -> Report:
    """Deletes everything stored about one conversation (by its sender id): the
    outbox entries first (so none is delivered afterwards), then results and
    feedback, the tracker events and the lock key. Raises when a store fails; what
    was deleted before stays deleted, and a second call finishes the rest.
    """
    report = Report()
    results = _results(stores)
    conversation_hash = results.conversation_hash(sender_id)
    report.outbox = _outbox(stores).discard(conversation_hash=conversation_hash)
    report.results = results.delete_conversation(conversation_hash)
    if stores.tracker_url:
        report.events = delete_tracker_events(stores.tracker_url, sender_id)
    else:
        report.skipped.append("tracker store (not SQL)")
    if stores.lock_store is not None:
        report.locks = int(_redis(stores.lock_store).delete(*stores.lock_store.keys(sender_id)))
    logger.info(
        "Erased conversation %s: %d events, %d results, %d outbox entries, %d lock keys",
        conversation_hash[:12],
        report.events,
        report.results,
        report.outbox,
        report.locks,
    )
    return report


def parse_age(text: str) -> timedelta:
    """An age: "90d", "12h", "30m" or a bare number of days; ValueError otherwise."""
    match = _AGE.match(text or "")
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"invalid age {text!r}: use e.g. 90d, 12h or 30m")
    number, unit = int(match.group(1)), match.group(2) or "d"
    return {"d": timedelta(days=number), "h": timedelta(hours=number)}.get(
        unit, timedelta(minutes=number)
    )


def purge(older_than: timedelta, stores: Stores, now: Optional[datetime] = None) -> Report:
    """Deletes tracker events, results and outbox entries older than `older_than`."""
    cutoff = (now or datetime.now(timezone.utc)) - older_than
    report = Report()
    report.outbox = _outbox(stores).discard(queued_before=cutoff)
    report.results = _results(stores).delete_older_than(cutoff)
    if stores.tracker_url:
        stamp = cutoff.timestamp()
        report.events = _delete_events(stores.tracker_url, lambda table: table.c.timestamp < stamp)
    else:
        report.skipped.append("tracker store (not SQL)")
    logger.info(
        "Purged data older than %s: %d events, %d results, %d outbox entries",
        cutoff.isoformat(timespec="seconds"),
        report.events,
        report.results,
        report.outbox,
    )
    return report
