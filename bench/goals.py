"""The benchmark's goals in one table, and the pure functions that judge a result by them.

`make bench` (bench/run.py, bench/cluster.py) measures; this module only compares.
Each goal is a limit, a comparison and a unit, set for the machine of `CORES` cores
the project is developed on; bench/run.py prints them as PASS or MISS and
bench/docs.py writes them into docs/benchmarks.md.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

# The core count the goals are set for.
CORES = 2
# Load phases in the order bench/run.py runs them (each optional except "paced").
LOAD_PHASES = ("sequential", "moderate", "paced", "saturation")

_COMPARE: Dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Goal:
    """A limit a measured value must keep: `value <compare> limit`."""

    limit: float
    compare: str  # one of "<", "<=", ">="
    unit: str  # as printed after a value: "x", "ms", "s", "msg/s"

    def met(self, value: Optional[float]) -> bool:
        """Whether `value` keeps the goal (never when it was not measured)."""
        return value is not None and _COMPARE[self.compare](value, self.limit)

    @property
    def target(self) -> str:
        """The goal as the report writes it, e.g. "<= 1.5x" or "< 150 ms"."""
        space = "" if self.unit == "x" else " "
        return f"{self.compare} {self.limit:g}{space}{self.unit}"


GOALS: Dict[str, Goal] = {
    # median latency of our bot over the stock Rasa bot's, same load
    "median_vs_stock": Goal(1.5, "<=", "x"),
    # p95 latency with the configured concurrent conversations (paced phase)
    "p95_ms": Goal(150.0, "<", "ms"),
    # messages per second without errors (saturation phase, else paced)
    "messages_per_s": Goal(40.0, ">=", "msg/s"),
    # latency late in a long conversation over its first turns
    "long_ratio": Goal(1.3, "<=", "x"),
    # `rasa train` from nothing
    "cold_train_s": Goal(180.0, "<", "s"),
    # both servers started until ready
    "startup_s": Goal(30.0, "<", "s"),
    # throughput of `make cluster` (two replicas) over one process (bench/cluster.py)
    "cluster_throughput_ratio": Goal(1.4, ">=", "x"),
}


def goals(result: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each goal with its measured value and PASS/MISS (None when not measured), for a
    result dict of bench/run.py.
    """
    ours, stock, scaled = (result.get(k, {}) for k in ("ours", "stock", "scaled"))
    conversations, rate = result["config"]["conversations"], result["config"]["rate"]
    rows: List[Dict[str, Any]] = []

    def row(goal: str, key: str, value: Any, ok: bool, unit: str, target: str = "") -> None:
        status = None if value is None else ("PASS" if ok else "MISS")
        target = target or GOALS[key].target
        rows.append(dict(goal=goal, target=target, measured=value, unit=unit, status=status))

    def vs_stock(goal: str, phase: str, always: bool) -> None:
        a, b = ours.get(phase), stock.get(phase)
        ratio = a["median_ms"] / b["median_ms"] if a and b and b.get("median_ms") else None
        if ratio is not None or always:
            measured = None if ratio is None else round(ratio, 2)
            row(goal, "median_vs_stock", measured, GOALS["median_vs_stock"].met(ratio), "x")

    def p95(goal: str, phase: Dict[str, Any]) -> None:
        value = phase.get("p95_ms")
        row(goal, "p95_ms", value, GOALS["p95_ms"].met(value), "ms")

    def throughput(goal: str, bot: Dict[str, Any]) -> None:
        errors = sum(bot.get(p, {}).get("error_count", 0) for p in LOAD_PHASES)
        msgs = (bot.get("saturation") or bot.get("paced", {})).get("messages_per_s")
        measured = None if msgs is None else f"{msgs} msg/s, {errors} errors"
        ok = GOALS["messages_per_s"].met(msgs) and errors == 0
        target = f"{GOALS['messages_per_s'].target}, 0 errors"
        row(goal, "messages_per_s", measured, ok, "", target)

    vs_stock("median latency vs stock bot (paced)", "paced", always=True)
    vs_stock("(same, one conversation without queueing)", "sequential", always=False)
    p95(f"p95 latency, {conversations} concurrent conversations (paced)", ours.get("paced", {}))
    if ours.get("moderate"):
        p95(
            f"(information) p95 latency, {conversations} concurrent conversations at "
            f"{rate / 2:g} msg/s offered",
            ours["moderate"],
        )
    throughput("throughput with no errors", ours)
    if scaled:
        workers = scaled.get("workers")
        p95(
            f"p95 latency, {conversations} concurrent conversations (paced), {workers} workers",
            scaled.get("paced", {}),
        )
        throughput(f"throughput with no errors, {workers} workers (endpoints.scaled.yml)", scaled)
    long = ours.get("long", {})
    turns = long.get("tail_turns", "290-300")
    ratio = long.get("ratio")
    row(
        f"latency at turns {turns} vs 1-10",
        "long_ratio",
        ratio,
        GOALS["long_ratio"].met(ratio),
        "x",
    )
    control = long.get("control_ratio")
    if control is not None:
        row(
            "(same, each against a new conversation's same words, interleaved)",
            "long_ratio",
            control,
            GOALS["long_ratio"].met(control),
            "x",
        )
    train = result.get("train", {})
    seconds = train.get("seconds")
    ok = bool(train.get("model_built")) and GOALS["cold_train_s"].met(seconds)
    row("cold training", "cold_train_s", seconds, ok, "s")
    startup = ours.get("startup_s")
    row(
        "start-up to ready (both servers)",
        "startup_s",
        startup,
        GOALS["startup_s"].met(startup),
        "s",
    )
    return rows


def ratios(result: Dict[str, Any]) -> Dict[str, Any]:
    """Our latency and throughput over the stock bot's, per load phase."""
    out = {}
    for phase in LOAD_PHASES:
        ours, stock = result["ours"].get(phase), result.get("stock", {}).get(phase)
        if ours and stock and stock.get("median_ms"):
            out[phase] = {
                "median": round(ours["median_ms"] / stock["median_ms"], 2),
                "p95": round(ours["p95_ms"] / stock["p95_ms"], 2),
                "throughput": round(ours["messages_per_s"] / stock["messages_per_s"], 2),
            }
    return out
