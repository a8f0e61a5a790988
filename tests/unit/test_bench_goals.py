"""bench/goals.py: the benchmark goals and how a result is judged by them."""

from __future__ import annotations

import pytest

from bench.goals import CORES, GOALS, LOAD_PHASES, Goal, goals, ratios


@pytest.mark.parametrize(
    "goal, value, met",
    [
        (Goal(1.5, "<=", "x"), 1.5, True),
        (Goal(1.5, "<=", "x"), 1.51, False),
        (Goal(150.0, "<", "ms"), 150.0, False),
        (Goal(150.0, "<", "ms"), 149.9, True),
        (Goal(40.0, ">=", "msg/s"), 40.0, True),
        (Goal(40.0, ">=", "msg/s"), 39.9, False),
        (Goal(40.0, ">=", "msg/s"), None, False),
    ],
)
def test_a_goal_compares_its_limit(goal, value, met):
    assert goal.met(value) is met


def test_targets_read_as_the_report_prints_them():
    assert GOALS["median_vs_stock"].target == "<= 1.5x"
    assert GOALS["p95_ms"].target == "< 150 ms"
    assert GOALS["messages_per_s"].target == ">= 40 msg/s"
    assert GOALS["cold_train_s"].target == "< 180 s"
    assert GOALS["cluster_throughput_ratio"].target == ">= 1.4x"
    assert CORES == 2


def _phase(median, p95, rate, errors=0):
    return {"median_ms": median, "p95_ms": p95, "messages_per_s": rate, "error_count": errors}


def _result(**ours):
    return {
        "config": {"conversations": 10, "rate": 40.0},
        "ours": {
            "paced": _phase(60.0, 120.0, 41.0),
            "saturation": _phase(90.0, 200.0, 45.0),
            "long": {"ratio": 1.1, "tail_turns": "290-300"},
            "startup_s": 25.0,
            **ours,
        },
        "stock": {"paced": _phase(50.0, 100.0, 60.0)},
        "train": {"seconds": 170.0, "model_built": True},
    }


def _by_goal(rows):
    return {row["goal"]: row for row in rows}


def test_a_result_within_every_goal_passes():
    rows = _by_goal(goals(_result()))
    assert rows["median latency vs stock bot (paced)"]["measured"] == 1.2
    assert rows["throughput with no errors"]["measured"] == "45.0 msg/s, 0 errors"
    assert rows["throughput with no errors"]["target"] == ">= 40 msg/s, 0 errors"
    assert {row["status"] for row in rows.values()} == {"PASS"}
    assert "(same, one conversation without queueing)" not in rows  # not measured


def test_misses_and_unmeasured_goals_are_told_apart():
    result = _result(paced=_phase(90.0, 151.0, 41.0, errors=1), startup_s=None)
    result["train"] = {"seconds": 100.0, "model_built": False}
    rows = _by_goal(goals(result))
    assert rows["median latency vs stock bot (paced)"]["status"] == "MISS"  # 1.8x
    assert rows["p95 latency, 10 concurrent conversations (paced)"]["status"] == "MISS"
    assert rows["throughput with no errors"]["status"] == "MISS"  # one error
    assert rows["cold training"]["status"] == "MISS"  # fast, but no model
    assert rows["start-up to ready (both servers)"]["status"] is None


def test_ratios_compare_each_phase_both_bots_ran():
    result = _result()
    assert ratios(result) == {"paced": {"median": 1.2, "p95": 1.2, "throughput": 0.68}}
    assert set(LOAD_PHASES) >= set(result["ours"]) - {"long", "startup_s"}
