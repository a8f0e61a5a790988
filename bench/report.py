"""`make report`: NLU and recommender quality, written into docs/benchmarks.md.

    python -m bench.report [--folds 5] [--skip-cv] [--model models/quiz.tar.gz]

Contextual: every answer of tests/contextual/ typed with its question open, through the
real servers (devtools/contextual.py), stored slot vs expected value. Side questions and
endings: tests/side_questions/ at every position (devtools/side_questions.py).
NLU: `rasa test nlu` on the held-out tests/nlu/test_nlu.yml and 5-fold
cross-validation on data/nlu; entity F1 with devtools/nlu.py, the scorer of `make test`
(Rasa's own evaluation skips SpacyEntityExtractor); a confusion-matrix plot and
the 20 worst-classified examples. Recommender: tests/data/profiles.yml (profiles with
their expected variant, shared with the recommender unit test) scored by
career_quiz.recommender.score, the agreement and a plot of the score distributions.
Also refreshes the sections for `make bench` and the experiments from their stored
JSON (var/bench/).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bench import docs
from devtools import nlu as nlu_scores
from devtools import procs
from devtools.stack import ROOT, run_rasa

OUT = ROOT / "var" / "report"
PROFILES = ROOT / "tests" / "data" / "profiles.yml"
HELDOUT = "tests/nlu/test_nlu.yml"
WORST = 20
RASA_TIMEOUT_S = 3600
ENTITY_KEYS = (
    *("examples", "entities", "entity_f1", "annotated_intents"),
    *("annotated_examples", "entity_f1_annotated"),
)


def _predictions(folder: Path) -> List[Dict[str, Any]]:
    """Every example with gold and predicted intent (intent_successes + intent_errors)."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = folder / name
        for item in json.loads(path.read_text(encoding="utf-8")) if path.exists() else []:
            prediction = item.get("intent_prediction") or {}
            rows.append(
                {
                    "text": item["text"],
                    "intent": item["intent"],
                    "predicted": prediction.get("name"),
                    "confidence": round(float(prediction.get("confidence") or 0.0), 3),
                }
            )
    return rows


def _intent_summary(folder: Path) -> Dict[str, Any]:
    report = json.loads((folder / "intent_report.json").read_text(encoding="utf-8"))
    averages = ("macro avg", "weighted avg", "micro avg")
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
            for k, v in report.items()
            if isinstance(v, dict) and "f1-score" in v and k not in averages
        },
    }


def _worst(rows: List[Dict[str, Any]], n: int = WORST) -> List[Dict[str, Any]]:
    """Misclassified examples, most confident mistakes first; then the least sure hits."""
    wrong = [r for r in rows if r["predicted"] != r["intent"]]
    right = [r for r in rows if r["predicted"] == r["intent"]]
    wrong.sort(key=lambda r: -r["confidence"])
    right.sort(key=lambda r: r["confidence"])
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
    ax.imshow(np.log1p(np.where(matrix > 0, matrix, np.nan)), cmap="Blues")
    for i, j in zip(*np.nonzero(matrix)):
        color = "black" if i == j else "firebrick"
        ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=6, color=color)
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


def _rasa_test(name: str, args: List[str], title: str, commands: List[str]) -> Dict[str, Any]:
    """`rasa test nlu ARGS` into var/report/nlu-NAME; intent scores and the worst examples."""
    folder = OUT / f"nlu-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    args = ["test", "nlu", *args, "--out", str(folder.relative_to(ROOT)), "--successes"]
    args.append("--no-plot")
    started = time.monotonic()
    log = OUT / f"nlu-{name}.log"
    code = run_rasa(args, log, RASA_TIMEOUT_S)
    commands.append("rasa " + " ".join(args))
    out: Dict[str, Any] = {"exit_code": code, "seconds": round(time.monotonic() - started, 1)}
    if code != 0:
        print(f"  FAILED (exit {code}); see {log}", flush=True)
        return out
    rows = _predictions(folder)
    out.update(_intent_summary(folder), examples=len(rows), worst=_worst(rows))
    out["plot"] = _confusion_plot(rows, title, f"nlu_confusion_{name}.png")
    print(
        f"  intent accuracy {out['accuracy']:.3f}, macro-F1 {out['macro_f1']:.3f} "
        f"({out['seconds']} s)",
        flush=True,
    )
    return out


def nlu(model: str, folds: int, skip_cv: bool) -> Dict[str, Any]:
    """Held-out test, cross-validation and entity scores."""
    out: Dict[str, Any] = {"commands": []}
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"NLU: rasa test nlu on the held-out {HELDOUT} ...", flush=True)
    out["heldout"] = _rasa_test(
        "heldout",
        ["--nlu", HELDOUT, "--model", model, "--domain", "domain"],
        "Intents, held-out test set (tests/nlu/test_nlu.yml)",
        out["commands"],
    )
    print("NLU: entity F1 (devtools/nlu.py) on the held-out and the training data ...")
    scores = nlu_scores.evaluate(model, [HELDOUT, "data/nlu"])
    held, train = scores[HELDOUT], scores["data/nlu"]
    out["entities"] = {
        "heldout": {k: held[k] for k in ENTITY_KEYS},
        "training": {k: train[k] for k in ENTITY_KEYS},
        "heldout_entity_errors": held["entity_errors"][:20],
        "training_entity_errors": train["entity_errors"][:20],
    }
    out["commands"].append(f"entity F1 with devtools/nlu.py (in-process) on {HELDOUT} and data/nlu")
    print(
        f"  entity F1 held-out {held['entity_f1']:.3f} (annotated intents "
        f"{held['entity_f1_annotated']:.3f}), training data {train['entity_f1']:.3f} "
        f"(annotated intents {train['entity_f1_annotated']:.3f})",
        flush=True,
    )
    if not skip_cv:
        print(f"NLU: {folds}-fold cross-validation on data/nlu (trains {folds} NLU models) ...")
        out["cv"] = _rasa_test(
            "cv",
            [
                *("--nlu", "data/nlu", "--cross-validation", "--folds", str(folds)),
                *("--config", "config.yml", "--domain", "domain"),
            ],
            f"Intents, {folds}-fold cross-validation on data/nlu",
            out["commands"],
        )
        out["cv"]["folds"] = folds
        if out["cv"]["exit_code"] == 0:
            out["cv"]["log_summary"] = _cv_log_summary(OUT / "nlu-cv.log")
    return out


def _cv_log_summary(log: Path) -> List[str]:
    """Rasa's own "train/test ... F1: mean (std)" lines from the CV log."""
    keys = ("Intent evaluation results", "F1-score", "Accuracy", "Precision")
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.split(" - ", 1)[-1].strip() for line in lines if any(k in line for k in keys)][:24]


def recommender() -> Dict[str, Any]:
    """Scores every profile and compares the top variant with the profile's label."""
    from career_quiz.recommender import VARIANTS, rubric, score

    rows = []
    for p in yaml.safe_load(PROFILES.read_text(encoding="utf-8"))["profiles"]:
        rec = score(p["answers"])
        also_fine = p.get("also_fine") or []
        rows.append(
            {
                "id": p["id"],
                "text": p.get("text"),
                "answers": p["answers"],
                "expected": p["expected"],
                "also_fine": also_fine,
                "bot": rec.variant,
                "scores": rec.scores,
                "close": rec.close,
                "agree": rec.variant == p["expected"],
                "agree_lenient": rec.variant in [p["expected"], *also_fine],
            }
        )
    n = len(rows)
    clear = [r for r in rows if not r["also_fine"]]
    confusion = Counter((r["expected"], r["bot"]) for r in rows)
    return {
        "profiles": n,
        "written": sum(1 for r in rows if r["text"]),
        "rubric_version": rubric().version,
        "agreement": round(sum(r["agree"] for r in rows) / n, 3),
        "agreement_lenient": round(sum(r["agree_lenient"] for r in rows) / n, 3),
        "agreement_clear": round(sum(r["agree"] for r in clear) / len(clear), 3) if clear else None,
        "clear_profiles": len(clear),
        "confusion": {f"{e}->{b}": c for (e, b), c in sorted(confusion.items())},
        "rows": rows,
        "plot": _score_plot(rows, VARIANTS),
    }


def _score_plot(rows: List[Dict[str, Any]], variants) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    colors = dict(zip(variants, ("tab:blue", "tab:orange", "tab:green")))
    fig, axes = plt.subplots(1, len(variants), figsize=(11, 4), sharey=True)
    rng = np.random.default_rng(0)
    for ax, variant in zip(axes, variants):
        groups = [[r["scores"][variant] for r in rows if r["expected"] == v] for v in variants]
        ax.boxplot(groups, widths=0.5, showfliers=False)
        for i, (label, values) in enumerate(zip(variants, groups), start=1):
            xs = i + rng.uniform(-0.12, 0.12, len(values))
            ax.scatter(xs, values, s=14, alpha=0.7, color=colors[label])
        ax.set_xticks(range(1, len(variants) + 1))
        ax.set_xticklabels([docs.SHORT[v] for v in variants], rotation=20, fontsize=8)
        ax.set_title(f"score for {docs.SHORT[variant]}", fontsize=10)
        ax.set_xlabel("expected variant", fontsize=8)
        ax.grid(alpha=0.3, axis="y")
    axes[0].set_ylabel("bot's score (0-100)")
    fig.suptitle(f"Recommender scores per variant, {len(rows)} profiles")
    fig.tight_layout()
    docs.IMG.mkdir(parents=True, exist_ok=True)
    fig.savefig(docs.IMG / "recommender_scores.png", dpi=110)
    plt.close(fig)
    return "recommender_scores.png"


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


def side_questions(model: str) -> Dict[str, Any]:
    """The side-question and endings sets through the real servers
    (devtools/side_questions.py), with the untouched fresh set when it exists, and the
    figures measured before the side-question work (docs/side_questions_before.json).
    """
    from devtools.side_questions import FRESH_DIR, evaluate, summary_lines
    from devtools.stack import running_stack

    print("Side questions and endings at every position ...", flush=True)
    started = time.monotonic()
    with running_stack(OUT / "side_questions", model=ROOT / model) as stack:
        out = evaluate(stack)
        if (FRESH_DIR / "side_questions.yml").exists():
            out["fresh"] = evaluate(stack, folder=FRESH_DIR)
    out["seconds"] = round(time.monotonic() - started, 1)
    before = ROOT / "docs" / "side_questions_before.json"
    if before.exists():
        out["before"] = json.loads(before.read_text(encoding="utf-8"))
    for line in summary_lines(out):
        print("  " + line, flush=True)
    return out


def render_side(out: Dict[str, Any]) -> str:
    """The side-question section of docs/benchmarks.md."""
    return docs.render("side_questions.md.j2", sq=out)


def render(result: Dict[str, Any]) -> str:
    """The `make report` section."""
    return docs.render("report.md.j2", result=result, heldout=HELDOUT)


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
    parser.add_argument(
        "--side-questions-only",
        action="store_true",
        help="run only the side-question and endings sets and update only their section",
    )
    args = parser.parse_args(argv)
    if not (ROOT / args.model).exists():
        print(f"{args.model} is missing: run `make train` first.", file=sys.stderr)
        return 2
    if args.side_questions_only:
        out = side_questions(args.model)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "side_questions.json").write_text(json.dumps(out, ensure_ascii=False), "utf-8")
        if not args.no_docs:
            print(f"Updated {docs.update_sections({'side_questions': render_side(out)})}")
        return 0
    started = time.monotonic()
    result: Dict[str, Any] = {
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.report", *(sys.argv[1:] if argv is None else argv)]),
        "machine": procs.machine(),
    }
    rec = result["recommender"] = recommender()
    print(
        f"Recommender: {rec['profiles']} profiles, agreement {rec['agreement']:.2f} "
        f"(clear-cut {rec['agreement_clear']}, lenient {rec['agreement_lenient']:.2f})",
        flush=True,
    )
    with procs.Sampler({}, interval=2.0) as sampler:
        result["contextual"] = contextual(args.model)
        result["side_questions"] = side_questions(args.model)
        result["nlu"] = nlu(args.model, args.folds, args.skip_cv)
    result["other_load_cores"] = sampler.result.get("other_load_cores")
    result["wall_s"] = round(time.monotonic() - started, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    report = json.dumps(result, ensure_ascii=False, indent=1)
    (OUT / "report.json").write_text(report, encoding="utf-8")
    print(f"Report data: {OUT / 'report.json'}; took {result['wall_s']} s")
    if not args.no_docs:
        sections = {
            "report": render(result),
            "side_questions": render_side(result["side_questions"]),
            **docs.experiment_sections(),
        }
        bench = docs.load_json(ROOT / "var" / "bench" / "bench.json")
        if bench and bench.get("label") == "make bench":
            sections["bench"] = docs.render_bench(bench)
        print(f"Updated {docs.update_sections(sections)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
