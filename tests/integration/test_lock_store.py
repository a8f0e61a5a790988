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
