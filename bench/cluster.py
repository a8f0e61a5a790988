"""Cluster load test: `make cluster` against the single-process default, same run.

    python -m bench.cluster [--conversations 50] [--duration 120] [--no-docs]
                            [--only single|cluster] [--port-offset N]

1. The single-process default (devtools running_stack: endpoints.yml, SQLite tracker
   store, in-memory lock, one action server) on free ports.
2. scripts/cluster.sh as it ships (nginx 127.0.0.1:8000, Rasa replicas 5005/5006, action
   servers 5055/5056) on a throw-away PostgreSQL database and Redis database 3.
Each gets the same warm-up and then `--conversations` concurrent quiz conversations
without pauses for `--duration` seconds (bench/load.py; every conversation is a whole
quiz ending in a recommendation). Reported per set-up: messages, msg/s, p50/p95/p99,
errors, finished quizzes and the result rows stored (every finished quiz must have
its row), and the machine's load average (`uptime`) before and after: the machine may
be shared, so throughput is only comparable within one run. Writes
var/bench/cluster.json and the "cluster" section of docs/benchmarks.md.
Also run by `make bench` (bench/run.py, unless --skip-cluster).
`--only` measures one set-up (no ratio, no docs: for quick comparisons of CPU per
message); `--port-offset N` moves every cluster port by N (8000 -> 8000 + N, ...), so
that a run does not collide with another `make cluster` or the cluster e2e test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import psutil
import requests
import sqlalchemy as sa

from bench import dialogues
from bench.goals import CORES, GOALS
from bench.load import play_sequence, run_load
from devtools import procs
from devtools.databases import throwaway_postgres_database
from devtools.stack import ROOT, running_stack

GOAL = GOALS["cluster_throughput_ratio"]

OUT = ROOT / "var" / "bench" / "cluster.json"
DOC = ROOT / "docs" / "benchmarks.md"
# The cluster's ports as scripts/cluster.sh defaults them (moved by --port-offset).
CLUSTER_PORTS = {
    "CLUSTER_HTTP_PORT": 8000,
    "CLUSTER_RASA_PORT": 5005,
    "CLUSTER_ACTION_PORT": 5055,
    "CLUSTER_ACTIONS_LB_PORT": 5050,
    "CLUSTER_WEB_PORT": 8080,
}
WARM_UP = ["Hallo", "Quiz starten", "Bürokaufmann", "Englisch gut", "Projekte koordinieren"]


def _load() -> str:
    """The load averages (1, 5, 15 min), as `uptime` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _process_cpu(process: psutil.Process) -> float:
    """User + system CPU seconds of one process, its threads and its reaped children."""
    try:
        t = process.cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0
    return t.user + t.system + t.children_user + t.children_system


def _named(name: str) -> List[psutil.Process]:
    """The top processes of the machine's server `name` (postgres, redis-server): those
    whose parent is not of the same name (PostgreSQL's backends are its children).
    """
    found = []
    for process in psutil.process_iter(["name", "ppid"]):
        with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            if process.info["name"] == name:
                parent = psutil.Process(process.info["ppid"])
                if parent.name() != name:
                    found.append(process)
    return found


class CpuMeter:
    """CPU seconds per component while the load runs: a figure per message that other
    load on the machine hardly changes, unlike msg/s.

    `groups` maps a component to the root pids of its process trees (descendants and
    their reaped children count too). The load generator is this process alone (its
    threads), PostgreSQL and Redis the machine's servers (shared: other work on them
    counts too), "other" the rest of the machine's busy time.
    """

    def __init__(self, groups: Dict[str, List[int]]) -> None:
        self.groups = {
            **groups,
            "postgresql": [p.pid for p in _named("postgres")],
            "redis": [p.pid for p in _named("redis-server")],
        }
        self.start: Dict[str, float] = {}
        self.t0 = self.busy0 = 0.0

    def _read(self) -> Dict[str, float]:
        values = {"load generator": _process_cpu(psutil.Process())}
        for name, pids in self.groups.items():
            total = 0.0
            for pid in pids:
                for process in procs.tree(pid):
                    total += _process_cpu(process)
            values[name] = total
        return values

    def __enter__(self) -> "CpuMeter":
        """Takes the starting counters."""
        self.start, self.t0 = self._read(), time.monotonic()
        self.busy0 = procs.machine_busy_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        """Takes the end counters: `used` CPU seconds per component."""
        end, wall = self._read(), max(time.monotonic() - self.t0, 1e-6)
        busy = procs.machine_busy_seconds() - self.busy0
        self.used = {k: max(end[k] - self.start.get(k, 0.0), 0.0) for k in end}
        self.used["other (rest of the machine)"] = max(busy - sum(self.used.values()), 0.0)
        self.wall, self.busy = wall, busy

    def summary(self, messages: int) -> Dict[str, Any]:
        """CPU ms per message and cores used, per component and in total."""
        per = max(messages, 1)
        ours = {k: v for k, v in self.used.items() if not k.startswith("other")}
        return {
            "cpu_ms_per_message": {k: round(1000 * v / per, 1) for k, v in self.used.items()},
            "cores": {k: round(v / self.wall, 2) for k, v in self.used.items()},
            "servers_cpu_ms_per_message": round(
                1000 * sum(v for k, v in ours.items() if k != "load generator") / per, 1
            ),
            "machine_busy_cores": round(self.busy / self.wall, 2),
        }


def _rows(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM quiz_results")).scalar())
    finally:
        engine.dispose()


def _measure(
    url: str,
    args: argparse.Namespace,
    label: str,
    database_url: str,
    groups: Dict[str, List[int]],
) -> Dict:
    webhook = f"{url}/webhooks/rest/webhook"

    async def warm() -> None:  # every replica builds its graphs on its first messages
        await asyncio.gather(
            *(play_sequence(webhook, f"warm-{uuid.uuid4().hex[:8]}", WARM_UP) for _ in range(6))
        )

    asyncio.run(warm())
    before_rows, load_before = _rows(database_url), _load()
    with CpuMeter(groups) as meter:
        result = asyncio.run(
            run_load(
                webhook,
                dialogues.quiz,
                conversations=args.conversations,
                duration=args.duration,
                final_markers=dialogues.RECOMMENDATION_MARKERS,
                seed=args.seed,
                timeout=60,
                label=label,
            )
        )
    time.sleep(2)  # the last results reach the database
    summary = result.summary()
    summary["result_rows"] = _rows(database_url) - before_rows
    summary["load_before"], summary["load_after"] = load_before, _load()
    summary.update(meter.summary(int(summary["messages"])))
    print(
        f"  {label}: {summary['messages']} msgs, {summary['messages_per_s']} msg/s, "
        f"p50 {summary['median_ms']} ms, p95 {summary['p95_ms']} ms, errors "
        f"{summary['error_count']} {summary['errors'] or ''}, quizzes finished "
        f"{summary['completed_conversations']}, rows {summary['result_rows']}, load "
        f"{summary['load_before']} -> {summary['load_after']}",
        flush=True,
    )
    print(
        f"    CPU ms per message {summary['cpu_ms_per_message']}; cores "
        f"{summary['cores']}; machine busy {summary['machine_busy_cores']} cores",
        flush=True,
    )
    return summary


def measure_single(args: argparse.Namespace, workdir: Path) -> Dict:
    """The single-process default on free ports."""
    print("Single process (make run's default) ...", flush=True)
    with running_stack(workdir / "single") as stack:
        pids = stack.pids()
        groups = {"rasa": [pids["rasa"]], "actions": [pids["actions"]]}
        return _measure(stack.rasa_url, args, "single process", stack.database_url, groups)


def _cluster_groups(script_pid: int) -> Dict[str, List[int]]:
    """Root pids per component of a running scripts/cluster.sh (by supervisord's
    program name: rasa1, rasa2 -> "rasa", actions1.. -> "actions", nginx, web).
    """
    groups: Dict[str, List[int]] = {}
    for process in procs.tree(script_pid):
        with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            parent = process.parent()
            if not parent or "supervisord" not in " ".join(parent.cmdline()):
                continue
            # nginx overwrites its environment with its process title
            name = process.environ().get("SUPERVISOR_PROCESS_NAME") or (
                "nginx" if process.name() == "nginx" else ""
            )
            if name:  # not the output filter cluster.sh puts behind supervisord
                groups.setdefault(name.rstrip("0123456789"), []).append(process.pid)
    return groups


def measure_cluster(args: argparse.Namespace, workdir: Path) -> Dict:
    """scripts/cluster.sh on a throw-away database; nginx on 127.0.0.1:8000."""
    print("Cluster (scripts/cluster.sh: nginx, 2 Rasa replicas, 2 action servers) ...")
    var = workdir / "cluster"
    offset = getattr(args, "port_offset", 0)
    ports = {name: port + offset for name, port in CLUSTER_PORTS.items()}
    rasa_ports = (ports["CLUSTER_RASA_PORT"], ports["CLUSTER_RASA_PORT"] + 1)
    with throwaway_postgres_database("bench_cluster_") as url:
        env = {k: v for k, v in os.environ.items() if k not in ("QUIZ_DATABASE_URL",)}
        env.update(
            DATABASE_URL=url,
            REDIS_URL="redis://127.0.0.1:6379/3",
            CLUSTER_VAR_DIR=str(var),
            PYTHONPATH=str(ROOT),
            TF_CPP_MIN_LOG_LEVEL="3",
            RASA_TELEMETRY_ENABLED="false",
            **{name: str(port) for name, port in ports.items()},
        )
        var.mkdir(parents=True, exist_ok=True)
        with open(workdir / "cluster.out", "w") as out:
            proc = subprocess.Popen(
                [str(ROOT / "scripts" / "cluster.sh")],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + 600
            for port in rasa_ports:
                while True:
                    try:
                        if requests.get(f"http://127.0.0.1:{port}/", timeout=2).ok:
                            break
                    except requests.RequestException:
                        pass
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((workdir / "cluster.out").read_text()[-2000:])
                    time.sleep(1)
            nginx = f"http://127.0.0.1:{ports['CLUSTER_HTTP_PORT']}"
            return _measure(nginx, args, "cluster (2 replicas)", url, _cluster_groups(proc.pid))
        finally:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _ours(s: Dict[str, Any]) -> Dict[str, float]:
    """CPU ms per message of the set-up's own processes (all but the rest of the machine)."""
    return {k: v for k, v in s.get("cpu_ms_per_message", {}).items() if not k.startswith("other")}


def core_bound(single: Dict[str, Any], cluster: Dict[str, Any], cores: int) -> Optional[float]:
    """The throughput ratio the cores allow at the measured CPU per message.

    One process: its Rasa server runs on one thread (all its CPU is in the main thread,
    TensorFlow included: serving.env's one-thread settings), so it serves at most
    1000 / (its Rasa ms per message) msg/s, and the machine at most cores * 1000 / (all
    its processes' ms per message). The cluster: cores * 1000 / (all its processes' ms
    per message), Rasa replicas, action servers, nginx, PostgreSQL, Redis and the load
    generator together. None without CPU figures.
    """
    single_ms, cluster_ms = _ours(single), _ours(cluster)
    if not single_ms.get("rasa") or not cluster_ms:
        return None
    single_rate = min(1000 / single_ms["rasa"], cores * 1000 / sum(single_ms.values()))
    cluster_rate = cores * 1000 / sum(cluster_ms.values())
    return round(cluster_rate / single_rate, 2)


def render_cpu(result: Dict[str, Any]) -> List[str]:
    """The CPU-per-message table and what the cores allow (empty without CPU figures)."""
    single, cluster = result["single"], result["cluster"]
    if "cpu_ms_per_message" not in single or "cpu_ms_per_message" not in cluster:
        return []
    names = list(dict.fromkeys([*_ours(single), *_ours(cluster)]))
    rows = [
        "| process | one process: CPU ms/msg | cores | cluster: CPU ms/msg | cores |",
        "|---|---|---|---|---|",
    ]
    for name in names:
        cells = []
        for s in (single, cluster):
            ms = s["cpu_ms_per_message"].get(name)
            cells += ["-", "-"] if ms is None else [f"{ms:g}", f"{s['cores'].get(name, 0):g}"]
        rows.append(f"| {name} | {' | '.join(cells)} |")
    totals = [sum(_ours(s).values()) for s in (single, cluster)]
    cores = [
        sum(v for k, v in s["cores"].items() if not k.startswith("other"))
        for s in (single, cluster)
    ]
    rows.append(
        f"| **all of the set-up** | {totals[0]:.1f} | {cores[0]:.2f} | {totals[1]:.1f} "
        f"| {cores[1]:.2f} |"
    )
    rows.append(
        "| rest of the machine (other work) | "
        f"{single['cpu_ms_per_message'].get('other (rest of the machine)', 0):g} | "
        f"{single['cores'].get('other (rest of the machine)', 0):g} | "
        f"{cluster['cpu_ms_per_message'].get('other (rest of the machine)', 0):g} | "
        f"{cluster['cores'].get('other (rest of the machine)', 0):g} |"
    )
    nproc = result["machine"]["nproc"]
    bound = core_bound(single, cluster, nproc)
    return [
        "",
        "CPU per message (psutil, user + system seconds of each process tree during the "
        "load, over the messages) depends much less than msg/s on how busy the machine "
        "is, though on a shared machine it still moves by up to a fifth between runs "
        "(caches, shared cores): the ratio the cores allow is an estimate, as good as "
        "these figures. Cores = CPU seconds over wall seconds.",
        "",
        *rows,
        "",
        f"What {nproc} cores allow at these costs: one process is bounded by its Rasa "
        f"server's single thread ({single['cpu_ms_per_message']['rasa']:g} ms per message, "
        f"at most {1000 / single['cpu_ms_per_message']['rasa']:.1f} msg/s on one core, "
        "while its action server and the load generator use the other core), the cluster "
        f"by all {nproc} cores ({totals[1]:.1f} ms per message of all its processes, at "
        f"most {nproc * 1000 / totals[1]:.1f} msg/s). Ratio the cores allow: "
        f"**{bound}x** (goal {GOAL.target}).",
    ]


def render(result: Dict[str, Any]) -> str:
    """The markdown of the "cluster" section."""
    single, cluster = result["single"], result["cluster"]
    ratio = result.get("throughput_ratio")
    rows = [
        "| set-up | msgs | msg/s | p50 ms | p95 ms | p99 ms | errors | quizzes finished "
        "| result rows | load avg before -> after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in (("single process (make run)", single), ("cluster (make cluster)", cluster)):
        rows.append(
            f"| {name} | {s['messages']} | {s['messages_per_s']} | {s['median_ms']} | "
            f"{s['p95_ms']} | {s['p99_ms']} | {s['error_count']} {s['errors'] or ''} | "
            f"{s['completed_conversations']} | {s['result_rows']} | "
            f"{s['load_before']} -> {s['load_after']} |"
        )
    m = result["machine"]
    return "\n".join(
        [
            "## Cluster against one process (`make bench`, bench/cluster.py)",
            "",
            f"Run {result['date']}: {result['conversations']} concurrent quiz conversations "
            f"without pauses for {result['duration_s']:g} s each, REST through nginx "
            f"(cluster) or straight to Rasa (single process); {m['nproc']} cores, "
            f"{m['memory_gb']} GB. Throughput ratio cluster / single: **{ratio}x** "
            f"(goal on {CORES} cores: {GOAL.target}).",
            "",
            *rows,
            *render_cpu(result),
            "",
            "The machine was shared with other work while this ran: the load averages "
            "(`uptime`) beside each row show how much; the two rows are comparable with "
            "each other, less so with other runs. Result rows count the quizzes the "
            "action servers stored; a quiz whose last answer was in flight at the end can "
            "add a row without counting as finished.",
            *(
                [
                    "",
                    f"**Goal missed in this run ({ratio}x, goal {GOAL.target}), and this "
                    "run cannot "
                    "decide it:** the load average stayed above the core count "
                    f"({m['nproc']}) through both rows, i.e. other processes kept every "
                    "core busy, so the second replica found no idle core to add: each "
                    "set-up's msg/s is the cores the scheduler gave it (column cores "
                    "above) over its CPU per message. Repeat on an otherwise idle "
                    "machine.",
                ]
                if ratio is not None
                and not GOAL.met(ratio)
                and min(float(x) for x in single["load_before"].split()[:1]) > m["nproc"]
                else []
            ),
        ]
    )


def write_doc(result: Dict[str, Any]) -> Path:
    """Replaces (or appends) the cluster section of docs/benchmarks.md."""
    begin, end = "<!-- BEGIN cluster (generated) -->", "<!-- END cluster (generated) -->"
    block = f"{begin}\n{render(result)}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + f"\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")
    return DOC


def run(
    conversations: int,
    duration: float,
    seed: int = 1,
    docs: bool = True,
    only: Optional[str] = None,
    port_offset: int = 0,
) -> Dict:
    """Both measurements (or the `only` one); returns (and stores) the result."""
    args = argparse.Namespace(
        conversations=conversations, duration=duration, seed=seed, port_offset=port_offset
    )
    workdir = ROOT / "var" / "bench" / "cluster-run"
    workdir.mkdir(parents=True, exist_ok=True)
    result: Dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": procs.machine(),
        "conversations": conversations,
        "duration_s": duration,
    }
    if only:
        measure = measure_single if only == "single" else measure_cluster
        result[only] = measure(args, workdir)
        out = OUT.with_name(f"cluster-{only}.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
        return result
    result["single"] = measure_single(args, workdir)
    result["cluster"] = measure_cluster(args, workdir)
    single_rate = result["single"]["messages_per_s"] or 0
    if single_rate:
        result["throughput_ratio"] = round(result["cluster"]["messages_per_s"] / single_rate, 2)
    result["core_bound_ratio"] = core_bound(
        result["single"], result["cluster"], result["machine"]["nproc"]
    )
    print(
        f"  cluster / single throughput: {result.get('throughput_ratio')}x (goal {GOAL.target});"
        f" at the measured CPU per message the cores allow {result['core_bound_ratio']}x"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1), encoding="utf-8")
    if docs:
        print(f"Updated {write_doc(result)}")
    return result


def main(argv: Optional[List[str]] = None) -> int:
    """Command line."""
    p = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--duration", type=float, default=120.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-docs", action="store_true")
    p.add_argument("--only", choices=("single", "cluster"), help="measure one set-up only")
    p.add_argument("--port-offset", type=int, default=0, help="added to every cluster port")
    a = p.parse_args(argv)
    run(
        a.conversations,
        a.duration,
        a.seed,
        docs=not a.no_docs and not a.only,
        only=a.only,
        port_offset=a.port_offset,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
