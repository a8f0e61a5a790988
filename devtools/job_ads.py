"""Plays the held-out job ads through the running servers and scores the contract slots.

tests/job_ads/ads.yml (and the untouched second set tests/job_ads_fresh/) hold ads
written by someone who never saw the training data, each labelled with the variant,
the requirements and fit cases (quiz answers and the expected fit). Every ad is pasted
into a new conversation and the slots `ad_variant` and `ad_requirements` are read from
Rasa's tracker; every fit case gets its own conversation in which the quiz is answered
with button payloads first (`/inform{"training": [...]}`), then the ad is pasted and
`ad_fit` is read.

Used by tests/integration/test_job_ad_live.py (the gate in `make test`); run by hand
with `python -m devtools.job_ads [folder]` (starts its own servers).
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
ADS_DIR = ROOT / "tests" / "job_ads"
# A second set by the same helper; its misses were read to tune the bot on 2026-12-03.
FRESH_DIR = ROOT / "tests" / "job_ads_fresh"
# The third set; tuned on since the second session of 2026-12-03.
FRESH2_DIR = ROOT / "tests" / "job_ads_fresh2"
# The fourth set, untouched: only its figures are reported (devtools/untouched.py).
FRESH3_DIR = ROOT / "tests" / "job_ads_fresh3"
FRESH4_DIR = ROOT / "tests" / "job_ads_fresh4"
FRESH5_DIR = ROOT / "tests" / "job_ads_fresh5"
FIELDS = ("variant", "training", "degree_required", "languages", "fit")
QUIZ_ORDER = ("training", "languages", "task_preference")


def load_ads(folder: Path = ADS_DIR) -> List[Dict[str, Any]]:
    """The ads of `folder`/ads.yml (its `items`)."""
    path = folder / "ads.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ads: List[Dict[str, Any]] = list(data["items"])
    for i, item in enumerate(ads):
        item.setdefault("id", f"{folder.name}-{i + 1}")
    return ads


def _sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _slots(stack, sender: str) -> Dict[str, Any]:
    return stack.tracker(sender)["slots"]


def quiz_payloads(answers: Dict[str, Any]) -> List[str]:
    """The button payloads that answer the quiz with `answers` (a missing one is skipped)."""
    payloads = ["/start_quiz"]
    for slot in QUIZ_ORDER:
        if slot in answers and answers[slot] is not None:
            entity = json.dumps({slot: answers[slot]}, ensure_ascii=False)
            payloads.append(f"/inform{entity}")
        else:
            payloads.append('/inform{"skip": true}')
    return payloads


def play_ad(stack, ad: Dict[str, Any]) -> Dict[str, Any]:
    """Pastes the ad in a new conversation; returns the slots and the check per field."""
    sender = _sender("ad")
    started = time.perf_counter()
    replies = stack.send(sender, ad["text"], timeout=60)
    seconds = time.perf_counter() - started
    slots = _slots(stack, sender)
    got = slots.get("ad_requirements") or {}
    expected = ad.get("requirements") or {}
    checks = {
        "variant": slots.get("ad_variant") == ad["variant"],
        "training": isinstance(got.get("training"), list)
        and sorted(got["training"]) == sorted(expected.get("training") or []),
        "degree_required": got.get("degree_required") is bool(expected.get("degree_required")),
        "languages": isinstance(got.get("languages"), list)
        and sorted(got["languages"]) == sorted(expected.get("languages") or []),
    }
    return {
        "id": ad["id"],
        "checks": checks,
        "got": {"variant": slots.get("ad_variant"), "requirements": got},
        "expected": {"variant": ad["variant"], "requirements": expected},
        "seconds": round(seconds, 3),
        "reply": " | ".join(r.get("text", "") for r in replies),
    }


def play_fit(stack, ad: Dict[str, Any], case: Dict[str, Any]) -> Dict[str, Any]:
    """Answers the quiz with the case's answers, pastes the ad, reads `ad_fit`."""
    sender = _sender("fit")
    for payload in quiz_payloads(case.get("answers") or {}):
        stack.send(sender, payload)
    stack.send(sender, ad["text"], timeout=60)
    fit = _slots(stack, sender).get("ad_fit")
    return {
        "id": ad["id"],
        "answers": case.get("answers"),
        "expected": case.get("fit"),
        "got": fit,
        "correct": fit == case.get("fit"),
    }


def evaluate(stack, folder: Path = ADS_DIR, workers: int = 3) -> Dict[str, Any]:
    """Plays every ad and fit case of `folder`; accuracy per field, failures, timings."""
    ads = load_ads(folder)
    fit_jobs: List[Tuple[Dict[str, Any], Dict[str, Any]]] = [
        (ad, case) for ad in ads for case in ad.get("fit_cases") or []
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        ad_results = list(pool.map(lambda ad: play_ad(stack, ad), ads))
        fit_results = list(pool.map(lambda job: play_fit(stack, *job), fit_jobs))
    report: Dict[str, Any] = {"fields": {}, "failures": [], "fit_failures": []}
    for name in FIELDS[:-1]:
        correct = sum(r["checks"][name] for r in ad_results)
        report["fields"][name] = _accuracy(correct, len(ad_results))
    report["fields"]["fit"] = _accuracy(sum(r["correct"] for r in fit_results), len(fit_results))
    report["failures"] = [r for r in ad_results if not all(r["checks"].values())]
    report["fit_failures"] = [r for r in fit_results if not r["correct"]]
    seconds = sorted(r["seconds"] for r in ad_results)
    if seconds:
        report["ad_seconds"] = {
            "median": seconds[len(seconds) // 2],
            "max": seconds[-1],
        }
    return report


def _accuracy(correct: int, items: int) -> Dict[str, Any]:
    return {
        "items": items,
        "correct": correct,
        "accuracy": round(correct / items, 4) if items else 0.0,
    }


def write_report(report: Dict[str, Any], path: Path) -> None:
    """Writes the report as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def summary_lines(report: Dict[str, Any]) -> List[str]:
    """One line per field: accuracy and counts; then the timings."""
    lines = [
        f"{name:<16} {r['accuracy']:.1%}  ({r['correct']}/{r['items']})"
        for name, r in report["fields"].items()
    ]
    if "ad_seconds" in report:
        t = report["ad_seconds"]
        lines.append(f"one ad check     median {t['median']:.2f} s, max {t['max']:.2f} s")
    return lines


def main(argv: List[str]) -> int:
    """Starts the servers, plays one folder, prints the summary and every miss."""
    import tempfile

    from devtools.stack import running_stack

    folder = Path(argv[0]) if argv else ADS_DIR
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp)) as stack:
        report = evaluate(stack, folder)
    for line in summary_lines(report):
        print(line)
    for miss in report["failures"]:
        wrong = [k for k, ok in miss["checks"].items() if not ok]
        print(f"MISS {miss['id']} {wrong}: got {miss['got']} expected {miss['expected']}")
    for miss in report["fit_failures"]:
        print(
            f"MISS fit {miss['id']} {miss['answers']}: "
            f"got {miss['got']} expected {miss['expected']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
