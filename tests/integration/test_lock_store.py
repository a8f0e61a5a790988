"""rasa_addons/lock_store.py against the machine's Redis (own key prefix per test).

Two store objects stand for two Rasa replicas. Forty tasks draw tickets for one
conversation at once; each holds the lock for 10 ms. The lock is never held twice,
tickets are unique, the holders follow ticket order, and the whole queue drains in
a fraction of what Rasa's one-second poll needed. A dead holder's ticket expires.
Redis unreachable: the outage exception the channels turn into the apology.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from devtools.stack import free_port
from rasa_addons.lock_store import (
    DEFAULT_MAX_CONCURRENT_MESSAGES,
    Admission,
    AtomicRedisLockStore,
    LockStoreUnavailable,
    ShortPollInMemoryLockStore,
)
from rasa_addons.outage import ServiceUnavailable

pytestmark = pytest.mark.live
REDIS = "redis://127.0.0.1:6379/0"


def store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url=REDIS, key_prefix=prefix))


async def _contend(stores, conversation: str, n: int, hold: float):
    active, order, overlaps = [], [], []

    async def one(i: int) -> None:
        lock_store = stores[i % len(stores)]
        async with lock_store.lock(conversation) as lock:
            if active:
                overlaps.append(i)
            active.append(i)
            order.append(lock.tickets[0].number)
            await asyncio.sleep(hold)
            active.remove(i)

    started = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(n)))
    return order, overlaps, time.monotonic() - started


def test_two_replicas_serve_one_conversation_one_at_a_time_in_ticket_order():
    prefix = f"quiztest{uuid.uuid4().hex[:8]}"
    stores = [store(prefix), store(prefix)]
    order, overlaps, seconds = asyncio.run(_contend(stores, "visitor", 40, 0.01))
    assert not overlaps
    assert order == sorted(order) and len(set(order)) == 40
    assert seconds < 40 * 0.01 + 2.0, seconds  # Rasa's 1 s poll: about 40 s
    assert stores[0].get_lock("visitor") is None  # nothing left behind in Redis
    assert not stores[0].red.keys(f"{prefix}:*")


def test_an_expired_ticket_of_a_dead_holder_lets_the_next_one_in():
    lock_store = store(f"quiztest{uuid.uuid4().hex[:8]}")
    lock_store.issue_ticket("visitor", lock_lifetime=0.3)  # its holder never releases

    async def wait_for_turn() -> float:
        started = time.monotonic()
        async with lock_store.lock("visitor"):
            return time.monotonic() - started

    waited = asyncio.run(wait_for_turn())
    assert 0.25 < waited < 1.5, waited


def test_redis_unreachable_is_an_outage_not_a_crash():
    lock_store = AtomicRedisLockStore(EndpointConfig(url=f"redis://127.0.0.1:{free_port()}/0"))

    async def use() -> None:
        async with lock_store.lock("visitor"):
            pass

    with pytest.raises(LockStoreUnavailable) as raised:
        asyncio.run(use())
    assert isinstance(raised.value, ServiceUnavailable)


def test_in_memory_store_polls_briefly():
    order, overlaps, seconds = asyncio.run(
        _contend([ShortPollInMemoryLockStore()], "visitor", 20, 0.01)
    )
    assert not overlaps and order == sorted(order)
    assert seconds < 20 * 0.01 + 1.0, seconds


def test_an_uncontended_lock_costs_two_round_trips_to_redis():
    """Taking a free lock is one script (ticket and head together), releasing it another:
    each Rasa replica's event loop waits for Redis twice per message, not three times.
    """
    lock_store = store(f"quiztest{uuid.uuid4().hex[:8]}")
    calls = []
    original = lock_store.red.evalsha

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    lock_store.red.evalsha = counting  # redis-py's Script runs EVALSHA on its client

    async def use() -> int:
        async with lock_store.lock("visitor") as lock:
            return lock.tickets[0].number

    assert asyncio.run(use()) == 1
    assert len(calls) == 2, calls
    assert lock_store.get_lock("visitor") is None


def _bounded(lock_store, conversations, hold: float):
    """Every conversation sends one message at once; the most processed together."""
    active, most = [], []

    async def one(conversation: str) -> None:
        async with lock_store.lock(conversation):
            active.append(conversation)
            most.append(len(active))
            await asyncio.sleep(hold)
            active.remove(conversation)

    async def run() -> None:
        await asyncio.gather(*(one(c) for c in conversations))

    asyncio.run(run())
    return max(most), len(most)


@pytest.mark.parametrize("kind", ["redis", "memory"])
def test_a_process_works_on_at_most_max_concurrent_messages(kind):
    config = EndpointConfig(
        url=REDIS, key_prefix=f"quiztest{uuid.uuid4().hex[:8]}", max_concurrent_messages=2
    )
    lock_store = (
        AtomicRedisLockStore(config) if kind == "redis" else ShortPollInMemoryLockStore(config)
    )
    most, processed = _bounded(lock_store, [f"visitor-{i}" for i in range(8)], 0.05)
    assert (most, processed) == (2, 8)
    # Without the setting: the default bound.
    default = store(f"quiztest{uuid.uuid4().hex[:8]}")
    assert default.admission.limit == DEFAULT_MAX_CONCURRENT_MESSAGES
    most, processed = _bounded(default, [f"visitor-{i}" for i in range(8)], 0.05)
    assert (most, processed) == (DEFAULT_MAX_CONCURRENT_MESSAGES, 8)


def test_queued_messages_of_one_visitor_hold_no_slot_others_need():
    lock_store = AtomicRedisLockStore(
        EndpointConfig(
            url=REDIS, key_prefix=f"quiztest{uuid.uuid4().hex[:8]}", max_concurrent_messages=2
        )
    )
    started: dict = {}

    async def message(conversation: str, name: str, hold: float) -> None:
        async with lock_store.lock(conversation):
            started[name] = time.monotonic()
            await asyncio.sleep(hold)

    async def run() -> float:
        t0 = time.monotonic()
        first = asyncio.ensure_future(message("busy", "busy-0", 0.4))
        await asyncio.sleep(0.05)  # busy-0 holds its lock and one slot
        queued = [asyncio.ensure_future(message("busy", f"busy-{i}", 0.01)) for i in (1, 2, 3)]
        await asyncio.sleep(0.05)
        await message("other", "other", 0.01)  # the second slot is free for it
        await asyncio.gather(first, *queued)
        return t0

    t0 = asyncio.run(run())
    assert started["other"] - t0 < 0.3, started
    assert started["other"] < started["busy-1"]


def test_a_release_in_the_same_process_wakes_the_next_message_at_once():
    # A poll of one second would make 10 queued messages take about 10 s.
    lock_store = AtomicRedisLockStore(
        EndpointConfig(url=REDIS, key_prefix=f"quiztest{uuid.uuid4().hex[:8]}", poll_seconds=1.0)
    )
    order, overlaps, seconds = asyncio.run(_contend([lock_store], "visitor", 10, 0.01))
    assert not overlaps and order == sorted(order) and len(order) == 10
    assert seconds < 1.0, seconds


def test_a_free_slot_goes_to_the_message_that_arrived_first_and_skips_cancelled_ones():
    admission = Admission(1)
    order = []

    async def message(name: str, arrived: float, hold: float = 0.01) -> None:
        async with admission.slot(arrived):
            order.append(name)
            await asyncio.sleep(hold)

    async def run() -> None:
        holder = asyncio.ensure_future(message("holder", 0.0, 0.1))
        await asyncio.sleep(0.02)
        late = asyncio.ensure_future(message("arrived late", 5.0))
        await asyncio.sleep(0.01)
        gone = asyncio.ensure_future(message("cancelled", 1.0))
        await asyncio.sleep(0.01)
        early = asyncio.ensure_future(message("waited for its turn", 2.0))
        await asyncio.sleep(0.01)
        gone.cancel()
        await asyncio.gather(holder, late, early, gone, return_exceptions=True)

    asyncio.run(run())
    assert order == ["holder", "waited for its turn", "arrived late"]
    assert admission.active == 0
