"""Writes docs/benchmarks.md: each command rewrites only its own marked section.

The sections' markdown comes from the Jinja2 templates in bench/templates/; this module
selects what they show, draws the plots and replaces the sections.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import jinja2

from bench.goals import LOAD_PHASES
from devtools.stack import ROOT

DOC = ROOT / "docs" / "benchmarks.md"
IMG = ROOT / "docs" / "img"
EXP_DIR = ROOT / "var" / "bench" / "experiments"
TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTIONS = ("bench", "experiments", "report", "side_questions")
SHORT = {
    "secretarial": "Sekretariat",
    "specialist": "Fach-Backoffice",
    "project_management": "Projektassistenz",
}
PLACEHOLDERS = {
    "bench": "## Performance (`make bench`)\n\nNot measured yet: run `make bench`.",
    "experiments": "## Experiments\n\nNone stored yet.",
    "report": "## Quality (`make report`)\n\nNot measured yet: run `make report`.",
    "side_questions": "## Side questions and endings (`make report`)\n\nNot measured yet: "
    "run `make report`.",
}
EXPERIMENT_NOTES = {
    "baseline": "no change (same as `make bench`)",
    "no-speedups": "QUIZ_RASA_SPEEDUPS=0: Rasa's own validation of action-server responses "
    "(re-checks the JSON schema on every call)",
    "no-session-restart": '"Neu starten" and a new quiz stay in the same Rasa session '
    "(QUIZ_RESTART_NEW_SESSION=0)",
    "with-ted": "TEDPolicy back in config.yml (as before issue 4); model trained once",
    "rasa-tracker-store": "Rasa's own SQLTrackerStore (SQLite) instead of "
    "rasa_addons/tracker_store.py",
    "tf-threads-default": "TensorFlow's default thread pools instead of scripts/serving.env",
    "postgres-tracker": "PostgreSQL tracker store (endpoints.scaled.yml's) instead of SQLite, "
    "one worker",
}


def _fmt(value: Any) -> str:
    return "–" if value is None or isinstance(value, jinja2.Undefined) else str(value)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.ChainableUndefined,  # a missing measurement renders as "–" or ""
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        fmt=_fmt,
        g=lambda value: f"{value:g}",
        json=json.dumps,
        repr=repr,
        cell=lambda text: str(text).replace("|", "\\|"),  # inside a markdown table
        short=SHORT.__getitem__,
        misclassified=lambda rows: sum(1 for r in rows if r["predicted"] != r["intent"]),
    )
    env.globals["machine_line"] = machine_line
    return env


def render(template: str, **context: Any) -> str:
    """The markdown of bench/templates/`template` with `context`."""
    return _environment().get_template(template).render(**context)


def _marker(name: str, end: bool = False) -> str:
    return f"<!-- {'END' if end else 'BEGIN'} {name} (generated) -->"


def update_sections(sections: Dict[str, str]) -> Path:
    """Replaces the named sections of docs/benchmarks.md, keeping the others."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else render("header.md.j2")
    for name in SECTIONS:
        if _marker(name) not in text:
            block = f"{_marker(name)}\n{PLACEHOLDERS[name]}\n{_marker(name, True)}"
            text = text.rstrip() + f"\n\n{block}\n"
    for name, body in sections.items():
        pattern = re.compile(
            re.escape(_marker(name)) + ".*?" + re.escape(_marker(name, True)), re.S
        )
        block = f"{_marker(name)}\n{body.strip()}\n{_marker(name, True)}"
        text = pattern.sub(lambda _, block=block: block, text)
    DOC.write_text(text, encoding="utf-8")
    return DOC


def machine_line(machine: Dict[str, Any]) -> str:
    """One line: cores, memory, CPU, kernel, Python, Rasa."""
    return (
        f"{machine.get('nproc')} cores, {machine.get('memory_gb')} GB RAM, "
        f"{machine.get('cpu_model')}, Linux {machine.get('kernel')}, "
        f"Python {machine.get('python')}, Rasa {machine.get('rasa')}"
    )


def _other_load_note(result: Dict[str, Any]) -> str:
    loads = [
        res["other_load_cores"]
        for bot in ("ours", "scaled", "stock")
        for phase in (*LOAD_PHASES, "long")
        for res in [result.get(bot, {}).get(phase, {}).get("resources", {})]
        if "other_load_cores" in res
    ]
    train = result.get("train", {}).get("resources", {})
    if "other_load_cores" in train:
        loads.append(train["other_load_cores"])
    worst = max(loads) if loads else 0.0
    if worst >= 0.2:
        return (
            f"**Other load was present:** processes outside the benchmark used up to "
            f"{worst} of {result['machine'].get('nproc')} cores during the measured phases "
            f"(load average at the start {', '.join(result['machine'].get('loadavg', []))}). "
            "Latencies and durations are inflated by it; CPU per message much less."
        )
    return (
        f"Other load: at most {worst} cores used by processes outside the benchmark "
        "(the machine was otherwise quiet)."
    )


def _plots_bench(result: Dict[str, Any]) -> List[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    IMG.mkdir(parents=True, exist_ok=True)
    written = []
    fig, ax = plt.subplots(figsize=(7, 4))
    styles = {"sequential": ":", "moderate": "-.", "paced": "-", "saturation": "--"}
    for bot, name, color in (("ours", "quiz bot", "tab:blue"), ("stock", "stock bot", "tab:red")):
        for phase, style in styles.items():
            lat = result.get(bot, {}).get(phase, {}).get("latencies_ms")
            if lat:
                xs = np.sort(lat)
                y = np.arange(1, len(xs) + 1) / len(xs)
                ax.plot(xs, y, style, color=color, label=f"{name}, {phase}")
    ax.axvline(150, color="grey", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_xlabel("latency per message (ms, log scale)")
    ax.set_ylabel("share of messages")
    ax.set_title(f"REST latency, {result['config']['conversations']} concurrent conversations")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(IMG / "bench_latency.png", dpi=110)
    plt.close(fig)
    written.append("bench_latency.png")

    long = result.get("ours", {}).get("long")
    if long and long.get("latencies_ms"):
        lat = np.array(long["latencies_ms"])
        turns = np.arange(1, len(lat) + 1)
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot(turns, lat, ".", ms=3, alpha=0.5, label="latency")
        window = 12
        if len(lat) >= window:
            rolling = np.convolve(lat, np.ones(window) / window, mode="valid")
            ax.plot(turns[window - 1 :], rolling, "-", label=f"mean of {window} turns")
        cpu = long.get("cpu_ms", {}).get("rasa")
        if cpu:
            ax.plot(turns, cpu, ".", ms=2, alpha=0.5, color="tab:red", label="Rasa CPU ms")
        ax.set_xlabel("turn in one conversation")
        ax.set_ylabel("ms")
        ax.set_title("Latency over conversation length")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(IMG / "bench_long_conversation.png", dpi=110)
        plt.close(fig)
        written.append("bench_long_conversation.png")
    return written


def render_bench(result: Dict[str, Any]) -> str:
    """The `make bench` section (draws its plots first)."""
    plots = _plots_bench(result)
    workers = result.get("scaled", {}).get("workers")
    bots = (("ours", "quiz"), ("scaled", f"quiz, {workers} workers"), ("stock", "stock"))
    load_rows = [
        (name, phase, result[bot][phase])
        for bot, name in bots
        for phase in LOAD_PHASES
        if result.get(bot, {}).get(phase)
    ]
    return render(
        "bench.md.j2",
        result=result,
        ours=result.get("ours", {}),
        stock=result.get("stock", {}),
        plots=plots,
        load_rows=load_rows,
        other_load_note=_other_load_note(result),
    )


def render_experiments() -> str:
    """The experiments section, from var/bench/experiments/*.json."""
    order = list(EXPERIMENT_NOTES)
    paths = sorted(
        EXP_DIR.glob("*.json"),
        key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem),
    )
    rows = []
    for path in paths:
        r = load_json(path)
        if r is None:
            continue
        ours = r.get("ours", {})
        short_run = ours.get("paced", {}).get("messages", 0) < 50  # a long conversation only
        # Errors count in every run; a short run's paced and saturation figures are not shown.
        phases = {p: ({} if short_run else ours.get(p, {})) for p in ("paced", "saturation")}
        rows.append(
            {
                "name": path.stem,
                "note": EXPERIMENT_NOTES.get(path.stem, ""),
                "date": r.get("date", ""),
                **phases,
                "sequential": ours.get("sequential", {}),
                "long": ours.get("long", {}),
                "startup_s": ours.get("startup_s"),
                "errors": sum(
                    ours.get(p, {}).get("error_count", 0) for p in ("paced", "saturation")
                ),
                "other": max(
                    ours.get(p, {}).get("resources", {}).get("other_load_cores", 0.0)
                    for p in ("sequential", "paced", "saturation", "long")
                ),
            }
        )
    return render("experiments.md.j2", rows=rows)


def experiment_sections() -> Dict[str, str]:
    """{"experiments": ...} when experiments are stored here; else {} (keep the section).

    var/ is not in git: on a fresh clone the committed table stays as it is.
    """
    return {"experiments": render_experiments()} if any(EXP_DIR.glob("*.json")) else {}


def write_bench_section(result: Dict[str, Any]) -> Path:
    """Called by bench.run: rewrites the bench section (and the experiments, if stored)."""
    return update_sections({"bench": render_bench(result), **experiment_sections()})


def load_json(path: Path) -> Optional[Dict[str, Any]]:
    """A JSON file, or None."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
