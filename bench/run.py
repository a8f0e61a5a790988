"""`make bench`: load, baseline, long conversation, training and start-up, against the goals.

    python -m bench.run [--conversations 10] [--rate 40] [--duration 40 | --rounds N]
                        [--saturation-duration 20] [--moderate-duration 20]
                        [--long-turns 300]
                        [--skip-train] [--skip-stock] [--skip-long] [--skip-scaled]
                        [--skip-cluster] [--cluster-conversations 50]
                        [--cluster-duration 120] [--profile]

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
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

from bench import dialogues, profile
from bench.goals import CORES, LOAD_PHASES, goals, ratios
from bench.load import play_sequence, run_load
from devtools import procs
from devtools.databases import throwaway_postgres_database
from devtools.stack import BIN, ROOT, finish, rasa_env, running_stack, scaled_endpoints, start
from devtools.training import data_args

OUT_DIR = ROOT / "var" / "bench"
TRAIN_TIMEOUT_S = 1200
SCALED_WORKERS = 2
# Untimed: the first messages build TensorFlow graphs and open connections.
WARM_UP = [
    ["Hallo", "Quiz starten", "Bürokaufmann", "Englisch gut", "Projekte koordinieren"],
    [
        *("Hallo", "Ich bin Bankkauffrau und spreche fließend Englisch", "Warum?"),
        *("Was heißt verhandlungssicher?", "Neu starten"),
    ],
]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line options (all optional)."""
    p = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--conversations", type=int, default=10, help="concurrent conversations")
    p.add_argument("--rate", type=float, default=40.0, help="msg/s offered in the paced phase")
    p.add_argument("--duration", type=float, default=40.0, help="seconds per paced phase")
    p.add_argument("--rounds", type=int, help="quizzes per conversation instead of durations")
    for name, default, what in (
        ("saturation", 20.0, "the as-fast-as-possible phase"),
        ("sequential", 15.0, "one conversation without pauses (latency without queueing)"),
        ("moderate", 20.0, "the phase paced at half of --rate (latency below capacity)"),
    ):
        help_text = f"seconds of {what}; 0 skips it"
        p.add_argument(f"--{name}-duration", type=float, default=default, help=help_text)
    p.add_argument("--long-turns", type=int, default=300)
    for name, what in (
        ("train", "no cold-training measurement"),
        ("stock", "no stock-bot baseline"),
        ("long", "no long conversation"),
        ("scaled", "no run with two Rasa workers (endpoints.scaled.yml: PostgreSQL + Redis)"),
        ("cluster", "no make-cluster load test against one process (bench/cluster.py)"),
    ):
        p.add_argument(f"--skip-{name}", action="store_true", help=what)
    p.add_argument("--cluster-conversations", type=int, default=50)
    p.add_argument("--cluster-duration", type=float, default=120.0, help="seconds per set-up")
    p.add_argument("--profile", action="store_true", help="py-spy the saturation phase")
    p.add_argument("--model", type=Path, default=ROOT / "models" / "quiz.tar.gz")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for both servers")
    p.add_argument(
        "--endpoints-extra",
        type=Path,
        help="YAML sections for the generated endpoints.yml (tracker_store: replaces SQLite)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--label", default="make bench")
    p.add_argument("--out", type=Path, default=OUT_DIR / "bench.json")
    p.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    return p.parse_args(argv)


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


async def _warm_up(url: str, conversations: Sequence[List[str]], at_once: bool = False) -> None:
    """Untimed conversations, one after the other or all at once (one connection each)."""
    senders = (f"warmup-{i}-{uuid.uuid4().hex[:6]}" for i in range(len(conversations)))
    plays = (play_sequence(url, s, messages) for s, messages in zip(senders, conversations))
    if at_once:
        await asyncio.gather(*plays)
    else:
        for play in plays:
            await play


def _load_phases(
    url: str,
    roots: Dict[str, int],
    args: argparse.Namespace,
    make: Callable,
    markers: Optional[Sequence[str]],
    tag: str,
    workdir: Path,
) -> Dict[str, Any]:
    """The load phases (LOAD_PHASES); summaries, samples, resources and py-spy profiles."""
    out: Dict[str, Any] = {}
    phases = [
        ("sequential", None, args.sequential_duration),
        ("moderate", args.rate / 2, args.moderate_duration),
        ("paced", args.rate, args.duration),
        ("saturation", None, args.saturation_duration),
    ]
    for name, rate, duration in phases:
        if duration <= 0 and name != "paced":  # the paced phase always runs
            continue
        spies = {}
        if args.profile and name == "saturation":
            for proc_name, pid in roots.items():
                path = workdir / f"profile-{tag}-{proc_name}.txt"
                seconds = 30 if args.rounds else int(duration)
                spies[proc_name] = (profile.start(pid, seconds, path), path)
            if not any(spy for spy, _ in spies.values()):
                print("  (--profile: py-spy not installed; `.venv/bin/pip install py-spy`)")
        with procs.Sampler(roots) as sampler:
            result = asyncio.run(
                run_load(
                    url,
                    make,
                    conversations=1 if name == "sequential" else args.conversations,
                    **({"rounds": args.rounds} if args.rounds else {"duration": duration}),
                    rate=rate,
                    final_markers=markers,
                    seed=args.seed,
                    label=f"{tag} {name}",
                )
            )
        summary = out[name] = result.summary()
        summary["resources"] = sampler.result
        # CPU per message hardly depends on other load, unlike latency.
        summary["cpu_ms_per_message"] = {
            k: round(1000 * v * sampler.result["wall_s"] / max(summary["messages"], 1), 1)
            for k, v in sampler.result["cpu_cores"].items()
        }
        summary["latencies_ms"] = [round(s.latency_ms, 2) for s in result.samples]
        how = "1 conversation" if name == "sequential" else "no pauses"
        _print(f"{tag} {name} ({f'{rate:g} msg/s offered' if rate else how})", summary)
        for proc_name, (spy, path) in spies.items():
            if spy:
                finish(spy, 120)
                out.setdefault("profile", {})[proc_name] = profile.summarize(path, proc_name)
    return out


def _median(values: Sequence[float]) -> Optional[float]:
    return round(statistics.median(values), 1) if values else None


def _median_ratio(pairs: Sequence[tuple]) -> Optional[float]:
    return round(statistics.median(b / a for a, b in pairs), 2) if pairs else None


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
    last_cycle = ((turns - 1) // cycle) * cycle
    # The last cycle is also sent, message by message, to a new control conversation.
    control = (f"{sender}-control", last_cycle + 1) if last_cycle else None
    records = asyncio.run(play_sequence(url, sender, messages, cpu_pids=cpu_pids, control=control))
    ok = [r for r in records if not r["error"]]
    head = [r for r in ok if r["turn"] <= 10]
    tail = [r for r in ok if tail_from <= r["turn"] <= turns]
    same_pairs = [
        (records[i]["latency_ms"], records[last_cycle + i]["latency_ms"])
        for i in range(min(cycle, turns - last_cycle))
        if last_cycle + i < len(records) and last_cycle > 0
    ]
    control_pairs = [
        (r["control_latency_ms"], r["latency_ms"]) for r in tail if "control_latency_ms" in r
    ]
    result: Dict[str, Any] = {
        "turns": len(records),
        "wall_s": round(time.monotonic() - started, 1),
        "errors": len(records) - len(ok),
        "head_turns": "1-10",
        "tail_turns": f"{tail_from}-{turns}",
        "head_median_ms": _median([r["latency_ms"] for r in head]),
        "tail_median_ms": _median([r["latency_ms"] for r in tail]),
        "head_mean_ms": round(statistics.mean(r["latency_ms"] for r in head), 1) if head else None,
        "tail_mean_ms": round(statistics.mean(r["latency_ms"] for r in tail), 1) if tail else None,
        "same_message_ratio": _median_ratio(same_pairs),
        "per_cycle_median_ms": [
            _median([r["latency_ms"] for r in records[start : start + cycle] if not r["error"]])
            for start in range(0, len(records), cycle)
            if any(not r["error"] for r in records[start : start + cycle])
        ],
        "control_ratio": _median_ratio(control_pairs),
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
                result[f"{name}_cpu_head_median_ms"] = _median(h)
                result[f"{name}_cpu_tail_median_ms"] = _median(t)
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


def _measure(
    args: argparse.Namespace,
    workdir: Path,
    tag: str,
    rasa_url: str,
    roots: Dict[str, int],
    ready_s: float,
    warm_up: Sequence[List[str]],
    make: Callable,
    markers: Optional[Sequence[str]] = None,
    at_once: bool = False,
) -> Dict[str, Any]:
    """Start-up figures, warm-up, memory at rest and the load phases against one bot."""
    out: Dict[str, Any] = {"startup_s": round(ready_s, 1)}
    out["startup_cpu_s"] = round(procs.tree_cpu_seconds(roots["rasa"]), 1)
    url = f"{rasa_url}/webhooks/rest/webhook"
    asyncio.run(_warm_up(url, warm_up, at_once))
    out["idle_rss_mb"] = {k: round(procs.tree_rss_mb(v), 1) for k, v in roots.items()}
    print(
        f"  ready after {out['startup_s']} s; Rasa used {out['startup_cpu_s']} s CPU to start; "
        "RSS at rest after warm-up: "
        + ", ".join(f"{k} {v} MB" for k, v in out["idle_rss_mb"].items()),
        flush=True,
    )
    out.update(_load_phases(url, roots, args, make, markers, tag, workdir))
    return out


def _peaks(out: Dict[str, Any]) -> Dict[str, float]:
    peaks: Dict[str, float] = {}
    for phase in (*LOAD_PHASES, "long"):
        for name, mb in out.get(phase, {}).get("resources", {}).get("peak_rss_mb", {}).items():
            peaks[name] = max(peaks.get(name, 0.0), mb)
    return peaks


def measure_ours(args: argparse.Namespace, workdir: Path) -> Dict[str, Any]:
    """Start-up, load phases and the long conversation against the quiz bot."""
    env = dict(item.partition("=")[::2] for item in args.env)
    extra = args.endpoints_extra.read_text() if args.endpoints_extra else None
    timings: Dict[str, float] = {}
    print(f"Starting the quiz bot (action server + Rasa server, model {args.model.name}) ...")
    with running_stack(
        workdir / "ours", args.model, extra_env=env, timings=timings, endpoints_extra=extra
    ) as stack:
        out = {"actions_startup_s": round(timings["actions_ready_s"], 1)}
        print(f"  action server ready after {out['actions_startup_s']} s", flush=True)
        roots = {"rasa": stack.pids()["rasa"], "actions": stack.pids()["actions"]}
        out.update(
            _measure(
                args,
                workdir,
                "quiz",
                stack.rasa_url,
                roots,
                timings["rasa_ready_s"],
                WARM_UP,
                dialogues.quiz,
                dialogues.RECOMMENDATION_MARKERS,
            )
        )
        if not args.skip_long:
            print(f"  long conversation: {args.long_turns} messages in one conversation ...")
            with procs.Sampler(roots) as sampler:
                url = f"{stack.rasa_url}/webhooks/rest/webhook"
                lc = out["long"] = long_conversation(url, args.long_turns, stack.tracker, roots)
            lc["resources"] = sampler.result
            print(
                f"  long conversation: turns {lc['head_turns']} median {lc['head_median_ms']} ms,"
                f" turns {lc['tail_turns']} median {lc['tail_median_ms']} ms, ratio "
                f"{lc.get('ratio')}, same-message ratio {lc['same_message_ratio']}, "
                f"{lc.get('tracker_events_at_end')} events stored, against a new conversation "
                f"with the same words, interleaved {lc.get('control_ratio')}, errors "
                f"{lc['errors']}; Rasa CPU per message: turns 1-10 "
                f"{lc.get('rasa_cpu_head_median_ms')} ms, turns {lc['tail_turns']} "
                f"{lc.get('rasa_cpu_tail_median_ms')} ms, ratio {lc.get('rasa_cpu_ratio')}; "
                f"{lc.get('session_events_at_end')} events in the last session "
                f"({lc.get('session_json_kb')} kB)",
                flush=True,
            )
        out["peak_rss_mb"] = _peaks(out)
    return out


def measure_scaled(args: argparse.Namespace, workdir: Path) -> Dict[str, Any]:
    """The load phases against two Rasa workers with endpoints.scaled.yml (docs/operations.md)."""
    print(
        f"Starting the quiz bot with {SCALED_WORKERS} Rasa workers (endpoints.scaled.yml: "
        "PostgreSQL tracker store, Redis lock store) ...",
        flush=True,
    )
    timings: Dict[str, float] = {}
    with throwaway_postgres_database("bench_tracker_") as database_url:
        extra = scaled_endpoints(database_url, redis_db=3, key_prefix="bench")
        with running_stack(
            workdir / "scaled",
            args.model,
            timings=timings,
            extra_env={"SANIC_WORKERS": str(SCALED_WORKERS)},
            endpoints_extra=extra,
        ) as stack:
            # Every worker builds its TensorFlow graphs on its first messages; the kernel
            # spreads new connections over the workers, so warm up on several at once.
            warm_up = [WARM_UP[0] + ["Warum?", "Neu starten"]] * (3 * SCALED_WORKERS)
            out = _measure(
                argparse.Namespace(**{**vars(args), "profile": False}),
                workdir,
                "quiz-2-workers",
                stack.rasa_url,
                {"rasa": stack.pids()["rasa"], "actions": stack.pids()["actions"]},
                timings["rasa_ready_s"],
                warm_up,
                dialogues.quiz,
                dialogues.RECOMMENDATION_MARKERS,
                at_once=True,
            )
    return {"workers": SCALED_WORKERS, **out, "peak_rss_mb": _peaks(out)}


def measure_stock(args: argparse.Namespace, workdir: Path) -> Dict[str, Any]:
    """The same load phases against the `rasa init` bot."""
    from bench.stock import ensure_stock_model, running_stock

    setup = ensure_stock_model()
    print("Starting the stock bot (rasa init) ...", flush=True)
    with running_stock(workdir / "stock") as bot:
        warm_up = dialogues.STOCK_CONVERSATIONS[:2]
        make = dialogues.stock_conversation
        roots = {"rasa": bot.pid}
        out = _measure(args, workdir, "stock", bot.url, roots, bot.ready_s, warm_up, make)
    return {"setup": setup, **out, "peak_rss_mb": _peaks(out)}


def cold_training(workdir: Path) -> Dict[str, Any]:
    """`rasa train` with an empty Rasa cache (RASA_CACHE_DIRECTORY) into a temp folder."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-train-"))
    args = ["train", *data_args(), "--out", str(tmp / "models"), "--fixed-model-name", "quiz"]
    env = rasa_env(RASA_CACHE_DIRECTORY=str(tmp / "cache"))
    print("Cold training (empty cache, temp output) ...", flush=True)
    started = time.monotonic()
    try:
        proc = start([str(BIN / "rasa"), *args], workdir / "train.log", env)
        with procs.Sampler({"train": proc.pid}, interval=1.0) as sampler:
            code = finish(proc, TRAIN_TIMEOUT_S)
        model = tmp / "models" / "quiz.tar.gz"
        result = {
            "seconds": round(time.monotonic() - started, 1),
            "exit_code": code,
            "model_built": model.exists(),
            "model_mb": round(model.stat().st_size / 1e6, 1) if model.exists() else None,
            "command": "RASA_CACHE_DIRECTORY=<empty temp dir> rasa "
            + " ".join(args).replace(str(tmp / "models"), "<temp dir>"),
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


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the benchmark and prints the goals."""
    args = parse_args(argv)
    if not args.model.exists():
        print(f"{args.model} is missing: run `make train` first.", file=sys.stderr)
        return 2
    started = time.monotonic()
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
    m = result["machine"]
    print(f"Machine: {m['nproc']} cores, {m['memory_gb']} GB, {m['cpu_model']}; ", end="")
    print(f"load average {m['loadavg']}")
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
        if not args.skip_cluster:
            from bench import cluster

            result["cluster"] = cluster.run(
                args.cluster_conversations, args.cluster_duration, args.seed, not args.no_docs
            )
    finally:
        result["wall_s"] = round(time.monotonic() - started, 1)
        result["goals"] = goals(result) if "ours" in result else []
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nGoals ({CORES} cores; bench/goals.py):")
    for g in result["goals"]:
        measured = "not measured" if g["measured"] is None else f"{g['measured']}{g['unit']}"
        status, target = g["status"] or "----", g["target"]
        print(f"  {status:<5} {g['goal']:<62} target {target:<22} measured {measured}")
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

        print(f"Updated {write_bench_section(result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
