"""Process measurements from /proc: resident memory of process trees, CPU use, machine facts."""

from __future__ import annotations

import os
import platform
import threading
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _children_map() -> Dict[int, List[int]]:
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 (ppid) follows the command name in parentheses, which may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree(pid: int, children: Optional[Dict[int, List[int]]] = None) -> List[int]:
    """`pid` and all its descendants that are alive now."""
    children = children if children is not None else _children_map()
    found, todo = [], [pid]
    while todo and len(found) < 10_000:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_kb(pid: int) -> int:
    """VmRSS of one process in kB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int, children: Optional[Dict[int, List[int]]] = None) -> float:
    """Summed VmRSS of `pid` and its descendants, in MB."""
    return sum(rss_kb(p) for p in tree(pid, children)) / 1024


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds of the given processes (and their reaped children)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime, stime, cutime, cstime are fields 14-17 (1-based) -> 11..14 here.
        total += sum(int(x) for x in fields[11:15])
    return total / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (from /proc/stat)."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / CLK_TCK


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
        self._started = 0.0
        self._cpu0: Dict[str, float] = {}
        self._busy0 = 0.0
        self.result: Dict[str, object] = {}

    def _pids(self) -> Dict[str, List[int]]:
        children = _children_map()
        pids = {name: tree(pid, children) for name, pid in self.roots.items()}
        watched = {p for tree_pids in pids.values() for p in tree_pids}
        # The benchmark's own process (load generator) and helpers, without the servers.
        pids["bench"] = [p for p in tree(os.getpid(), children) if p not in watched]
        return pids

    def _cpu(self) -> Dict[str, float]:
        return {name: cpu_seconds(pids) for name, pids in self._pids().items()}

    def _run(self) -> None:
        while not self._stop.is_set():
            children = _children_map()
            for name, pid in self.roots.items():
                self.peak_mb[name] = max(self.peak_mb[name], tree_rss_mb(pid, children))
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
        used = {name: max(cpu1.get(name, 0.0) - self._cpu0.get(name, 0.0), 0.0) for name in cpu1}
        self.result = {
            "wall_s": round(wall, 2),
            "peak_rss_mb": {k: round(v, 1) for k, v in self.peak_mb.items()},
            "cpu_cores": {k: round(v / wall, 2) for k, v in used.items()},
            "machine_busy_cores": round(busy / wall, 2),
            "other_load_cores": round(max(busy - sum(used.values()), 0.0) / wall, 2),
        }


def machine() -> Dict[str, object]:
    """nproc, memory, CPU model, kernel and Python of this machine."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    try:
        from importlib.metadata import version

        rasa_version = version("rasa")
    except Exception:  # noqa: BLE001 - only informative
        rasa_version = ""
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu_model": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rasa": rasa_version,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }
