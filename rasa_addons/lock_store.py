"""Conversation lock stores with an atomic ticket and a short poll.

Rasa processes the messages of one conversation one at a time, in the order they
arrived, through a ticket lock (rasa/core/lock.py): each message draws a ticket and
waits until it is the first one still queued. Rasa 3.6.21's stores have two faults:

* `RedisLockStore` draws the ticket by reading the lock, adding a ticket and writing
  the lock back (GET, then SET): two replicas drawing at once can get the same number
  or overwrite each other's ticket, so messages run together or out of order (the
  atomic fix, rasa#11256, was reverted from Rasa Open Source in #11428).
* Both stores poll for the lock once a second (`wait_time_in_seconds=1`): twenty
  quick messages from one visitor took about 20 s, almost all of it waiting.

`AtomicRedisLockStore` keeps the queue in Redis as a sorted set per conversation
(member "ticket:expiry-ms", score the ticket) and changes it only in Lua scripts,
which Redis runs atomically: a ticket is `INCR` of a counter, and an expired ticket
(its holder died; Rasa's lifetime, TICKET_LOCK_LIFETIME, default 60 s) is dropped
by whoever looks next, by Redis's clock. Waiters poll every `poll_seconds` (default
0.02, env QUIZ_LOCK_POLL_SECONDS). When Redis cannot be reached the message is not
processed and the visitor gets the German "please send it again" apology
(`LockStoreUnavailable`, a rasa_addons.outage.ServiceUnavailable), never a 500.

`ShortPollInMemoryLockStore` is Rasa's in-memory store (one process: its ticket is
already atomic) with the same short poll; endpoints.yml uses it for `make run`.

Both stores also bound the messages one process works on at once
(`max_concurrent_messages`, default 4): a message whose turn has come waits for a
slot before Rasa processes it. Rasa runs every message of a process on one event
loop; with 25 messages at once (50 visitors, two replicas) each one's steps waited
behind the others' CPU work, so a custom-action call that took 0.2 s on the action
server exceeded the 5 s action time limit (QUIZ_ACTION_TIMEOUT) on the Rasa side,
and the visitor got the "please send it again" apology (HTTP 503). Waiting for a
slot happens before the message's work starts, where no time limit runs; the
action servers and the tracker store's connection pool then see at most this many
requests per replica. A slot is taken only once the conversation's turn has come,
so a visitor's queued messages never hold slots other visitors need, and a free slot
goes to the message that arrived first, so a message that waited for its turn is not
queued again behind later arrivals.

The Redis store wakes a waiter of the same process as soon as the holder releases
(no poll delay when both messages went to the same replica); the poll is for a
holder on another replica, and a waiter further back in the queue polls less often
(`poll_seconds` times its place, at most 10 times).

endpoints (cluster: endpoints.scaled.yml):

    lock_store:
      type: rasa_addons.lock_store.AtomicRedisLockStore
      url: ${REDIS_URL}          # redis://host:port/db, or a host name with `port:`/`db:`
      key_prefix: quiz           # optional, alphanumeric
      poll_seconds: 0.02         # optional
      max_concurrent_messages: 4 # optional, per process

Pinned with Rasa 3.6.21 (`LockStore.lock`, `TicketLock`).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, AsyncIterator, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, RedisLockStore

from career_quiz import settings as quiz_settings
from rasa_addons.outage import ServiceUnavailable

logger = logging.getLogger(__name__)


# Drops the expired tickets of queue KEYS[1] (`now`: Redis's clock in ms).
_DROP_EXPIRED = """
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local sep = string.find(m, ':', 1, true)
  if sep and tonumber(string.sub(m, sep + 1)) < now then
    redis.call('ZREM', KEYS[1], m)
  end
end
"""
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: queue (sorted set), counter. ARGV: lifetime in ms. Draws the new ticket and
# returns {ticket, first ticket still queued}: an uncontended lock is taken in this
# one round trip, without a separate HEAD.
ISSUE = (
    _NOW
    + _DROP_EXPIRED
    + """
local lifetime = tonumber(ARGV[1])
local n = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], n, n .. ':' .. (now + lifetime))
redis.call('PEXPIRE', KEYS[1], lifetime * 2)
redis.call('PEXPIRE', KEYS[2], lifetime * 2)
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {n, tonumber(head[2])}
"""
)

# KEYS: queue. ARGV: ticket. Drops expired tickets; returns the first ticket still
# queued, or -1 when ARGV's ticket is no longer queued (it expired).
HEAD = (
    _NOW
    + _DROP_EXPIRED
    + """
local mine = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #mine == 0 then return -1 end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(head[2])
"""
)

# KEYS: queue, counter. ARGV: ticket. Removes the ticket; the keys go with the last one.
RELEASE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
end
return 0
"""


# Messages one process works on at once (see the module doc).
DEFAULT_MAX_CONCURRENT_MESSAGES = 4
# A waiter polls every poll_seconds times its place in the queue, up to this factor.
MAX_POLL_FACTOR = 10


class LockStoreUnavailable(ServiceUnavailable):
    """Redis did not answer: the message is not processed (the visitor may resend it)."""

    text_key = "unavailable"


def _positive(configured: Any, kind: Callable[[Any], Any], name: str) -> Any:
    """`configured` as a positive `kind` (float or int), else None (logged when set)."""
    if configured in (None, ""):
        return None
    try:
        if kind(configured) > 0:
            return kind(configured)
    except (TypeError, ValueError):
        pass
    logger.warning("Ignoring %s %r", name, configured)
    return None


def poll_seconds(configured: Any = None) -> float:
    """The poll interval: `configured`, else QUIZ_LOCK_POLL_SECONDS, else 0.02 s."""
    value = _positive(configured, float, "the lock poll interval")
    return quiz_settings.lock_poll_seconds() if value is None else value


def max_concurrent_messages(configured: Any = None) -> int:
    """The per-process bound: `configured` when a positive integer, else the default."""
    value = _positive(configured, int, "max_concurrent_messages")
    return DEFAULT_MAX_CONCURRENT_MESSAGES if value is None else value


class Admission:
    """At most `limit` messages of this process processed at once; a free slot goes to
    the message that reached the server first (not to the one that reached the slot
    queue first: a message that waited for its conversation's turn does not queue
    again behind everything that arrived meanwhile).
    """

    def __init__(self, limit: int) -> None:
        """No event loop is needed yet (futures are made in the running one)."""
        self.limit = limit
        self.active = 0
        self._waiting: List[Tuple[float, int, "asyncio.Future[None]"]] = []
        self._order = itertools.count()

    @asynccontextmanager
    async def slot(self, arrived: float) -> AsyncIterator[None]:
        """Holds one slot for the block; `arrived`: when the message reached the
        server (time.monotonic()).
        """
        if self.active < self.limit:  # then nobody waits (every release hands on)
            self.active += 1
        else:
            turn: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (arrived, next(self._order), turn))
            try:
                await turn  # resolved by a release, which counted this slot as active
            except BaseException:
                if turn.done() and not turn.cancelled():
                    self._release()  # the slot came with the cancellation: hand it on
                else:
                    turn.cancel()  # stays in the heap; releases skip it
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        self.active -= 1
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                self.active += 1
                turn.set_result(None)
                return


class AtomicRedisLockStore(RedisLockStore):
    """Redis ticket lock whose ticket, queue and release are atomic (see module doc)."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        """Reads `url` (redis:// URL or host), `port`, `db`, `password`, `key_prefix`,
        `poll_seconds` and `socket_timeout` from the endpoint configuration.
        """
        import redis  # type: ignore[import-untyped]

        settings = {**(getattr(endpoint_config, "kwargs", None) or {}), **kwargs}
        url = getattr(endpoint_config, "url", None) or settings.pop("url", None) or "localhost"
        self.poll_seconds = poll_seconds(settings.pop("poll_seconds", None))
        self.admission = Admission(
            max_concurrent_messages(settings.pop("max_concurrent_messages", None))
        )
        # Waiters of this process per conversation, woken when a holder here releases.
        self._released: Dict[Text, asyncio.Event] = {}
        timeout = float(settings.pop("socket_timeout", 2))
        key_prefix = settings.pop("key_prefix", None)
        if "://" in str(url):
            client = redis.Redis.from_url(
                str(url), socket_timeout=timeout, socket_connect_timeout=timeout
            )
        else:
            client = redis.Redis(
                host=str(url),
                port=int(settings.pop("port", 6379)),
                db=int(settings.pop("db", 0)),
                username=settings.pop("username", None),
                password=settings.pop("password", None),
                ssl=bool(settings.pop("use_ssl", False)),
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
            )
        self.red = client
        self.key_prefix = "lock:"
        if key_prefix:
            self._set_key_prefix(key_prefix)
        self._issue = client.register_script(ISSUE)
        self._head = client.register_script(HEAD)
        self._release = client.register_script(RELEASE)
        # LockStore.__init__ takes no arguments; RedisLockStore's would connect again.
        super(RedisLockStore, self).__init__()

    def _keys(self, conversation_id: Text) -> list:
        queue = f"{self.key_prefix}q:{conversation_id}"
        return [queue, f"{queue}:n"]

    def _redis(self, script: Any, conversation_id: Text, *args: Any) -> Any:
        import redis

        keys = self._keys(conversation_id)
        try:
            return script(keys=keys if script is not self._head else keys[:1], args=args)
        except redis.RedisError as error:
            logger.error("Lock store (Redis) unavailable: %s", error)
            raise LockStoreUnavailable(type(error).__name__) from error

    def _issue_ticket_and_head(self, conversation_id: Text, lock_lifetime: float) -> tuple:
        """(new ticket, first ticket still queued), in one atomic script."""
        ticket, head = self._redis(self._issue, conversation_id, int(lock_lifetime * 1000))
        return int(ticket), int(head)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Draws the next ticket atomically (INCR in a Lua script)."""
        return self._issue_ticket_and_head(conversation_id, lock_lifetime)[0]

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Waits for this message's turn (woken by a release in this process, else
        polling every `poll_seconds` times its place in the queue; Rasa's
        `wait_time_in_seconds` is ignored), then for a processing slot of this
        process; holds both for the block and releases them.
        """
        arrived = time.monotonic()
        ticket, head = self._issue_ticket_and_head(conversation_id, lock_lifetime)
        try:
            while head != ticket:
                if head < 0:
                    raise LockError(
                        f"Could not acquire lock for conversation_id '{conversation_id}'."
                    )
                place = min(max(ticket - head, 1), MAX_POLL_FACTOR)
                await self._wait_for_release(conversation_id, self.poll_seconds * place)
                head = int(self._redis(self._head, conversation_id, ticket))
            async with self.admission.slot(arrived):
                yield TicketLock(
                    conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)])
                )
        finally:
            try:
                self._redis(self._release, conversation_id, ticket)
            except LockStoreUnavailable:
                pass  # the ticket expires by itself
            finally:
                released = self._released.pop(conversation_id, None)
                if released is not None:
                    released.set()

    async def _wait_for_release(self, conversation_id: Text, seconds: float) -> None:
        """Sleeps `seconds`, or less when a holder of this process releases."""
        released = self._released.get(conversation_id)
        if released is None:
            released = self._released[conversation_id] = asyncio.Event()
        try:
            await asyncio.wait_for(released.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    # Rasa's other LockStore methods, on the same keys (for tools that inspect locks).
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The queued tickets of `conversation_id`, or None."""
        members = self.red.zrange(self._keys(conversation_id)[0], 0, -1)
        tickets = []
        for member in members:
            number, _, expires = member.decode().partition(":")
            tickets.append(Ticket(int(number), int(expires) / 1000))
        return TicketLock(conversation_id, deque(tickets)) if tickets else None

    def delete_lock(self, conversation_id: Text) -> None:
        """Removes the conversation's queue and counter (e.g. on erasure)."""
        deleted = self.red.delete(*self._keys(conversation_id))
        self._log_deletion(conversation_id, bool(deleted))

    def save_lock(self, lock: TicketLock) -> None:
        """Replaces the queue with `lock`'s tickets."""
        queue = self._keys(lock.conversation_id)[0]
        pipe = self.red.pipeline(transaction=True)
        pipe.delete(queue)
        for ticket in lock.tickets:
            pipe.zadd(queue, {f"{ticket.number}:{int(ticket.expires * 1000)}": ticket.number})
        pipe.execute()

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes `ticket_number` from the queue (atomic)."""
        self._redis(self._release, conversation_id, ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Same as finish_serving: the script deletes an empty queue itself."""
        self.finish_serving(conversation_id, ticket_number)


class ShortPollInMemoryLockStore(InMemoryLockStore):
    """Rasa's in-memory lock store (one process) polling every `poll_seconds`."""

    def __init__(self, endpoint_config: Any = None) -> None:
        """`poll_seconds` from the endpoint configuration, else the default."""
        settings = getattr(endpoint_config, "kwargs", None) or {}
        self.poll_seconds = poll_seconds(settings.get("poll_seconds"))
        self.admission = Admission(max_concurrent_messages(settings.get("max_concurrent_messages")))
        super().__init__()

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's lock with the short poll instead of one second, then a processing
        slot of this process.
        """
        arrived = time.monotonic()
        async with super().lock(conversation_id, lock_lifetime, self.poll_seconds) as lock:
            async with self.admission.slot(arrived):
                yield lock
