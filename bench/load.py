"""Asyncio load generator for Rasa's REST channel (POST /webhooks/rest/webhook).

N conversations run concurrently. Each plays whole conversations one after the
other, every one under a new sender id; inside a conversation a message is sent
only after the previous reply arrived. With `rate` set, each conversation spaces
its messages so that all together offer `rate` messages per second (a slow reply
delays only that conversation); without it they send as fast as replies come
(saturation). Every loop is bounded in count and in time.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp
import numpy as np

from devtools.procs import tree_cpu_seconds

MAX_MESSAGES = 200_000  # hard bound on one run, whatever the options say
GRACE_S = 60.0  # a conversation running at the deadline may finish within this
BROKEN = ("timeout", "connection")  # the conversation cannot go on after these


@dataclass
class Sample:
    """One request: when, how long, and whether it worked."""

    conversation: int
    turn: int  # 1-based position in its conversation
    sent_at: float  # seconds since the run started
    latency_ms: float
    # "", "http_<status>", "empty_reply", "bad_json", "timeout", "connection", "no_recommendation"
    error: str = ""


@dataclass
class RunResult:
    """Samples and summary of one load run."""

    label: str
    conversations: int
    rate: Optional[float]
    samples: List[Sample] = field(default_factory=list)
    completed_conversations: int = 0
    wall_s: float = 0.0

    def summary(self) -> Dict[str, object]:
        """Median/p95/p99 latency, throughput and errors by kind."""
        latencies = np.array([s.latency_ms for s in self.samples if s.error not in BROKEN])
        errors = dict(Counter(s.error for s in self.samples if s.error))
        span = 0.0
        if self.samples:
            first = min(s.sent_at for s in self.samples)
            last = max(s.sent_at + s.latency_ms / 1000 for s in self.samples)
            span = max(last - first, 1e-6)

        def pct(q: float) -> Optional[float]:
            return round(float(np.percentile(latencies, q)), 1) if latencies.size else None

        return {
            "label": self.label,
            "conversations": self.conversations,
            "offered_rate": self.rate,
            "messages": len(self.samples),
            "completed_conversations": self.completed_conversations,
            "duration_s": round(span, 2),
            "messages_per_s": round(len(self.samples) / span, 2) if span else 0.0,
            "median_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "mean_ms": round(float(latencies.mean()), 1) if latencies.size else None,
            "max_ms": round(float(latencies.max()), 1) if latencies.size else None,
            "errors": errors,
            "error_count": sum(errors.values()),
        }


def reply_text(replies: Sequence[Dict]) -> str:
    """All text of a REST reply list, joined."""
    return "\n".join(str(r.get("text", "")) for r in replies if isinstance(r, dict))


async def send(session: aiohttp.ClientSession, url: str, sender: str, message: str, timeout: float):
    """Posts one message; returns (latency_ms, replies or None, error)."""
    started = time.perf_counter()
    try:
        async with session.post(
            url,
            json={"sender": sender, "message": message},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            body = await response.read()
            latency = (time.perf_counter() - started) * 1000
            if response.status != 200:
                return latency, None, f"http_{response.status}"
            try:
                replies = json.loads(body)
            except ValueError:
                return latency, None, "bad_json"
            if not isinstance(replies, list) or not replies:
                return latency, replies, "empty_reply"
            return latency, replies, ""
    except asyncio.TimeoutError:
        return (time.perf_counter() - started) * 1000, None, "timeout"
    except aiohttp.ClientError:
        return (time.perf_counter() - started) * 1000, None, "connection"


@dataclass
class _Plan:
    """What all conversations of one run share."""

    url: str
    make_conversation: Callable[[random.Random], List[str]]
    final_markers: Optional[Sequence[str]]
    rounds: Optional[int]
    deadline: Optional[float]
    interval: Optional[float]  # seconds between one conversation's messages (paced)
    seed: int
    timeout: float
    t0: float  # perf_counter() at the start
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    def past_deadline(self, grace: float = 0.0) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline + grace


async def _worker(
    index: int, plan: _Plan, result: RunResult, session: aiohttp.ClientSession
) -> None:
    rng = random.Random(plan.seed * 1000 + index)
    next_send = plan.t0 + (plan.interval or 0.0) * index / max(result.conversations, 1)
    played = 0
    while (plan.rounds is None or played < plan.rounds) and not plan.past_deadline():
        if len(result.samples) >= MAX_MESSAGES:
            return
        messages = plan.make_conversation(rng)
        sender = f"bench-{plan.tag}-{index}-{played}-{uuid.uuid4().hex[:8]}"
        failed = False
        for turn, message in enumerate(messages, start=1):
            if plan.past_deadline(GRACE_S):
                return
            if plan.interval and next_send > time.perf_counter():
                await asyncio.sleep(next_send - time.perf_counter())
            sent = time.perf_counter()
            next_send = max(sent, next_send) + (plan.interval or 0.0)
            latency, replies, error = await send(session, plan.url, sender, message, plan.timeout)
            last = turn == len(messages)
            if not error and plan.final_markers and last:
                if not any(m in reply_text(replies) for m in plan.final_markers):
                    error = "no_recommendation"
            result.samples.append(Sample(index, turn, sent - plan.t0, latency, error))
            failed = failed or bool(error)
            if error in BROKEN:
                break
        result.completed_conversations += not failed
        played += 1


async def run_load(
    url: str,
    make_conversation: Callable[[random.Random], List[str]],
    conversations: int = 10,
    rounds: Optional[int] = None,
    duration: Optional[float] = None,
    rate: Optional[float] = None,
    final_markers: Optional[Sequence[str]] = None,
    seed: int = 1,
    timeout: float = 30.0,
    label: str = "",
) -> RunResult:
    """Plays conversations against `url` (the REST webhook) and collects every request."""
    if rounds is None and duration is None:
        rounds = 1
    result = RunResult(label, conversations, rate)
    connector = aiohttp.TCPConnector(limit=conversations + 4)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0 = time.perf_counter()
        deadline = t0 + duration if duration is not None else None
        interval = conversations / rate if rate else None
        plan = _Plan(
            url, make_conversation, final_markers, rounds, deadline, interval, seed, timeout, t0
        )
        workers = [_worker(i, plan, result, session) for i in range(conversations)]
        hard_limit = (duration or 0) + GRACE_S + (rounds or 0) * 600 + 60
        try:
            await asyncio.wait_for(asyncio.gather(*workers), timeout=hard_limit)
        except asyncio.TimeoutError:
            pass
        result.wall_s = time.perf_counter() - t0
    return result


async def play_sequence(
    url: str,
    sender: str,
    messages: Sequence[str],
    timeout: float = 60.0,
    cpu_pids: Optional[Dict[str, int]] = None,
    control: Optional[Tuple[str, int]] = None,
) -> List[Dict[str, object]]:
    """Sends `messages` one by one in one conversation; one record per turn.

    With `cpu_pids` ({name: pid}), each record also holds the CPU milliseconds each
    process tree used for that turn, which other load on the machine hardly changes.
    With `control` ((sender, first turn)), from that turn on every message is sent
    again, right after, to the control conversation, which thus starts fresh with
    the same words; its latency is `control_latency_ms`. Interleaved like this, a
    change in the machine's speed affects both alike.
    """

    def cpu() -> Dict[str, float]:
        return {name: tree_cpu_seconds(pid) for name, pid in (cpu_pids or {}).items()}

    records = []
    async with aiohttp.ClientSession() as session:
        for turn, message in enumerate(messages, start=1):
            before = cpu()
            latency, replies, error = await send(session, url, sender, message, timeout)
            after = cpu()
            record = {
                "turn": turn,
                "message": message,
                "latency_ms": round(latency, 2),
                "error": error,
                "reply": reply_text(replies or [])[:300],
            }
            if cpu_pids:
                record["cpu_ms"] = {k: round(1000 * (after[k] - before[k]), 1) for k in after}
            if control and turn >= control[1] and not error:
                c_latency, _, c_error = await send(session, url, control[0], message, timeout)
                if not c_error:
                    record["control_latency_ms"] = round(c_latency, 2)
            records.append(record)
            if error in BROKEN:
                break
    return records
