"""`make report`: NLU and recommender quality, written into docs/benchmarks.md.

    python -m bench.report [--folds 5] [--skip-cv] [--model models/quiz.tar.gz]

Contextual: every answer of tests/contextual/ typed with its question open, through the
real servers (devtools/contextual.py), stored slot vs expected value.
NLU: `rasa test nlu` on the held-out tests/nlu/test_nlu.yml and 5-fold
cross-validation on data/nlu; entity F1 the way scripts/nlu_eval.py computes it
(Rasa's own evaluation skips SpacyEntityExtractor); a confusion-matrix plot and
the 20 worst-classified examples. Recommender: bench/profiles.yml (written
profiles with an expert's label) scored by career_quiz.recommender.score, the
agreement and a plot of the score distributions. Also refreshes the sections for
`make bench` and the experiments from their stored JSON (var/bench/).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bench import docs
from devtools import procs
from devtools.stack import BIN, ROOT

OUT = ROOT / "var" / "report"
PROFILES = ROOT / "tests" / "data" / "profiles.yml"
HELDOUT = "tests/nlu/test_nlu.yml"
WORST = 20
RASA_TIMEOUT_S = 3600


def _nlu_eval_module():
    """scripts/nlu_eval.py, imported by path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("nlu_eval", ROOT / "scripts" / "nlu_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _rasa(args: List[str], log: Path) -> Tuple[int, float, str]:
    """Runs a rasa command from the repository root; (exit code, seconds, command)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    started = time.monotonic()
    with open(log, "w") as handle:
        code = subprocess.run(
            [str(BIN / "rasa"), *args],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=RASA_TIMEOUT_S,
        ).returncode
    return code, round(time.monotonic() - started, 1), "rasa " + " ".join(args)


def _predictions(folder: Path) -> List[Dict[str, Any]]:
    """Every example with gold and predicted intent (intent_successes + intent_errors)."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = folder / name
        if path.exists():
            for item in json.loads(path.read_text(encoding="utf-8")):
                rows.append(
                    {
                        "text": item["text"],
                        "intent": item["intent"],
                        "predicted": (item.get("intent_prediction") or {}).get("name"),
                        "confidence": round(
                            float((item.get("intent_prediction") or {}).get("confidence") or 0.0), 3
                        ),
                    }
                )
    return rows


def _intent_summary(folder: Path) -> Dict[str, Any]:
    report = json.loads((folder / "intent_report.json").read_text(encoding="utf-8"))
    per_intent = {
        k: v
        for k, v in report.items()
        if isinstance(v, dict)
        and "f1-score" in v
        and k not in ("macro avg", "weighted avg", "micro avg")
    }
    return {
        "accuracy": report.get("accuracy"),
        "macro_f1": report.get("macro avg", {}).get("f1-score"),
        "weighted_f1": report.get("weighted avg", {}).get("f1-score"),
        "per_intent": {
            k: {
                "f1": round(v["f1-score"], 3),
                "precision": round(v["precision"], 3),
                "recall": round(v["recall"], 3),
                "support": v["support"],
            }
            for k, v in per_intent.items()
        },
    }


def _worst(rows: List[Dict[str, Any]], n: int = WORST) -> List[Dict[str, Any]]:
    """Misclassified examples, most confident mistakes first; then the least sure hits."""
    wrong = sorted(
        (r for r in rows if r["predicted"] != r["intent"]), key=lambda r: -r["confidence"]
    )
    right = sorted(
        (r for r in rows if r["predicted"] == r["intent"]), key=lambda r: r["confidence"]
    )
    return (wrong + right)[:n]


def _confusion_plot(rows: List[Dict[str, Any]], title: str, filename: str) -> Optional[str]:
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = sorted({r["intent"] for r in rows} | {r["predicted"] or "None" for r in rows})
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for r in rows:
        matrix[index[r["intent"]], index[r["predicted"] or "None"]] += 1
    size = max(6.0, 0.32 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    shown = np.where(matrix > 0, matrix, np.nan)
    ax.imshow(np.log1p(shown), cmap="Blues")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(
                    j,
                    i,
                    str(matrix[i, j]),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="black" if i == j else "firebrick",
                )
    ax.set_xticks(range(len(labels)))
    ax.set_yticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=90, fontsize=7)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("gold intent")
    ax.set_title(title)
    fig.tight_layout()
    docs.IMG.mkdir(parents=True, exist_ok=True)
    fig.savefig(docs.IMG / filename, dpi=110)
    plt.close(fig)
    return filename


def _entity_scores(model: str, files: List[str]) -> Dict[str, Dict[str, Any]]:
    """Entity F1 of SpacyEntityExtractor with scripts/nlu_eval.py's method and functions.

    Exact (label, start, end) matches, micro-averaged, as in `make test`. Only some
    intents carry entity annotations (the answers, `inform`); entities the ruler
    finds in other examples (e.g. a level word in a question) count as false
    positives there, so the score is also given for the annotated intents alone.
    The model is loaded once for all files.
    """
    import logging

    nlu_eval = _nlu_eval_module()
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    try:
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)
    except ImportError:
        pass
    logging.getLogger("rasa").setLevel(logging.WARNING)
    agent = Agent.load(model)

    async def score(nlu_file: str) -> Dict[str, Any]:
        data = load_data(nlu_file)
        examples = data.intent_examples
        annotated = {e.get("intent") for e in examples if e.get("entities")}
        counts = {"all": [0, 0, 0], "annotated": [0, 0, 0]}
        errors = []
        for example in examples:
            text = example.get("text")
            gold = {(e["entity"], e["start"], e["end"]) for e in example.get("entities", [])}
            result = await agent.parse_message(text)
            predicted = {
                (e["entity"], e["start"], e["end"])
                for e in result["entities"]
                if e.get("extractor") == nlu_eval.ENTITY_EXTRACTOR
            }
            delta = (len(gold & predicted), len(predicted - gold), len(gold - predicted))
            keys = ["all"] + (["annotated"] if example.get("intent") in annotated else [])
            for key in keys:
                counts[key] = [a + b for a, b in zip(counts[key], delta)]
            if predicted != gold and example.get("intent") in annotated:
                errors.append(
                    {
                        "text": text,
                        "intent": example.get("intent"),
                        "missed_entities": sorted(gold - predicted),
                        "extra_entities": sorted(predicted - gold),
                    }
                )
        return {
            "examples": len(examples),
            "entities": counts["all"][0] + counts["all"][2],
            "entity_f1": nlu_eval.f1(*counts["all"]),
            "annotated_intents": sorted(annotated),
            "annotated_examples": sum(1 for e in examples if e.get("intent") in annotated),
            "entity_f1_annotated": nlu_eval.f1(*counts["annotated"]),
            "errors": errors,
        }

    return {f: asyncio.run(score(f)) for f in files}


def nlu(model: str, folds: int, skip_cv: bool) -> Dict[str, Any]:
    """Held-out test, cross-validation and entity scores."""
    out: Dict[str, Any] = {"commands": []}
    OUT.mkdir(parents=True, exist_ok=True)
    heldout_dir = OUT / "nlu-heldout"
    shutil.rmtree(heldout_dir, ignore_errors=True)
    print(f"NLU: rasa test nlu on the held-out {HELDOUT} ...", flush=True)
    code, seconds, command = _rasa(
        [
            "test",
            "nlu",
            "--nlu",
            HELDOUT,
            "--model",
            model,
            "--domain",
            "domain",
            "--out",
            str(heldout_dir.relative_to(ROOT)),
            "--successes",
            "--no-plot",
        ],
        OUT / "nlu-heldout.log",
    )
    out["commands"].append(command)
    out["heldout"] = {"exit_code": code, "seconds": seconds}
    if code == 0:
        out["heldout"].update(_intent_summary(heldout_dir))
        rows = _predictions(heldout_dir)
        out["heldout"]["examples"] = len(rows)
        out["heldout"]["worst"] = _worst(rows)
        out["heldout"]["plot"] = _confusion_plot(
            rows, "Intents, held-out test set (tests/nlu/test_nlu.yml)", "nlu_confusion_heldout.png"
        )
        print(
            f"  intent accuracy {out['heldout']['accuracy']:.3f}, macro-F1 "
            f"{out['heldout']['macro_f1']:.3f} ({seconds} s)",
            flush=True,
        )
    else:
        print(f"  FAILED (exit {code}); see {OUT / 'nlu-heldout.log'}", flush=True)

    print(
        "NLU: entity F1 (SpacyEntityExtractor, as scripts/nlu_eval.py) on the held-out and "
        "the training data ...",
        flush=True,
    )
    scores = _entity_scores(model, [HELDOUT, "data/nlu"])
    keep = (
        "examples",
        "entities",
        "entity_f1",
        "annotated_intents",
        "annotated_examples",
        "entity_f1_annotated",
    )
    out["entities"] = {
        "heldout": {k: scores[HELDOUT][k] for k in keep},
        "training": {k: scores["data/nlu"][k] for k in keep},
        "heldout_entity_errors": scores[HELDOUT]["errors"][:20],
        "training_entity_errors": scores["data/nlu"]["errors"][:20],
    }
    out["commands"].append(
        f"entity F1 as in scripts/nlu_eval.py (its functions, in-process) on {HELDOUT} and data/nlu"
    )
    e = out["entities"]
    print(
        f"  entity F1 held-out {e['heldout']['entity_f1']:.3f} (annotated intents "
        f"{e['heldout']['entity_f1_annotated']:.3f}), training data "
        f"{e['training']['entity_f1']:.3f} (annotated intents "
        f"{e['training']['entity_f1_annotated']:.3f})",
        flush=True,
    )

    if not skip_cv:
        cv_dir = OUT / "nlu-cv"
        shutil.rmtree(cv_dir, ignore_errors=True)
        print(
            f"NLU: {folds}-fold cross-validation on data/nlu (trains {folds} NLU models) ...",
            flush=True,
        )
        code, seconds, command = _rasa(
            [
                "test",
                "nlu",
                "--nlu",
                "data/nlu",
                "--cross-validation",
                "--folds",
                str(folds),
                "--config",
                "config.yml",
                "--domain",
                "domain",
                "--out",
                str(cv_dir.relative_to(ROOT)),
                "--successes",
                "--no-plot",
            ],
            OUT / "nlu-cv.log",
        )
        out["commands"].append(command)
        out["cv"] = {"exit_code": code, "seconds": seconds, "folds": folds}
        if code == 0:
            out["cv"].update(_intent_summary(cv_dir))
            rows = _predictions(cv_dir)
            out["cv"]["examples"] = len(rows)
            out["cv"]["worst"] = _worst(rows)
            out["cv"]["plot"] = _confusion_plot(
                rows, f"Intents, {folds}-fold cross-validation on data/nlu", "nlu_confusion_cv.png"
            )
            out["cv"]["log_summary"] = _cv_log_summary(OUT / "nlu-cv.log")
            print(
                f"  intent accuracy {out['cv']['accuracy']:.3f}, macro-F1 "
                f"{out['cv']['macro_f1']:.3f} ({seconds} s)",
                flush=True,
            )
        else:
            print(f"  FAILED (exit {code}); see {OUT / 'nlu-cv.log'}", flush=True)
    return out


def _cv_log_summary(log: Path) -> List[str]:
    """Rasa's own "train/test ... F1: mean (std)" lines from the CV log."""
    keep = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if (
            "Intent evaluation results" in line
            or "F1-score" in line
            or "Accuracy" in line
            or "Precision" in line
        ) and len(keep) < 24:
            keep.append(line.split(" - ", 1)[-1].strip())
    return keep


def recommender() -> Dict[str, Any]:
    """Scores every written profile and compares the top variant with the expert's label."""
    from career_quiz.recommender import VARIANTS, rubric, score

    data = yaml.safe_load(PROFILES.read_text(encoding="utf-8"))
    rows = []
    for p in data["profiles"]:
        rec = score(p["answers"])
        acceptable = [p["expected"]] + list(p.get("also_fine") or [])
        rows.append(
            {
                "id": p["id"],
                "text": p.get("text") or "–",
                "answers": p["answers"],
                "expert": p["expected"],
                "also_fine": p.get("also_fine") or [],
                "bot": rec.variant,
                "scores": rec.scores,
                "close": rec.close,
                "agree": rec.variant == p["expected"],
                "agree_lenient": rec.variant in acceptable,
            }
        )
    n = len(rows)
    confusion = Counter((r["expert"], r["bot"]) for r in rows)
    plot = _score_plot(rows, VARIANTS)
    return {
        "profiles": n,
        "rubric_version": rubric().version,
        "agreement": round(sum(r["agree"] for r in rows) / n, 3),
        "agreement_lenient": round(sum(r["agree_lenient"] for r in rows) / n, 3),
        "agreement_clear": _share([r for r in rows if not r["also_fine"]]),
        "clear_profiles": sum(1 for r in rows if not r["also_fine"]),
        "confusion": {f"{e}->{b}": c for (e, b), c in sorted(confusion.items())},
        "rows": rows,
        "plot": plot,
    }


def _share(rows: List[Dict[str, Any]]) -> Optional[float]:
    return round(sum(r["agree"] for r in rows) / len(rows), 3) if rows else None


def _score_plot(rows: List[Dict[str, Any]], variants) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    short = {
        "secretarial": "Sekretariat",
        "specialist": "Fach-Backoffice",
        "project_management": "Projektassistenz",
    }
    colors = {
        "secretarial": "tab:blue",
        "specialist": "tab:orange",
        "project_management": "tab:green",
    }
    fig, axes = plt.subplots(1, len(variants), figsize=(11, 4), sharey=True)
    rng = np.random.default_rng(0)
    for ax, variant in zip(axes, variants):
        groups = [
            [r["scores"][variant] for r in rows if r["expert"] == label] for label in variants
        ]
        ax.boxplot(groups, widths=0.5, showfliers=False)
        for i, (label, values) in enumerate(zip(variants, groups), start=1):
            xs = i + rng.uniform(-0.12, 0.12, len(values))
            ax.scatter(xs, values, s=14, alpha=0.7, color=colors[label])
        ax.set_xticks(range(1, len(variants) + 1))
        ax.set_xticklabels([short[v] for v in variants], rotation=20, fontsize=8)
        ax.set_title(f"score for {short[variant]}", fontsize=10)
        ax.set_xlabel("expert's label", fontsize=8)
        ax.grid(alpha=0.3, axis="y")
    axes[0].set_ylabel("bot's score (0-100)")
    fig.suptitle(f"Recommender scores per variant, {len(rows)} written profiles")
    fig.tight_layout()
    docs.IMG.mkdir(parents=True, exist_ok=True)
    fig.savefig(docs.IMG / "recommender_scores.png", dpi=110)
    plt.close(fig)
    return "recommender_scores.png"


def _answers_cell(answers: Dict[str, Any]) -> str:
    training = ", ".join(answers.get("training") or []) or "–"
    languages = ", ".join(answers.get("languages") or []) or "German only"
    return f"{training}; {languages}; {answers.get('task_preference')}"


def contextual(model: str) -> Dict[str, Any]:
    """The contextual test set played through the real servers (devtools/contextual.py)."""
    from devtools.contextual import FRESH_DIR, evaluate, summary_lines
    from devtools.stack import running_stack

    print(
        "Contextual: every answer of tests/contextual/ and tests/contextual_fresh/ with its "
        "question open ...",
        flush=True,
    )
    started = time.monotonic()
    with running_stack(OUT / "contextual", model=ROOT / model) as stack:
        out = evaluate(stack)
        out["fresh"] = evaluate(stack, folder=FRESH_DIR)
    out["seconds"] = round(time.monotonic() - started, 1)
    for line in summary_lines(out) + ["fresh set:"] + summary_lines(out["fresh"]):
        print("  " + line, flush=True)
    return out


def _contextual_lines(ctx: Dict[str, Any]) -> List[str]:
    lines = [
        "### Answers in the quiz's context",
        "",
        "Each answer of `tests/contextual/` (written by a helper who never saw the training "
        "data; never trained on; the misses of its first run on 2026-12-01 guided general "
        "parser fixes, so it now works as a development set) is typed into a new "
        "conversation with its question open, "
        "through the real Rasa and action servers; the slot stored in the tracker is compared "
        f"with the expected canonical value (exact match). Run time {ctx['seconds']} s. "
        "`make test` fails below 95 % for any slot.",
        "",
        "| question | answers | exact match |",
        "|---|---|---|",
    ]
    for slot, r in ctx["slots"].items():
        lines.append(
            f"| `{slot}` | {r['items']} | **{100 * r['accuracy']:.1f} %** "
            f"({r['correct']}/{r['items']}) |"
        )
    fresh = ctx.get("fresh")
    if fresh:
        lines += [
            "",
            "`tests/contextual_fresh/`, a second set by another helper that was never "
            "read to tune the bot:",
            "",
            "| question | answers | exact match |",
            "|---|---|---|",
        ]
        for slot, r in fresh["slots"].items():
            lines.append(
                f"| `{slot}` | {r['items']} | **{100 * r['accuracy']:.1f} %** "
                f"({r['correct']}/{r['items']}) |"
            )
    if ctx["failures"]:
        lines += [
            "",
            f"The {len(ctx['failures'])} answers stored wrongly:",
            "",
            "| question | answer | stored | expected |",
            "|---|---|---|---|",
        ]
        for f in ctx["failures"]:
            text = f["text"].replace("|", "\\|")
            lines.append(f"| `{f['slot']}` | {text} | `{f['stored']}` | `{f['expected']}` |")
    return lines


def render(result: Dict[str, Any]) -> str:
    """The `make report` section."""
    n = result["nlu"]
    lines = [
        "## Quality (`make report`)",
        "",
        f"- Date: {result['date']}; report took {result['wall_s']} s",
        f"- Machine: {docs.machine_line(result['machine'])}",
        f"- Command: `make report` = `{result['command']}`, which ran:",
        *[f"  - `{c}`" for c in n["commands"]],
        f"- Other load: processes outside the report used {result.get('other_load_cores')} "
        "cores on average while it ran (affects only the run time here, not the scores).",
        "",
        *(_contextual_lines(result["contextual"]) if result.get("contextual") else []),
        "",
        "### NLU",
        "",
        "| data | examples | intent accuracy | intent macro-F1 | intent weighted F1 "
        "| entity F1, all examples | entity F1, annotated intents |",
        "|---|---|---|---|---|---|---|",
    ]
    ent = n.get("entities", {})
    h = n.get("heldout", {})
    eh, et = ent.get("heldout", {}), ent.get("training", {})
    if h.get("accuracy") is not None:
        lines.append(
            f"| held-out `{HELDOUT}` (`rasa test nlu`) | {h['examples']} | "
            f"{h['accuracy']:.3f} | {h['macro_f1']:.3f} | {h['weighted_f1']:.3f} | "
            f"{eh['entity_f1']:.3f} ({eh['entities']} entities) | "
            f"{eh['entity_f1_annotated']:.3f} ({eh['annotated_examples']} examples) |"
        )
    cv = n.get("cv", {})
    if cv.get("accuracy") is not None:
        lines.append(
            f"| {cv['folds']}-fold cross-validation on `data/nlu` (test folds) | "
            f"{cv['examples']} | {cv['accuracy']:.3f} | {cv['macro_f1']:.3f} | "
            f"{cv['weighted_f1']:.3f} | {et['entity_f1']:.3f} "
            f"({et['entities']} entities)¹ | {et['entity_f1_annotated']:.3f} "
            f"({et['annotated_examples']} examples)¹ |"
        )
    elif cv:
        lines.append(f"| cross-validation | failed (exit {cv.get('exit_code')}) | | | | | |")
    lines += [
        "",
        "Entity F1 counts exact label and span of the SpacyEntityExtractor's entities, "
        "micro-averaged (scripts/nlu_eval.py's method and functions; Rasa's own report skips "
        "that extractor). Only the intents "
        f"{', '.join(eh.get('annotated_intents') or et.get('annotated_intents') or [])} carry "
        "entity annotations; entities the ruler finds elsewhere (a level word in a question, "
        'say) count as false positives in the "all examples" column. '
        "¹ The extractor is the entity ruler built from data/knowledge/lexicon.yml and is not "
        "trained, so cross-validation folds cannot change it: the figure is the ruler on all "
        f"{et.get('examples', '–')} training examples.",
    ]
    for key, title in (("heldout", "held-out test set"), ("cv", "cross-validation")):
        part = n.get(key, {})
        if part.get("plot"):
            lines += ["", f"![Intent confusion matrix, {title}](img/{part['plot']})"]
    for key, title in (("heldout", "held-out test set"), ("cv", "cross-validation test folds")):
        part = n.get(key, {})
        per = part.get("per_intent")
        if not per:
            continue
        weakest = sorted(per.items(), key=lambda kv: kv[1]["f1"])[:8]
        lines += [
            "",
            f"Weakest intents ({title}): "
            + ", ".join(f"{k} {v['f1']:.2f} (n={v['support']})" for k, v in weakest)
            + ".",
        ]
    for key, title in (("heldout", "held-out test set"), ("cv", "cross-validation")):
        part = n.get(key, {})
        if not part.get("worst"):
            continue
        wrong = sum(1 for r in part["worst"] if r["predicted"] != r["intent"])
        lines += [
            "",
            f"#### The {len(part['worst'])} worst-classified examples, {title}",
            "",
            f"Misclassified first (most confident mistakes first; {wrong} shown), then "
            "correct ones with the lowest confidence.",
            "",
            "| text | gold | predicted | confidence |",
            "|---|---|---|---|",
        ]
        for r in part["worst"]:
            mark = "" if r["predicted"] == r["intent"] else " ✗"
            text = r["text"].replace("|", "\\|")
            lines.append(f"| {text} | {r['intent']} | {r['predicted']}{mark} | {r['confidence']} |")
    for key, title in (
        ("heldout_entity_errors", "held-out"),
        ("training_entity_errors", "training data"),
    ):
        errs = ent.get(key)
        if errs:
            lines += [
                "",
                f"Entity errors in annotated examples, {title} (first {len(errs)}; "
                "label, start, end):",
                "",
            ]
            for e in errs:
                lines.append(
                    f"- {e['text']!r}: missed {e['missed_entities']}, extra {e['extra_entities']}"
                )
    rec = result["recommender"]
    lines += [
        "",
        "### Recommender",
        "",
        f"{rec['profiles']} profiles (`tests/data/profiles.yml`; T01-T06 from the unit test, "
        "without text): a German self-description, "
        "its canonical answers, and the variant a careers expert would recommend from the facts "
        "in the domain brief (labels written from the facts, not from the bot). "
        f"Scores from `career_quiz.recommender.score` with rubric {rec['rubric_version']}.",
        "",
        f"- Agreement (bot's top variant = expert's label): **{round(100 * rec['agreement'])} %** "
        f"({sum(r['agree'] for r in rec['rows'])}/{rec['profiles']})",
        f"- On the {rec['clear_profiles']} clear-cut profiles: "
        f"{round(100 * (rec['agreement_clear'] or 0))} %",
        f"- Lenient (the bot picks a variant the expert also accepts for a borderline profile): "
        f"{round(100 * rec['agreement_lenient'])} %",
        "- Expert → bot: "
        + ", ".join(f"{k.replace('->', ' → ')} {v}" for k, v in rec["confusion"].items()),
        "",
        f"![Score distributions per variant](img/{rec['plot']})",
        "",
        "| id | profile | answers (training; languages; task) | expert | bot | scores S / F / P "
        "| |",
        "|---|---|---|---|---|---|---|",
    ]
    short = {
        "secretarial": "Sekretariat",
        "specialist": "Fach-Backoffice",
        "project_management": "Projektassistenz",
    }
    for r in rec["rows"]:
        s = r["scores"]
        expert = short[r["expert"]] + (
            " (also " + ", ".join(short[v] for v in r["also_fine"]) + ")" if r["also_fine"] else ""
        )
        status = "✓" if r["agree"] else ("≈" if r["agree_lenient"] else "✗")
        lines.append(
            f"| {r['id']} | {r['text']} | {_answers_cell(r['answers'])} | {expert} | "
            f"{short[r['bot']]}{' (close)' if r['close'] else ''} | "
            f"{s['secretarial']} / {s['specialist']} / {s['project_management']} | "
            f"{status} |"
        )
    lines += [
        "",
        "✓ agrees, ≈ acceptable alternative, ✗ disagrees. S = Sekretariat, "
        "F = Fach-Backoffice, P = Projektassistenz.",
    ]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the evaluation and writes docs/benchmarks.md."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", default="models/quiz.tar.gz")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    if not (ROOT / args.model).exists():
        print(f"{args.model} is missing: run `make train` first.", file=sys.stderr)
        return 2
    started = time.monotonic()
    result: Dict[str, Any] = {
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.report", *(sys.argv[1:] if argv is None else argv)]),
        "machine": procs.machine(),
    }
    result["recommender"] = recommender()
    rec = result["recommender"]
    print(
        f"Recommender: {rec['profiles']} profiles, agreement {rec['agreement']:.2f} "
        f"(clear-cut {rec['agreement_clear']}, lenient {rec['agreement_lenient']:.2f})",
        flush=True,
    )
    with procs.Sampler({}, interval=2.0) as sampler:
        result["contextual"] = contextual(args.model)
        result["nlu"] = nlu(args.model, args.folds, args.skip_cv)
    result["other_load_cores"] = sampler.result.get("other_load_cores")
    result["wall_s"] = round(time.monotonic() - started, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(f"Report data: {OUT / 'report.json'}; took {result['wall_s']} s")
    if not args.no_docs:
        sections = {"report": render(result), **docs.experiment_sections()}
        bench = docs.load_json(ROOT / "var" / "bench" / "bench.json")
        if bench and bench.get("label") == "make bench":
            sections["bench"] = docs.render_bench(bench)
        path = docs.update_sections(sections)
        print(f"Updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
