"""`make bench`: load, baseline, long conversation, training and start-up, against the goals.

    python -m bench.run [--conversations 10] [--rate 40] [--duration 40 | --rounds N]
                        [--saturation-duration 20] [--moderate-duration 20]
                        [--long-turns 300]
                        [--skip-train] [--skip-stock] [--skip-long] [--skip-scaled]
                        [--profile]

Starts its own servers on free loopback ports (devtools/stack.py running_stack, fresh
SQLite results DB and tracker store), never the ones `make run` uses. Prints every
number, writes var/bench/bench.json and updates the benchmark section of
docs/benchmarks.md (--no-docs leaves it alone). No assertion fails the run: the
goals are printed as PASS or MISS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench import dialogues, profile
from bench.load import play_sequence, run_load
from devtools import procs
from devtools.stack import BIN, ROOT, running_stack, scaled_endpoints

OUT_DIR = ROOT / "var" / "bench"
TRAIN_TIMEOUT_S = 1200

GOALS = {
    "median_vs_stock": 1.5,
    "p95_ms": 150.0,
    "messages_per_s": 40.0,
    "long_ratio": 1.3,
    "cold_train_s": 180.0,
    "startup_s": 30.0,
}


# Load phases in the order they run (each optional except "paced").
LOAD_PHASES = ("sequential", "moderate", "paced", "saturation")


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line options (all optional)."""
    p = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--conversations", type=int, default=10, help="concurrent conversations")
    p.add_argument(
        "--rate",
        type=float,
        default=40.0,
        help="messages/s offered in the paced phase (all conversations together)",
    )
    p.add_argument("--duration", type=float, default=40.0, help="seconds per paced phase")
    p.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="quizzes per conversation instead of --duration (both phases)",
    )
    p.add_argument(
        "--saturation-duration",
        type=float,
        default=20.0,
        help="seconds of the as-fast-as-possible phase (0 skips it)",
    )
    p.add_argument(
        "--sequential-duration",
        type=float,
        default=15.0,
        help="seconds of one conversation without pauses: latency without queueing (0 skips it)",
    )
    p.add_argument(
        "--moderate-duration",
        type=float,
        default=20.0,
        help="seconds paced at half of --rate: latency below the machine's capacity (0 skips it)",
    )
    p.add_argument("--long-turns", type=int, default=300)
    p.add_argument("--skip-train", action="store_true", help="no cold-training measurement")
    p.add_argument("--skip-stock", action="store_true", help="no stock-bot baseline")
    p.add_argument("--skip-long", action="store_true", help="no long conversation")
    p.add_argument(
        "--skip-scaled",
        action="store_true",
        help="no run with two Rasa workers (endpoints.scaled.yml: PostgreSQL + Redis)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the servers during the saturation phase (needs py-spy)",
    )
    p.add_argument("--model", type=Path, default=ROOT / "models" / "quiz.tar.gz")
    p.add_argument(
        "--action-root",
        type=Path,
        default=None,
        help="experiments: run the action server from a patched copy",
    )
    p.add_argument(
        "--env",
        action="append",
        default=[],
        help="experiments: KEY=VALUE for both servers (repeatable)",
    )
    p.add_argument(
        "--endpoints-extra",
        type=Path,
        default=None,
        help="experiments: YAML appended to the generated endpoints.yml "
        "(a tracker_store: section replaces the SQLite one)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--label", default="make bench")
    p.add_argument("--out", type=Path, default=OUT_DIR / "bench.json")
    p.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    return p.parse_args(argv)


def _pct(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    import numpy as np

    return round(float(np.percentile(values, q)), 1)


def _print(title: str, summary: Dict[str, Any]) -> None:
    print(
        f"  {title:<34} {summary['messages']:>5} msgs {summary['messages_per_s']:>6} msg/s  "
        f"median {summary['median_ms']} ms  p95 {summary['p95_ms']} ms  "
        f"p99 {summary['p99_ms']} ms  errors {summary['error_count']} {summary['errors'] or ''}",
        flush=True,
    )
    cpu = summary.get("cpu_ms_per_message", {})
    res = summary.get("resources", {})
    print(
        f"  {'':<34} CPU per message: "
        + ", ".join(f"{k} {v} ms" for k, v in cpu.items())
        + f"; other load {res.get('other_load_cores')} cores; peak RSS "
        + ", ".join(f"{k} {v} MB" for k, v in res.get("peak_rss_mb", {}).items()),
        flush=True,
    )


async def _warm_up(url: str, conversations: List[List[str]]) -> None:
    """Untimed: the first messages build TensorFlow graphs and open connections."""
    for i, messages in enumerate(conversations):
        await play_sequence(url, f"warmup-{i}-{uuid.uuid4().hex[:6]}", messages)


async def _warm_up_concurrently(url: str, messages: List[str], copies: int) -> None:
    """Untimed: `copies` conversations at once, each over its own connection."""
    await asyncio.gather(
        *(play_sequence(url, f"warmup-{i}-{uuid.uuid4().hex[:6]}", messages) for i in range(copies))
    )


def _load_phases(
    url: str,
    roots: Dict[str, int],
    args: argparse.Namespace,
    make,
    markers,
    tag: str,
    workdir: Path,
) -> Dict[str, Any]:
    """Paced phase at --rate, then the saturation phase; summaries, samples and resources."""
    out: Dict[str, Any] = {}
    common = dict(conversations=args.conversations, final_markers=markers, seed=args.seed)
    if args.rounds:
        common["rounds"] = args.rounds
    phases = []
    if args.sequential_duration > 0:
        phases.append(("sequential", None, args.sequential_duration))
    if args.moderate_duration > 0:
        phases.append(("moderate", args.rate / 2, args.moderate_duration))
    phases.append(("paced", args.rate, args.duration))
    if args.saturation_duration > 0:
        phases.append(("saturation", None, args.saturation_duration))
    for name, rate, duration in phases:
        kwargs = dict(common)
        if name == "sequential":
            kwargs["conversations"] = 1
        if not args.rounds:
            kwargs["duration"] = duration
        spies = []
        if args.profile and name == "saturation":
            seconds = int(duration if not args.rounds else 30)
            for proc_name, pid in roots.items():
                spy = profile.start(pid, seconds, workdir / f"profile-{tag}-{proc_name}.txt")
                if spy:
                    spies.append((proc_name, spy))
            if not spies:
                print("  (--profile: py-spy not installed; `.venv/bin/pip install py-spy`)")
        with procs.Sampler(roots) as sampler:
            result = asyncio.run(run_load(url, make, rate=rate, label=f"{tag} {name}", **kwargs))
        summary = result.summary()
        summary["resources"] = sampler.result
        # CPU per message hardly depends on other load, unlike latency.
        summary["cpu_ms_per_message"] = {
            k: round(1000 * v * sampler.result["wall_s"] / max(summary["messages"], 1), 1)
            for k, v in sampler.result["cpu_cores"].items()
        }
        summary["latencies_ms"] = [round(s.latency_ms, 2) for s in result.samples]
        out[name] = summary
        label = f"{tag} {name}" + (
            f" ({rate:g} msg/s offered)"
            if rate
            else " (1 conversation)"
            if name == "sequential"
            else " (no pauses)"
        )
        _print(label, summary)
        for proc_name, spy in spies:
            try:
                spy.wait(timeout=120)
            except subprocess.TimeoutExpired:
                spy.kill()
            out.setdefault("profile", {})[proc_name] = profile.summarize(
                workdir / f"profile-{tag}-{proc_name}.txt", proc_name
            )
    return out


def _window(records: List[Dict[str, Any]], first: int, last: int) -> List[float]:
    return [r["latency_ms"] for r in records if first <= r["turn"] <= last and not r["error"]]


def long_conversation(
    url: str, turns: int, tracker=None, cpu_pids: Optional[Dict[str, int]] = None
) -> Dict[str, Any]:
    """One conversation of `turns` messages; latency at the start against the end."""
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    messages = dialogues.long_conversation(turns)
    started = time.monotonic()
    tail_from = max(turns - 10, 11)
    cycle = len(dialogues.LONG_CYCLE)
    # Same words at the same place in the cycle: turn t and the last cycle's turn t.
    last_cycle_start = ((turns - 1) // cycle) * cycle
    # The last cycle is also sent, message by message, to a new control conversation.
    control = (f"{sender}-control", last_cycle_start + 1) if last_cycle_start else None
    records = asyncio.run(play_sequence(url, sender, messages, cpu_pids=cpu_pids, control=control))
    wall = time.monotonic() - started
    head = _window(records, 1, 10)
    tail = _window(records, tail_from, turns)
    pairs = [
        (records[i]["latency_ms"], records[last_cycle_start + i]["latency_ms"])
        for i in range(min(cycle, turns - last_cycle_start))
        if last_cycle_start + i < len(records) and last_cycle_start > 0
    ]
    control_pairs = [
        (r["control_latency_ms"], r["latency_ms"])
        for r in records
        if r["turn"] >= tail_from and "control_latency_ms" in r and not r["error"]
    ]
    per_cycle = []
    for start in range(0, len(records), cycle):
        chunk = [r["latency_ms"] for r in records[start : start + cycle] if not r["error"]]
        if chunk:
            per_cycle.append(round(statistics.median(chunk), 1))
    result: Dict[str, Any] = {
        "turns": len(records),
        "wall_s": round(wall, 1),
        "errors": sum(1 for r in records if r["error"]),
        "head_turns": "1-10",
        "tail_turns": f"{tail_from}-{turns}",
        "head_median_ms": round(statistics.median(head), 1) if head else None,
        "tail_median_ms": round(statistics.median(tail), 1) if tail else None,
        "head_mean_ms": round(statistics.mean(head), 1) if head else None,
        "tail_mean_ms": round(statistics.mean(tail), 1) if tail else None,
        "same_message_ratio": (
            round(statistics.median(b / a for a, b in pairs), 2) if pairs else None
        ),
        "per_cycle_median_ms": per_cycle,
        "control_ratio": (
            round(statistics.median(b / a for a, b in control_pairs), 2) if control_pairs else None
        ),
        "latencies_ms": [r["latency_ms"] for r in records],
        "messages": messages,
        "replies": [r["reply"] for r in records],
    }
    if cpu_pids:
        result["cpu_ms"] = {name: [r["cpu_ms"][name] for r in records] for name in cpu_pids}
        for name in cpu_pids:
            h = [r["cpu_ms"][name] for r in records if 1 <= r["turn"] <= 10]
            t = [r["cpu_ms"][name] for r in records if tail_from <= r["turn"] <= turns]
            if h and t and statistics.median(h) > 0:
                result[f"{name}_cpu_head_median_ms"] = round(statistics.median(h), 1)
                result[f"{name}_cpu_tail_median_ms"] = round(statistics.median(t), 1)
                result[f"{name}_cpu_ratio"] = round(statistics.median(t) / statistics.median(h), 2)
    if head and tail:
        result["ratio"] = round(result["tail_median_ms"] / result["head_median_ms"], 2)
    if tracker is not None:
        try:
            events = tracker(sender).get("events") or []
            starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
            session = events[starts[-1] :] if starts else events
            result["tracker_events_at_end"] = len(events)
            result["session_events_at_end"] = len(session)
            # Rasa sends the current session's events to the action server on every call.
            result["session_json_kb"] = round(len(json.dumps(session)) / 1024, 1)
        except Exception as error:  # noqa: BLE001 - informative only
            result["tracker_error"] = str(error)
    return result


def measure_ours(args: argparse.Namespace, workdir: Path) -> Dict[str, Any]:
    """Start-up, load phases and the long conversation against the quiz bot."""
    env: Dict[str, str] = {}
    for item in args.env:
        key, _, value = item.partition("=")
        env[key] = value
    timings: Dict[str, float] = {}
    out: Dict[str, Any] = {}
    print(
        f"Starting the quiz bot (action server + Rasa server, model {args.model.name}) ...",
        flush=True,
    )
    with running_stack(
        workdir / "ours",
        model=args.model,
        extra_env=env or None,
        timings=timings,
        action_root=args.action_root,
        endpoints_extra=args.endpoints_extra.read_text() if args.endpoints_extra else None,
    ) as stack:
        out["startup_s"] = round(timings["rasa_ready_s"], 1)
        out["actions_startup_s"] = round(timings["actions_ready_s"], 1)
        pids = stack.pids()
        out["startup_cpu_s"] = round(procs.cpu_seconds(procs.tree(pids["rasa"])), 1)
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        asyncio.run(
            _warm_up(
                url,
                [
                    [
                        "Hallo",
                        "Quiz starten",
                        "Bürokaufmann",
                        "Englisch gut",
                        "Projekte koordinieren",
                    ],
                    [
                        "Hallo",
                        "Ich bin Bankkauffrau und spreche fließend Englisch",
                        "Warum?",
                        "Was heißt verhandlungssicher?",
                        "Neu starten",
                    ],
                ],
            )
        )
        out["idle_rss_mb"] = {k: round(procs.tree_rss_mb(v), 1) for k, v in pids.items()}
        print(
            f"  ready after {out['startup_s']} s (action server {out['actions_startup_s']} s); "
            f"Rasa used {out['startup_cpu_s']} s CPU to start; RSS at rest after warm-up: "
            f"Rasa {out['idle_rss_mb']['rasa']} MB, actions {out['idle_rss_mb']['actions']} MB",
            flush=True,
        )
        roots = {"rasa": pids["rasa"], "actions": pids["actions"]}
        out.update(
            _load_phases(
                url, roots, args, dialogues.quiz, dialogues.RECOMMENDATION_MARKERS, "quiz", workdir
            )
        )
        if not args.skip_long:
            print(
                f"  long conversation: {args.long_turns} messages in one conversation ...",
                flush=True,
            )
            with procs.Sampler(roots) as sampler:
                out["long"] = long_conversation(url, args.long_turns, stack.tracker, roots)
            out["long"]["resources"] = sampler.result
            lc = out["long"]
            print(
                f"  long conversation: turns {lc['head_turns']} median {lc['head_median_ms']} ms,"
                f" turns {lc['tail_turns']} median {lc['tail_median_ms']} ms, ratio "
                f"{lc.get('ratio')}, same-message ratio {lc['same_message_ratio']}, "
                f"{lc.get('tracker_events_at_end')} events stored, against a new conversation "
                f"with the same words, interleaved {lc.get('control_ratio')}, errors "
                f"{lc['errors']}",
                flush=True,
            )
            print(
                f"  long conversation CPU per message (Rasa): turns 1-10 "
                f"{lc.get('rasa_cpu_head_median_ms')} ms, turns {lc['tail_turns']} "
                f"{lc.get('rasa_cpu_tail_median_ms')} ms, ratio {lc.get('rasa_cpu_ratio')}; "
                f"{lc.get('session_events_at_end')} events in the last session "
                f"({lc.get('session_json_kb')} kB)",
                flush=True,
            )
        peaks: Dict[str, float] = {}
        for phase in (*LOAD_PHASES, "long"):
            for name, mb in out.get(phase, {}).get("resources", {}).get("peak_rss_mb", {}).items():
                peaks[name] = max(peaks.get(name, 0.0), mb)
        out["peak_rss_mb"] = peaks
    return out


SCALED_DATABASE = "bench_tracker"
SCALED_WORKERS = 2


def fresh_postgres_database(name: str) -> str:
    """Drops and creates database `name` on the local PostgreSQL (trust auth); its URL."""
    import sqlalchemy as sa

    admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def measure_scaled(args: argparse.Namespace, workdir: Path) -> Dict[str, Any]:
    """The load phases against two Rasa workers with endpoints.scaled.yml (README)."""
    out: Dict[str, Any] = {"workers": SCALED_WORKERS}
    extra = scaled_endpoints(
        fresh_postgres_database(SCALED_DATABASE), redis_db=3, key_prefix="bench"
    )
    timings: Dict[str, float] = {}
    print(
        f"Starting the quiz bot with {SCALED_WORKERS} Rasa workers (endpoints.scaled.yml: "
        "PostgreSQL tracker store, Redis lock store) ...",
        flush=True,
    )
    with running_stack(
        workdir / "scaled",
        model=args.model,
        timings=timings,
        extra_env={"SANIC_WORKERS": str(SCALED_WORKERS)},
        endpoints_extra=extra,
    ) as stack:
        out["startup_s"] = round(timings["rasa_ready_s"], 1)
        pids = stack.pids()
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        # Every worker builds its TensorFlow graphs on its first messages; the kernel
        # spreads new connections over the workers, so warm up on several at once.
        asyncio.run(
            _warm_up_concurrently(
                url,
                [
                    "Hallo",
                    "Quiz starten",
                    "Bürokaufmann",
                    "Englisch gut",
                    "Projekte koordinieren",
                    "Warum?",
                    "Neu starten",
                ],
                copies=3 * SCALED_WORKERS,
            )
        )
        out["idle_rss_mb"] = {k: round(procs.tree_rss_mb(v), 1) for k, v in pids.items()}
        print(
            f"  ready after {out['startup_s']} s; RSS at rest after warm-up: Rasa "
            f"{out['idle_rss_mb']['rasa']} MB (all workers), actions "
            f"{out['idle_rss_mb']['actions']} MB",
            flush=True,
        )
        phase_args = argparse.Namespace(**{**vars(args), "profile": False})
        out.update(
            _load_phases(
                url,
                {"rasa": pids["rasa"], "actions": pids["actions"]},
                phase_args,
                dialogues.quiz,
                dialogues.RECOMMENDATION_MARKERS,
                "quiz-2-workers",
                workdir,
            )
        )
    return out


def measure_stock(args: argparse.Namespace, workdir: Path) -> Dict[str, Any]:
    """The same load phases against the `rasa init` bot."""
    from bench.stock import ensure_stock_model, running_stock

    out: Dict[str, Any] = {"setup": ensure_stock_model()}
    print("Starting the stock bot (rasa init) ...", flush=True)
    with running_stock(workdir / "stock") as bot:
        out["startup_s"] = round(bot.ready_s, 1)
        out["startup_cpu_s"] = round(procs.cpu_seconds(procs.tree(bot.pid)), 1)
        url = f"{bot.url}/webhooks/rest/webhook"
        asyncio.run(_warm_up(url, dialogues.STOCK_CONVERSATIONS[:2]))
        out["idle_rss_mb"] = {"rasa": round(procs.tree_rss_mb(bot.pid), 1)}
        print(
            f"  ready after {out['startup_s']} s (Rasa used {out['startup_cpu_s']} s CPU); "
            f"RSS at rest after warm-up {out['idle_rss_mb']['rasa']} MB",
            flush=True,
        )
        out.update(
            _load_phases(
                url, {"rasa": bot.pid}, args, dialogues.stock_conversation, None, "stock", workdir
            )
        )
        out["peak_rss_mb"] = {
            "rasa": max(
                out.get(p, {}).get("resources", {}).get("peak_rss_mb", {}).get("rasa", 0.0)
                for p in LOAD_PHASES
            )
        }
    return out


def cold_training(workdir: Path) -> Dict[str, Any]:
    """`rasa train` with an empty Rasa cache (RASA_CACHE_DIRECTORY) into a temp folder."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-train-"))
    log = workdir / "train.log"
    command = [
        str(BIN / "rasa"),
        "train",
        "--domain",
        "domain",
        "--data",
        "data/nlu",
        "data/rules",
        "data/stories",
        "--out",
        str(tmp / "models"),
        "--fixed-model-name",
        "quiz",
    ]
    env = {
        **os.environ,
        "RASA_CACHE_DIRECTORY": str(tmp / "cache"),
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    print("Cold training (empty cache, temp output) ...", flush=True)
    started = time.monotonic()
    try:
        with open(log, "w") as handle:
            proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
            )
            with procs.Sampler({"train": proc.pid}, interval=1.0) as sampler:
                try:
                    code = proc.wait(timeout=TRAIN_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    code = -9
        seconds = time.monotonic() - started
        model = tmp / "models" / "quiz.tar.gz"
        result = {
            "seconds": round(seconds, 1),
            "exit_code": code,
            "model_built": model.exists(),
            "model_mb": round(model.stat().st_size / 1e6, 1) if model.exists() else None,
            "command": "RASA_CACHE_DIRECTORY=<empty temp dir> rasa train --domain domain "
            "--data data/nlu data/rules data/stories --out <temp dir> "
            "--fixed-model-name quiz",
            "resources": sampler.result,
        }
        print(
            f"  cold training took {result['seconds']} s (exit {code}, peak RSS "
            f"{sampler.result['peak_rss_mb'].get('train')} MB)",
            flush=True,
        )
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def goals(result: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each goal with its measured value and PASS/MISS (None when not measured)."""
    ours, stock = result.get("ours", {}), result.get("stock", {})
    paced, sat = ours.get("paced", {}), ours.get("saturation", {})
    rows = []

    def row(name, target, value, ok, unit=""):
        rows.append(
            {
                "goal": name,
                "target": target,
                "measured": value,
                "unit": unit,
                "status": None if value is None else ("PASS" if ok else "MISS"),
            }
        )

    if stock.get("paced") and paced:
        ratio = paced["median_ms"] / stock["paced"]["median_ms"]
        row(
            "median latency vs stock bot (paced)",
            "<= 1.5x",
            round(ratio, 2),
            ratio <= GOALS["median_vs_stock"],
            "x",
        )
    else:
        row("median latency vs stock bot (paced)", "<= 1.5x", None, False, "x")
    seq, stock_seq = ours.get("sequential"), stock.get("sequential")
    if seq and stock_seq and stock_seq.get("median_ms"):
        ratio = seq["median_ms"] / stock_seq["median_ms"]
        row(
            "(same, one conversation without queueing)",
            "<= 1.5x",
            round(ratio, 2),
            ratio <= GOALS["median_vs_stock"],
            "x",
        )
    row(
        f"p95 latency, {result['config']['conversations']} concurrent conversations (paced)",
        "< 150 ms",
        paced.get("p95_ms"),
        (paced.get("p95_ms") or 1e9) < GOALS["p95_ms"],
        "ms",
    )
    moderate = ours.get("moderate", {})
    if moderate:
        row(
            f"(information) p95 latency, {result['config']['conversations']} concurrent "
            f"conversations at {result['config']['rate'] / 2:g} msg/s offered",
            "< 150 ms",
            moderate.get("p95_ms"),
            (moderate.get("p95_ms") or 1e9) < GOALS["p95_ms"],
            "ms",
        )
    total_errors = sum(ours.get(p, {}).get("error_count", 0) for p in LOAD_PHASES)
    rate = sat.get("messages_per_s") if sat else paced.get("messages_per_s")
    row(
        "throughput with no errors",
        ">= 40 msg/s, 0 errors",
        None if rate is None else f"{rate} msg/s, {total_errors} errors",
        rate is not None and rate >= GOALS["messages_per_s"] and total_errors == 0,
    )
    scaled = result.get("scaled", {})
    if scaled:
        workers = scaled.get("workers")
        s_paced, s_sat = scaled.get("paced", {}), scaled.get("saturation", {})
        row(
            f"p95 latency, {result['config']['conversations']} concurrent conversations "
            f"(paced), {workers} workers",
            "< 150 ms",
            s_paced.get("p95_ms"),
            (s_paced.get("p95_ms") or 1e9) < GOALS["p95_ms"],
            "ms",
        )
        s_errors = sum(scaled.get(p, {}).get("error_count", 0) for p in LOAD_PHASES)
        s_rate = s_sat.get("messages_per_s") if s_sat else s_paced.get("messages_per_s")
        row(
            f"throughput with no errors, {workers} workers (endpoints.scaled.yml)",
            ">= 40 msg/s, 0 errors",
            None if s_rate is None else f"{s_rate} msg/s, {s_errors} errors",
            s_rate is not None and s_rate >= GOALS["messages_per_s"] and s_errors == 0,
        )
    long = ours.get("long", {})
    row(
        f"latency at turns {long.get('tail_turns', '290-300')} vs 1-10",
        "<= 1.3x",
        long.get("ratio"),
        (long.get("ratio") or 1e9) <= GOALS["long_ratio"],
        "x",
    )
    if long.get("control_ratio") is not None:
        row(
            "(same, each against a new conversation's same words, interleaved)",
            "<= 1.3x",
            long["control_ratio"],
            long["control_ratio"] <= GOALS["long_ratio"],
            "x",
        )
    train = result.get("train", {})
    row(
        "cold training",
        "< 180 s",
        train.get("seconds"),
        bool(train.get("model_built")) and (train.get("seconds") or 1e9) < GOALS["cold_train_s"],
        "s",
    )
    row(
        "start-up to ready (both servers)",
        "< 30 s",
        ours.get("startup_s"),
        (ours.get("startup_s") or 1e9) < GOALS["startup_s"],
        "s",
    )
    return rows


def ratios(result: Dict[str, Any]) -> Dict[str, Any]:
    """Our latency over the stock bot's, per phase."""
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


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the benchmark and prints the goals."""
    args = parse_args(argv)
    if not args.model.exists():
        print(f"{args.model} is missing: run `make train` first.", file=sys.stderr)
        return 2
    started = time.monotonic()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    workdir = OUT_DIR / "run"  # logs and databases of the last run (git-ignored)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    result: Dict[str, Any] = {
        "label": args.label,
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *(sys.argv[1:] if argv is None else argv)]),
        "machine": procs.machine(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "model_mtime": datetime.fromtimestamp(args.model.stat().st_mtime).isoformat(
            timespec="seconds"
        ),
    }
    print(
        f"Machine: {result['machine']['nproc']} cores, {result['machine']['memory_gb']} GB, "
        f"{result['machine']['cpu_model']}; load average {result['machine']['loadavg']}"
    )
    try:
        result["ours"] = measure_ours(args, workdir)
        if not args.skip_scaled:
            try:
                result["scaled"] = measure_scaled(args, workdir)
            except Exception as error:  # optional run: needs PostgreSQL and Redis
                result["scaled_error"] = f"{type(error).__name__}: {error}"
                print(
                    f"  2-worker run FAILED ({result['scaled_error'][:300]}); it needs "
                    "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 "
                    "(--skip-scaled skips it). Continuing.",
                    flush=True,
                )
        if not args.skip_stock:
            result["stock"] = measure_stock(args, workdir)
            result["ratios"] = ratios(result)
            for phase, r in result["ratios"].items():
                print(
                    f"  ours / stock ({phase}): median {r['median']}x, p95 {r['p95']}x, "
                    f"throughput {r['throughput']}x"
                )
        if not args.skip_train:
            result["train"] = cold_training(workdir)
    finally:
        result["wall_s"] = round(time.monotonic() - started, 1)
        result["goals"] = goals(result) if "ours" in result else []
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print()
    print("Goals (2 cores):")
    for g in result["goals"]:
        measured = "not measured" if g["measured"] is None else f"{g['measured']}{g['unit']}"
        print(
            f"  {g['status'] or '----':<5} {g['goal']:<62} target {g['target']:<22} "
            f"measured {measured}"
        )
    other = [
        result["ours"].get(p, {}).get("resources", {}).get("other_load_cores", 0.0)
        for p in (*LOAD_PHASES, "long")
    ]
    print(
        f"Other load on the machine during our phases: up to {max(other or [0])} cores "
        "(CPU used by processes outside the benchmark)"
    )
    print(f"Results: {args.out}; benchmark took {result['wall_s']} s")
    if not args.no_docs:
        from bench.docs import write_bench_section

        path = write_bench_section(result)
        print(f"Updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
