"""Outbox for writes to the results database: no result is lost, each is stored once.

Plain Python (no rasa_sdk). A result or feedback goes straight to the results database
when nothing of that database is waiting in the local SQLite file
(`settings.outbox_path()`, default var/outbox.db): the routine write costs one indexed
read of the file, no file write or fsync. When the database is unreachable (or its
table is missing, or it rejects the write) the operation is committed to the file, and
a background thread retries every `settings.outbox_retry_seconds()` (default 5) until
it is delivered. While operations wait in the file, every new write is committed to
it behind them and delivers them all, in FIFO order, removing each once delivered.

Exactly once: each result carries an idempotency key (career_quiz.repository.result_key),
and quiz_results has a unique constraint on it, so a result delivered twice (a crash
between the database commit and the removal from the file, two processes delivering
at once) stores one row. Feedback is idempotent by itself (it sets a value).

Order: a feedback applies to the conversation's latest result, so it must arrive after
the result it follows. Deliveries to one database are serialised by a lock file beside
the outbox (flock: across threads and processes), in the order the operations were
queued, and a delivery stops at the first failure. The lock files are in
`<outbox>.locks/`, one per target database.

The file holds conversation hashes, never conversation ids. Operations are kept per
target database (its URL without password); a flush delivers only its own target's.
Nothing happens at import time; the retry thread starts with the first write, or at
the action server's start (`resume()`, called by rasa_sdk_plugins) so that operations a
previous process left in the file are delivered without waiting for a new write.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

import portalocker
from sqlalchemy.engine import make_url

from career_quiz.repository import (
    DUPLICATE,
    FEEDBACK_VALUES,
    ResultRepository,
    engine_for,
    new_result_key,
    result_key,
)
from career_quiz.results import ResultRecord

logger = logging.getLogger(__name__)

RESULT = "result"
FEEDBACK = "feedback"

# What submit_* did with an operation.
STORED = "stored"  # in the results database now
QUEUED = "queued"  # kept in the outbox; the retry delivers it
LOST = "lost"  # neither queued nor stored: logged with its data at CRITICAL

# Seconds a write waits for another thread or process that is delivering, before it
# leaves its operation to that delivery or to the retry.
LOCK_WAIT_SECONDS = 2.0
# How often a waiting write looks at the lock again.
LOCK_POLL_SECONDS = 0.02
# While the database stays down, a failed retry is logged as a warning once a minute.
WARN_EVERY_SECONDS = 60.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('result', 'feedback')),
    payload TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_target_seq ON outbox (target, seq);
"""


def target_name(database_url: str) -> str:
    """The name the outbox files an operation under: the URL without its password."""
    return make_url(database_url).render_as_string(hide_password=True)


def result_stamp(events: Iterable[Dict[str, Any]]) -> Optional[str]:
    """Names the user message a result belongs to: timestamp and message id of the
    latest user event (Rasa sends both); None when the events carry neither.
    """
    for event in reversed(list(events or [])):
        if event.get("event") != "user":
            continue
        timestamp = event.get("timestamp")
        message_id = event.get("message_id") or (event.get("parse_data") or {}).get("message_id")
        if timestamp is None and not message_id:
            return None
        stamp = repr(float(timestamp)) if isinstance(timestamp, (int, float)) else ""
        return f"{stamp}|{message_id or ''}"
    return None


def result_key_for(conversation_hash: str, events: Iterable[Dict[str, Any]]) -> str:
    """Idempotency key of the result the latest user message led to (a random one when
    the events do not say which message that was).
    """
    stamp = result_stamp(events)
    return result_key(conversation_hash, stamp) if stamp else new_result_key()


class Entry(NamedTuple):
    """One queued operation (a tuple too: `seq, kind, payload, attempts, last_error`)."""

    seq: int
    kind: str
    payload: Dict[str, Any]
    attempts: int
    last_error: Optional[str] = None


def _entry(row: Tuple[Any, ...]) -> Entry:
    """An Entry from a row (seq, kind, payload JSON, attempts, last_error)."""
    seq, kind, payload, attempts, last_error = row
    return Entry(seq, kind, json.loads(payload), attempts, last_error)


@dataclass
class FlushReport:
    """What one flush did."""

    delivered: int = 0  # operations applied and removed from the outbox
    duplicates: int = 0  # of those, results that were stored already (idempotency key)
    pending: int = 0  # operations of this target still queued
    error: Optional[str] = None  # why the delivery stopped
    busy: bool = False  # another thread or process was delivering
    delivered_seqs: List[int] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None


def _before(stamp: str, cutoff: datetime) -> bool:
    when = _parse_time(stamp)
    return when is not None and when < cutoff


def _parse_time(value: Optional[str]) -> Optional[datetime]:
    return datetime.fromisoformat(value) if value else None


@contextmanager
def _delivery_lock(path: Path, wait: float) -> Iterator[bool]:
    """Exclusive lock on `path` (a flock through portalocker: it shuts out other
    processes and, on its own file handle, other threads of this one); yields False
    when it stayed busy for `wait` seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = portalocker.Lock(
        path,
        mode="a",
        timeout=max(0.0, wait),
        check_interval=LOCK_POLL_SECONDS,
        flags=portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING,
    )
    try:
        lock.acquire()
    except portalocker.LockException:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


class Outbox:
    """The outbox of one results database (`database_url`) in the file `path`."""

    def __init__(
        self,
        path: Path | str,
        database_url: str,
        retry_seconds: float = 5.0,
        lock_wait: float = LOCK_WAIT_SECONDS,
        repository: Optional[ResultRepository] = None,
    ) -> None:
        """Binds the outbox to its file and target; opens nothing yet."""
        self.path = Path(path)
        self.database_url = database_url
        self.target = target_name(database_url)
        self.retry_seconds = retry_seconds
        self.lock_wait = lock_wait
        digest = sha256(self.target.encode()).hexdigest()[:12]
        # One lock per target: deliveries to different databases do not wait for each other.
        self.lock_path = self.path.with_name(f"{self.path.name}.locks") / f"{digest}.lock"
        self._repository = repository
        self._ready = False
        self._thread: Optional[threading.Thread] = None
        self._thread_guard = threading.Lock()
        self._stop = threading.Event()
        self._failing_since: Optional[float] = None
        self._last_warning = 0.0

    # -- writing -------------------------------------------------------------

    def submit_result(self, record: ResultRecord) -> str:
        """Queues a result durably and delivers it with what is pending before it.
        Returns STORED, QUEUED or LOST; raises nothing the database or file can cause.
        """
        payload = {
            **asdict(record),
            "idempotency_key": record.idempotency_key or new_result_key(),
            "created_at": _iso(record.created_at or _now()),
        }
        return self._submit(RESULT, payload)

    def submit_feedback(
        self, conversation_hash: str, feedback: str, at: Optional[datetime] = None
    ) -> str:
        """Queues feedback for the conversation's latest result (after any result still
        queued) and delivers it; returns STORED, QUEUED or LOST.
        """
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"unknown feedback {feedback!r}")
        payload = {
            "conversation_hash": conversation_hash,
            "feedback": feedback,
            "at": _iso(at or _now()),
        }
        return self._submit(FEEDBACK, payload)

    def _submit(self, kind: str, payload: Dict[str, Any]) -> str:
        self._start_retry()
        try:
            waiting = self._has_pending()
        except (sqlite3.Error, OSError) as exc:
            logger.error(
                "Outbox %s is unusable (%s); writing the %s directly", self.path, exc, kind
            )
            return self._direct_or_lost(kind, payload)
        if not waiting:
            return self._direct_or_queued(kind, payload)
        # Operations are waiting: this one goes behind them (FIFO), and the write
        # delivers them all.
        try:
            seq = self._enqueue(kind, payload)
        except (sqlite3.Error, OSError) as exc:
            logger.error(
                "Outbox %s is unusable (%s); writing the %s directly", self.path, exc, kind
            )
            return self._direct_or_lost(kind, payload)
        try:
            report = self.flush(wait=self.lock_wait, own_seq=seq)
            if seq in report.delivered_seqs or not self._is_queued(seq):
                return STORED
        except Exception:  # it is committed in the file: the retry delivers it
            logger.exception(
                "Outbox %s: delivery failed; %s %s stays queued",
                self.path,
                kind,
                self._label(kind, payload),
            )
            return QUEUED
        if report.busy:
            logger.info(
                "Outbox %s: another delivery is running; %s %s queued behind it",
                self.path,
                kind,
                self._label(kind, payload),
            )
        else:
            logger.warning(
                "Results database %s unavailable (%s): %s %s kept in outbox %s "
                "(%d pending), retried every %gs",
                self.target,
                report.error,
                kind,
                self._label(kind, payload),
                self.path,
                report.pending,
                self.retry_seconds,
            )
        return QUEUED

    def _direct_or_queued(self, kind: str, payload: Dict[str, Any]) -> str:
        """The routine write (nothing of this target waiting in the file): straight to
        the database, and into the file only when that fails. No file write, no fsync,
        no lock for a write the database takes at once.

        Safe without writing the file first: the action that calls this answers Rasa
        only after it returns, so a process that dies during the write fails the
        action call, and the call run again (nginx's other action server, or the
        visitor's retry) writes the same idempotency key: one row. A write that fails
        here may have reached the database (its commit unconfirmed); queued and
        delivered again, the key keeps it one row (feedback only sets a value). A
        conversation's next message waits for this call (Rasa's conversation lock), so
        its feedback cannot overtake the result queued here.
        """
        try:
            self._deliver(kind, payload)
        except Exception as exc:  # the database decides what fails; keep the operation
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            try:
                self._enqueue(kind, payload, error=error)
            except (sqlite3.Error, OSError):
                self._lost(kind, payload)
                return LOST
            now = time.monotonic()
            self._failing_since = self._failing_since or now
            self._last_warning = now
            logger.warning(
                "Results database %s unavailable (%s): %s %s kept in outbox %s, retried every %gs",
                self.target,
                error,
                kind,
                self._label(kind, payload),
                self.path,
                self.retry_seconds,
            )
            return QUEUED
        self._failing_since = None
        return STORED

    def _direct_or_lost(self, kind: str, payload: Dict[str, Any]) -> str:
        """The outbox file is unusable: straight to the database, else logged as lost."""
        try:
            self._deliver(kind, payload)
        except Exception:
            self._lost(kind, payload)
            return LOST
        return STORED

    def _lost(self, kind: str, payload: Dict[str, Any]) -> None:
        logger.critical(
            "QUIZ %s LOST: neither queued in %s nor stored in %s: %s",
            kind.upper(),
            self.path,
            self.target,
            json.dumps(payload, sort_keys=True),
            exc_info=True,
        )

    @staticmethod
    def _label(kind: str, payload: Dict[str, Any]) -> str:
        if kind == RESULT:
            return f"key {str(payload['idempotency_key'])[:12]}"
        return f"for conversation {str(payload['conversation_hash'])[:12]}"

    # -- delivering ----------------------------------------------------------

    def flush(self, wait: float = 0.0, own_seq: Optional[int] = None) -> FlushReport:
        """Delivers this target's queued operations, oldest first, until the outbox is
        empty or one fails (the rest keep their order and wait for the next flush).
        Waits up to `wait` seconds for a delivery in another thread or process.
        `own_seq`: the write that flushes (it logs its own outcome).
        """
        report = FlushReport()
        with _delivery_lock(self.lock_path, wait) as acquired:
            if not acquired:
                report.busy = True
            else:
                while True:
                    entry = self._head()
                    if entry is None:
                        break
                    try:
                        status = self._deliver(entry.kind, entry.payload)
                    except Exception as exc:  # the database decides what fails; keep it
                        report.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                        self._record_failure(entry, report.error)
                        break
                    self._remove(entry.seq)
                    report.delivered += 1
                    report.duplicates += status == DUPLICATE
                    report.delivered_seqs.append(entry.seq)
        report.pending = self.pending()
        self._log(report, own_seq)
        return report

    def _log(self, report: FlushReport, own_seq: Optional[int]) -> None:
        now = time.monotonic()
        if report.error:
            if own_seq is not None:
                self._last_warning = now  # the write logs the failure itself
            elif self._failing_since is None or now - self._last_warning >= WARN_EVERY_SECONDS:
                logger.warning(
                    "Outbox %s: delivery to %s failed, %d pending: %s",
                    self.path,
                    self.target,
                    report.pending,
                    report.error,
                )
                self._last_warning = now
            self._failing_since = self._failing_since or now
        if report.delivered:
            since = (
                f" after {now - self._failing_since:.1f}s of failures"
                if self._failing_since is not None and not report.error
                else ""
            )
            # A write stored at once is routine; a backlog delivered is news.
            routine = report.delivered_seqs == [own_seq] and not since
            logger.log(
                logging.DEBUG if routine else logging.INFO,
                "Outbox %s: delivered %d queued operation(s) to %s (%d already "
                "stored)%s; %d pending",
                self.path,
                report.delivered,
                self.target,
                report.duplicates,
                since,
                report.pending,
            )
        if not report.error and not report.busy:
            self._failing_since = None

    def _deliver(self, kind: str, payload: Dict[str, Any]) -> str:
        repository = self._repo()
        if kind == RESULT:
            record = ResultRecord(
                **{**payload, "created_at": _parse_time(payload.get("created_at"))}
            )
            status, _ = repository.store_result(record)
            return status
        if kind == FEEDBACK:
            attached = repository.store_feedback(
                payload["conversation_hash"], payload["feedback"], _parse_time(payload.get("at"))
            )
            if not attached:
                logger.warning(
                    "Feedback for conversation %s has no stored result; dropped",
                    str(payload["conversation_hash"])[:12],
                )
            return "applied" if attached else "no_result"
        raise ValueError(f"unknown outbox operation {kind!r}")

    def _repo(self) -> ResultRepository:
        if self._repository is None:
            # The payloads hold hashes already: no salt needed here.
            self._repository = ResultRepository(engine_for(self.database_url))
        return self._repository

    # -- the retry thread ----------------------------------------------------

    def _start_retry(self) -> None:
        with self._thread_guard:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._retry_loop,
                daemon=True,
                name=f"quiz-outbox-retry-{self.lock_path.name}",
            )
            self._thread.start()

    def resume(self) -> int:
        """Starts the retry thread (idempotent) and returns the operations waiting in the
        file. Called when the action server starts: a previous process (killed, or
        restarted during a database outage) may have left operations behind, and
        another process sharing the file may queue some later.
        """
        self._start_retry()
        waiting = self.pending()
        if waiting:
            logger.info(
                "Outbox %s: %d operation(s) left by an earlier process; retried every %gs",
                self.path,
                waiting,
                self.retry_seconds,
            )
        return waiting

    def retrying(self) -> bool:
        """True while the retry thread runs."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def _retry_loop(self) -> None:
        while not self._stop.wait(self.retry_seconds):
            try:
                if self.pending():
                    self.flush(wait=0.0)
            except Exception:  # keep retrying whatever happens (e.g. the file is locked)
                logger.exception("Outbox %s: retry failed", self.path)

    def close(self) -> None:
        """Stops the retry thread (queued operations stay in the file)."""
        self._stop.set()
        with self._thread_guard:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)

    # -- the file ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            if not self._ready:
                conn.executescript(SCHEMA)
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    def _enqueue(self, kind: str, payload: Dict[str, Any], error: Optional[str] = None) -> int:
        """Queues an operation; `error`: why its first delivery (already tried) failed."""
        with closing(self._connect()) as conn:
            cursor = conn.execute(
                "INSERT INTO outbox (target, kind, payload, queued_at, attempts, last_error) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    self.target,
                    kind,
                    json.dumps(payload, sort_keys=True),
                    _iso(_now()),
                    0 if error is None else 1,
                    None if error is None else error[:500],
                ),
            )
            if cursor.lastrowid is None:  # sqlite3 sets it after every INSERT
                raise sqlite3.OperationalError("outbox insert returned no row id")
            return cursor.lastrowid

    def _head(self) -> Optional[Entry]:
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT seq, kind, payload, attempts, last_error FROM outbox WHERE target = ? "
                "ORDER BY seq LIMIT 1",
                (self.target,),
            ).fetchone()
        return _entry(row) if row else None

    def _remove(self, seq: int) -> None:
        with closing(self._connect()) as conn:
            conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def _record_failure(self, entry: Entry, error: str) -> None:
        try:
            with closing(self._connect()) as conn:
                conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                    (error[:500], entry.seq),
                )
        except sqlite3.Error:
            logger.exception("Outbox %s: could not record a failed attempt", self.path)

    def _is_queued(self, seq: int) -> bool:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT 1 FROM outbox WHERE seq = ?", (seq,)).fetchone() is not None

    def _has_pending(self) -> bool:
        """Whether an operation of this target is queued (one indexed read)."""
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT 1 FROM outbox WHERE target = ? LIMIT 1", (self.target,)
            ).fetchone()
        return row is not None

    def pending(self) -> int:
        """Operations of this target still queued."""
        with closing(self._connect()) as conn:
            return conn.execute(
                "SELECT count(*) FROM outbox WHERE target = ?", (self.target,)
            ).fetchone()[0]

    def pending_by_target(self) -> Dict[str, int]:
        """Queued operations per target database, for operators (flush-outbox)."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT target, count(*) FROM outbox GROUP BY target").fetchall()
        return {target: n for target, n in rows}

    def discard(
        self,
        conversation_hash: Optional[str] = None,
        queued_before: Optional[datetime] = None,
    ) -> int:
        """Deletes queued operations of every target: those of one hashed conversation
        ("Meine Daten löschen") or those queued before `queued_before` (retention purge).
        Holds this target's delivery lock, so no delivery of them is under way. The
        number of operations deleted.
        """
        if conversation_hash is None and queued_before is None:
            raise ValueError("discard needs a conversation hash or a time")
        if not self.path.exists():
            return 0
        with _delivery_lock(self.lock_path, max(self.lock_wait, 10.0)):
            with closing(self._connect()) as conn:
                rows = conn.execute("SELECT seq, payload, queued_at FROM outbox").fetchall()
                doomed = [
                    seq
                    for seq, payload, queued_at in rows
                    if (
                        conversation_hash is not None
                        and json.loads(payload).get("conversation_hash") == conversation_hash
                    )
                    or (queued_before is not None and _before(queued_at, queued_before))
                ]
                conn.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in doomed])
        return len(doomed)

    def entries(self) -> List[Entry]:
        """This target's queued operations, oldest first."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT seq, kind, payload, attempts, last_error FROM outbox WHERE target = ? "
                "ORDER BY seq",
                (self.target,),
            ).fetchall()
        return [_entry(row) for row in rows]


_OUTBOXES: Dict[Tuple[str, str, float], Outbox] = {}
_OUTBOXES_GUARD = threading.Lock()


def outbox_for(path: Path | str, database_url: str, retry_seconds: float = 5.0) -> Outbox:
    """One Outbox (and retry thread) per file, database and interval in this process."""
    key = (str(Path(path).resolve()), database_url, float(retry_seconds))
    with _OUTBOXES_GUARD:
        outbox = _OUTBOXES.get(key)
        if outbox is None:
            outbox = _OUTBOXES[key] = Outbox(path, database_url, retry_seconds=retry_seconds)
        return outbox
