"""Processes, with psutil: trees and their memory and CPU, machine facts, stopping a tree."""

from __future__ import annotations

import os
import platform
import subprocess
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Dict, List, Union

import psutil


def tree(pid: int) -> List[psutil.Process]:
    """`pid` and all its descendants that are alive now ([] when `pid` is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _sum(processes: List[psutil.Process], value) -> float:
    total = 0.0
    for process in processes:
        with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += value(process)
    return total


def _cpu(process: psutil.Process) -> float:
    # children_*: what the process's exited and reaped children used.
    t = process.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def tree_rss_mb(pid: int) -> float:
    """Summed resident memory of `pid` and its descendants, in MB."""
    return _sum(tree(pid), lambda p: p.memory_info().rss) / 2**20


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid`, its descendants and their reaped children."""
    return _sum(tree(pid), _cpu)


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (everything but idle and iowait)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq + t.steal


class Sampler:
    """Samples the peak RSS of named process trees and the CPU they use, in a thread.

    Also measures how much CPU the rest of the machine used meanwhile ("other
    load"): the machine's busy time minus what the watched trees and this process used.
    """

    def __init__(self, roots: Dict[str, int], interval: float = 0.25) -> None:
        self.roots = dict(roots)
        self.interval = interval
        self.peak_mb = {name: 0.0 for name in self.roots}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = self._busy0 = 0.0
        self._cpu0: Dict[str, float] = {}
        self.result: Dict[str, object] = {}

    def _cpu(self) -> Dict[str, float]:
        trees = {name: tree(pid) for name, pid in self.roots.items()}
        watched = {p.pid for members in trees.values() for p in members}
        # The benchmark's own process (load generator) and helpers, without the servers.
        trees["bench"] = [p for p in tree(os.getpid()) if p.pid not in watched]
        return {name: _sum(members, _cpu) for name, members in trees.items()}

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.roots.items():
                self.peak_mb[name] = max(self.peak_mb[name], tree_rss_mb(pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> "Sampler":
        """Takes the starting CPU counters and starts sampling."""
        self._started = time.monotonic()
        self._cpu0 = self._cpu()
        self._busy0 = machine_busy_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        """Stops sampling and fills `result`."""
        self._stop.set()
        self._thread.join(timeout=5)
        wall = max(time.monotonic() - self._started, 1e-6)
        cpu1 = self._cpu()
        busy = machine_busy_seconds() - self._busy0
        used = {name: max(cpu1[name] - self._cpu0.get(name, 0.0), 0.0) for name in cpu1}
        self.result = {
            "wall_s": round(wall, 2),
            "peak_rss_mb": {k: round(v, 1) for k, v in self.peak_mb.items()},
            "cpu_cores": {k: round(v / wall, 2) for k, v in used.items()},
            "machine_busy_cores": round(busy / wall, 2),
            "other_load_cores": round(max(busy - sum(used.values()), 0.0) / wall, 2),
        }


def machine() -> Dict[str, object]:
    """nproc, memory, CPU model, kernel, Python and Rasa of this machine."""
    from importlib.metadata import PackageNotFoundError, version

    model = "unknown"  # psutil does not name the CPU
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        rasa_version = version("rasa")
    except PackageNotFoundError:
        rasa_version = ""
    return {
        "nproc": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu_model": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rasa": rasa_version,
        "loadavg": [f"{x:.2f}" for x in psutil.getloadavg()],
    }


def stop_tree(*procs: Union[subprocess.Popen, int], timeout: float = 20) -> None:
    """Stops each process and all its descendants: SIGCONT, SIGTERM, wait, SIGKILL leftovers.

    The descendants are collected before anything is signalled: once a parent is gone,
    its children are re-parented to PID 1 and can no longer be found through it (Sanic's
    worker processes with SANIC_WORKERS=2 would keep running and keep their port).
    `subprocess.Popen` objects are waited for through Popen, so their return code is set.
    """
    # An exited Popen is skipped: once reaped, its pid may belong to another process.
    popens = [p for p in procs if isinstance(p, subprocess.Popen) and p.poll() is None]
    family: List[psutil.Process] = []
    for proc in [*popens, *(p for p in procs if isinstance(p, int))]:
        family += tree(proc if isinstance(proc, int) else proc.pid)
    for process in family:
        with suppress(psutil.NoSuchProcess):
            process.resume()  # a stopped (SIGSTOP) process acts on SIGTERM only when resumed
            process.terminate()
    own = {p.pid for p in popens}
    others = [p for p in family if p.pid not in own]
    deadline = time.monotonic() + timeout
    for proc in popens:
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
    _, alive = psutil.wait_procs(others, timeout=max(deadline - time.monotonic(), 0.01))
    for process in alive + [psutil.Process(p.pid) for p in popens if p.poll() is None]:
        with suppress(psutil.NoSuchProcess):
            process.kill()
    for proc in popens:
        proc.wait()
    psutil.wait_procs(alive, timeout=5)
