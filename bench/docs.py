"""Writes docs/benchmarks.md: each command rewrites only its own marked section."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.run import LOAD_PHASES
from devtools.stack import ROOT

DOC = ROOT / "docs" / "benchmarks.md"
IMG = ROOT / "docs" / "img"
EXP_DIR = ROOT / "var" / "bench" / "experiments"
SECTIONS = ("bench", "experiments", "report")

HEADER = """# Benchmarks and evaluation

Measured numbers for the career-quiz assistant, written by `make bench` (performance)
and `make report` (NLU and recommender quality). Each command rewrites only its own
section below; do not edit between the markers by hand. The code is in `bench/`.

Reproduce on a fresh clone after `make run`'s set-up (`make train db`):

```bash
make bench    # ~8 min (+2 on the first run, rasa init): load (1 and 2 workers), stock bot, long chat, training
make report   # ~11 min: NLU held-out + 5-fold CV (trains 5 NLU models), recommender
.venv/bin/python -m bench.run --help         # options (shorter runs, --profile, ...)
.venv/bin/python -m bench.experiment --list  # variants: undo one speed-up; PostgreSQL tracker store
```

Latency depends on everything else the machine is doing. Every run records the CPU
that processes outside the benchmark used meanwhile ("other load"), and the CPU
time per message, which other load changes much less than latency.
"""


def _marker(name: str, end: bool = False) -> str:
    return f"<!-- {'END' if end else 'BEGIN'} {name} (generated) -->"


def update_sections(sections: Dict[str, str]) -> Path:
    """Replaces the named sections of docs/benchmarks.md, keeping the others."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    for name in SECTIONS:
        if _marker(name) not in text:
            placeholder = {
                "bench": "## Performance (`make bench`)\n\nNot measured yet: run `make bench`.",
                "experiments": "## Experiments\n\nNone stored yet.",
                "report": "## Quality (`make report`)\n\nNot measured yet: run `make report`.",
            }[name]
            text = text.rstrip() + f"\n\n{_marker(name)}\n{placeholder}\n{_marker(name, True)}\n"
    for name, body in sections.items():
        pattern = re.compile(
            re.escape(_marker(name)) + r".*?" + re.escape(_marker(name, True)), re.S
        )
        text = pattern.sub(
            lambda _: f"{_marker(name)}\n{body.strip()}\n{_marker(name, True)}", text
        )
    DOC.write_text(text, encoding="utf-8")
    return DOC


def machine_line(machine: Dict[str, Any]) -> str:
    """One line: cores, memory, CPU, kernel, Python, Rasa."""
    return (
        f"{machine.get('nproc')} cores, {machine.get('memory_gb')} GB RAM, "
        f"{machine.get('cpu_model')}, Linux {machine.get('kernel')}, "
        f"Python {machine.get('python')}, Rasa {machine.get('rasa')}"
    )


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value}{unit}"


def _other_load_note(result: Dict[str, Any]) -> str:
    loads = []
    for bot in ("ours", "scaled", "stock"):
        for phase in (*LOAD_PHASES, "long"):
            res = result.get(bot, {}).get(phase, {}).get("resources", {})
            if "other_load_cores" in res:
                loads.append(res["other_load_cores"])
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
    for bot, name, color in (("ours", "quiz bot", "tab:blue"), ("stock", "stock bot", "tab:red")):
        for phase, style in (
            ("sequential", ":"),
            ("moderate", "-."),
            ("paced", "-"),
            ("saturation", "--"),
        ):
            lat = result.get(bot, {}).get(phase, {}).get("latencies_ms")
            if lat:
                xs = np.sort(lat)
                ax.plot(
                    xs,
                    np.arange(1, len(xs) + 1) / len(xs),
                    style,
                    color=color,
                    label=f"{name}, {phase}",
                )
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
    """The `make bench` section."""
    plots = _plots_bench(result)
    ours, stock = result.get("ours", {}), result.get("stock", {})
    cfg = result["config"]
    lines = [
        "## Performance (`make bench`)",
        "",
        f"- Date: {result['date']}; run took {result.get('wall_s')} s",
        f"- Machine: {machine_line(result['machine'])}",
        f"- Command: `make bench` = `{result['command']}`",
        f"- Load: {cfg['conversations']} concurrent conversations over the REST channel, each "
        f"playing whole quizzes (greeting to recommendation, free text and buttons) under new "
        f"sender ids. Phases: *sequential* (one conversation, no pauses: latency without "
        f"queueing, {cfg.get('sequential_duration', 0):g} s); *moderate* offers "
        f"{cfg['rate'] / 2:g} messages/s in total ({cfg.get('moderate_duration', 0):g} s); "
        f"*paced* offers {cfg['rate']:g} messages/s in total for "
        + (
            f"{cfg['rounds']} quizzes per conversation"
            if cfg.get("rounds")
            else f"{cfg['duration']:g} s"
        )
        + f"; *saturation* sends without pauses ({cfg['saturation_duration']:g} s). The "
        "stock bot (`rasa init`) gets the same phases with its own messages. "
        "*quiz, 2 workers* is the quiz bot with `SANIC_WORKERS=2` and `endpoints.scaled.yml` "
        "(PostgreSQL tracker store, Redis lock store), the README's scaling recipe; all "
        "other rows run the embedded default (one worker, SQLite).",
        f"- {_other_load_note(result)}",
        "",
        "### Goals",
        "",
        "| goal | target | measured | |",
        "|---|---|---|---|",
    ]
    for g in result.get("goals", []):
        measured = "not measured" if g["measured"] is None else f"{g['measured']}{g['unit']}"
        lines.append(f"| {g['goal']} | {g['target']} | {measured} | {g['status'] or '–'} |")
    if result.get("scaled_error"):
        lines += ["", f"The 2-worker run failed and is missing: `{result['scaled_error'][:300]}`"]
    lines += [
        "",
        "### Load: quiz bot against the stock bot",
        "",
        "| bot | phase | messages | msg/s | median ms | p95 ms | p99 ms | errors "
        "| Rasa CPU ms/msg | action server CPU ms/msg | peak RSS Rasa / actions MB "
        "| other load (cores) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    workers = result.get("scaled", {}).get("workers")
    for bot, name in (("ours", "quiz"), ("scaled", f"quiz, {workers} workers"), ("stock", "stock")):
        for phase in LOAD_PHASES:
            s = result.get(bot, {}).get(phase)
            if not s:
                continue
            cpu = s.get("cpu_ms_per_message", {})
            res = s.get("resources", {})
            rss = res.get("peak_rss_mb", {})
            lines.append(
                f"| {name} | {phase} | {s['messages']} | {s['messages_per_s']} | "
                f"{s['median_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['error_count']}"
                f"{' ' + json.dumps(s['errors']) if s['errors'] else ''} | "
                f"{_fmt(cpu.get('rasa'))} | {_fmt(cpu.get('actions'))} | "
                f"{_fmt(rss.get('rasa'))} / {_fmt(rss.get('actions'))} | "
                f"{_fmt(res.get('other_load_cores'))} |"
            )
    for phase, r in result.get("ratios", {}).items():
        lines.append("")
        lines.append(
            f"Ours over stock ({phase}): median {r['median']}x, p95 {r['p95']}x, "
            f"throughput {r['throughput']}x."
        )
    if ours.get("idle_rss_mb"):
        lines += [
            "",
            "RSS at rest after warm-up: quiz Rasa server "
            f"{ours['idle_rss_mb'].get('rasa')} "
            f"MB, action server {ours['idle_rss_mb'].get('actions')} MB; stock Rasa "
            f"server {stock.get('idle_rss_mb', {}).get('rasa', '–')} MB.",
        ]
    if "bench_latency.png" in plots:
        lines += ["", "![Latency distribution](img/bench_latency.png)"]
    long = ours.get("long")
    if long:
        lines += [
            "",
            "### Latency over conversation length",
            "",
            f"One conversation of {long['turns']} messages (quiz, questions, corrections, "
            f'"Warum?", feedback, "Neu starten", "Tschüss", in cycles of '
            f"{len(long.get('messages', [])[:24])} messages, so the last window repeats the first "
            f"one word for word), sent one after the other on an otherwise idle server.",
            "",
            "| | turns 1–10 | turns " + long["tail_turns"] + " | ratio |",
            "|---|---|---|---|",
            f"| median latency (ms) | {long['head_median_ms']} | {long['tail_median_ms']} | "
            f"{long.get('ratio')} |",
            f"| Rasa CPU per message (ms) | {_fmt(long.get('rasa_cpu_head_median_ms'))} | "
            f"{_fmt(long.get('rasa_cpu_tail_median_ms'))} | {_fmt(long.get('rasa_cpu_ratio'))} |",
            f"| action server CPU per message (ms) | "
            f"{_fmt(long.get('actions_cpu_head_median_ms'))} | "
            f"{_fmt(long.get('actions_cpu_tail_median_ms'))} | "
            f"{_fmt(long.get('actions_cpu_ratio'))} |",
            "",
            f"Same message, same place in the cycle, first against last cycle: median ratio "
            f"{long.get('same_message_ratio')}. Each of turns {long.get('tail_turns')} against "
            f"the same words in a new conversation, sent right after it (interleaved, so a "
            f"change in the machine's speed during the run cancels out), median ratio "
            f"{long.get('control_ratio')}. Events in the conversation's last Rasa session "
            f"at the end: {long.get('session_events_at_end', '–')} "
            f"({long.get('session_json_kb', '–')} kB of JSON; Rasa replays them on every message "
            f"and sends them to the action server with every custom-action call). Errors: "
            f"{long['errors']}.",
        ]
        if "bench_long_conversation.png" in plots:
            lines += ["", "![Latency over conversation length](img/bench_long_conversation.png)"]
    lines += ["", "### Training and start-up", ""]
    train = result.get("train")
    if train:
        lines.append(
            f"- Cold training (`{train['command']}`): {train['seconds']} s, exit code "
            f"{train['exit_code']}, model {train.get('model_mb')} MB, peak RSS "
            f"{train['resources']['peak_rss_mb'].get('train')} MB, other load "
            f"{train['resources'].get('other_load_cores')} cores."
        )
    else:
        lines.append("- Cold training: not measured in this run (--skip-train).")
    lines.append(
        f"- Start-up, from starting both servers to the Rasa server answering: "
        f"{ours.get('startup_s')} s (action server alone {ours.get('actions_startup_s')} "
        f"s; the Rasa server used {ours.get('startup_cpu_s')} s of CPU for it). "
        f"Stock bot: {stock.get('startup_s', '–')} s."
    )
    prof = ours.get("profile")
    if prof:
        lines += ["", "### Where the Rasa server's time goes (py-spy, saturation phase)", ""]
        for proc_name, p in prof.items():
            if not p.get("samples"):
                continue
            lines.append(
                f"**{proc_name}** ({p['samples']} samples, busy "
                f"{round(100 * p['busy_share'])} % of the time):"
            )
            lines.append("")
            for label, share in p["categories"].items():
                lines.append(f"- {label}: {round(100 * share, 1)} %")
            lines.append("")
    return "\n".join(lines)


EXPERIMENT_NOTES = {
    "baseline": "no change (same as `make bench`)",
    "no-speedups": "QUIZ_RASA_SPEEDUPS=0: Rasa's own validation of action-server responses "
    "(re-checks the JSON schema on every call)",
    "no-session-restart": '"Neu starten" and a new quiz stay in the same Rasa session '
    "(bench/patches/without_session_restart.py)",
    "with-ted": "TEDPolicy back in config.yml (as before issue 4); model trained once",
    "rasa-tracker-store": "Rasa's own SQLTrackerStore (SQLite) instead of "
    "rasa_addons/tracker_store.py",
    "tf-threads-default": "TensorFlow's default thread pools instead of scripts/serving.env",
    "postgres-tracker": "PostgreSQL tracker store (endpoints.scaled.yml's) instead of SQLite, "
    "one worker",
}


def render_experiments() -> str:
    """The experiments section, from var/bench/experiments/*.json."""
    rows = []
    order = list(EXPERIMENT_NOTES)
    paths = sorted(
        EXP_DIR.glob("*.json"),
        key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem),
    )
    for path in paths:
        try:
            r = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        ours = r.get("ours", {})
        paced, sat, long = ours.get("paced", {}), ours.get("saturation", {}), ours.get("long", {})
        seq = ours.get("sequential", {})
        if paced.get("messages", 0) < 50:  # a long-conversation-only run
            paced, sat = {}, {}
        other = max(
            [
                ours.get(p, {}).get("resources", {}).get("other_load_cores", 0.0)
                for p in ("sequential", "paced", "saturation", "long")
            ]
            or [0.0]
        )
        rows.append(
            f"| {path.stem} | {EXPERIMENT_NOTES.get(path.stem, '')} | {r.get('date', '')[:16]} | "
            f"{_fmt(paced.get('cpu_ms_per_message', {}).get('rasa'))} / "
            f"{_fmt(sat.get('cpu_ms_per_message', {}).get('rasa'))} | "
            f"{_fmt(sat.get('messages_per_s'))} | {_fmt(seq.get('median_ms'))} | "
            f"{_fmt(paced.get('median_ms'))} / "
            f"{_fmt(paced.get('p95_ms'))} | "
            f"{_fmt(long.get('ratio'))} / {_fmt(long.get('rasa_cpu_ratio'))} | "
            f"{_fmt(ours.get('startup_s'))} | "
            f"{sum(ours.get(p, {}).get('error_count', 0) for p in ('paced', 'saturation'))} | "
            f"{other} |"
        )
    lines = [
        "## Experiments: one change against `make bench`, measured",
        "",
        "Run with `.venv/bin/python -m bench.experiment NAME [bench.run options]`; each row is "
        "one run (short runs, so compare CPU per message first; latency follows the load of "
        "the moment).",
        "",
    ]
    if not rows:
        return "\n".join(lines + ["None stored yet."])
    lines += [
        "| experiment | change | date | Rasa CPU ms/msg paced / saturation | msg/s saturation "
        "| sequential median ms | paced median / p95 ms "
        "| long conversation ratio latency / Rasa CPU | start-up s "
        "| errors | other load (cores) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    return "\n".join(lines)


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
