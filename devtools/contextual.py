"""Plays the contextual test set through the running servers and scores the stored slots.

tests/contextual/*.yml hold answers written by someone who never saw the
training data, each with the canonical value the bot should store. Every item
gets a new conversation: the quiz is started and earlier questions are answered
with buttons until the item's question is open; then the item is sent as
typed text, and the slot stored in Rasa's tracker is compared with the expected
value (exact match; lists compare as sets, since their order is canonical).

Used by tests/integration/test_contextual.py (the gate in `make test`) and, through the
JSON it writes, by `make report`.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTEXTUAL_DIR = ROOT / "tests" / "contextual"
# A second set by another helper, kept untouched: never read to tune the bot.
FRESH_DIR = ROOT / "tests" / "contextual_fresh"
SLOTS = ("training", "languages", "task_preference")
# Button payloads that answer the questions before the one under test.
PREFIX = {
    "training": ["/start_quiz"],
    "languages": ["/start_quiz", '/inform{"training": ["office"]}'],
    "task_preference": [
        "/start_quiz",
        '/inform{"training": ["office"]}',
        '/inform{"languages": []}',
    ],
}


@dataclass
class Outcome:
    """One played item."""

    slot: str
    text: str
    expected: Any
    stored: Any
    correct: bool
    reply: str


def load_items(folder: Path = CONTEXTUAL_DIR) -> Dict[str, List[Dict[str, Any]]]:
    """Slot -> items of <folder>/<slot>.yml."""
    items = {}
    for slot in SLOTS:
        data = yaml.safe_load((folder / f"{slot}.yml").read_text(encoding="utf-8"))
        assert data["slot"] == slot, f"{slot}.yml names slot {data['slot']!r}"
        items[slot] = data["items"]
    return items


def same(slot: str, expected: Any, stored: Any) -> bool:
    """Exact match; lists as sets (their order is canonical, duplicates are not allowed)."""
    if slot == "task_preference":
        return stored == expected
    return isinstance(stored, list) and sorted(stored) == sorted(expected)


def play(stack, slot: str, item: Dict[str, Any]) -> Outcome:
    """Opens `slot`'s question in a new conversation, sends the item, reads the slot."""
    sender = f"ctx-{uuid.uuid4().hex[:12]}"
    for message in PREFIX[slot]:
        stack.send(sender, message)
    replies = stack.send(sender, item["text"])
    stored = stack.tracker(sender)["slots"].get(slot)
    reply = " | ".join(r.get("text", "") for r in replies)
    return Outcome(
        slot, item["text"], item["expected"], stored, same(slot, item["expected"], stored), reply
    )


def evaluate(stack, workers: int = 3, folder: Path = CONTEXTUAL_DIR) -> Dict[str, Any]:
    """Plays every item of `folder`; returns per-slot accuracy and the failures."""
    items = load_items(folder)
    jobs = [(slot, item) for slot in SLOTS for item in items[slot]]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda job: play(stack, *job), jobs))
    report: Dict[str, Any] = {"slots": {}, "failures": []}
    for slot in SLOTS:
        mine = [o for o in outcomes if o.slot == slot]
        correct = sum(o.correct for o in mine)
        report["slots"][slot] = {
            "items": len(mine),
            "correct": correct,
            "accuracy": round(correct / len(mine), 4),
        }
    report["failures"] = [asdict(o) for o in outcomes if not o.correct]
    return report


def write_report(report: Dict[str, Any], path: Path) -> None:
    """Writes the report as JSON (read by `make report`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def summary_lines(report: Dict[str, Any]) -> List[str]:
    """One line per slot: accuracy and counts."""
    return [
        f"{slot:<16} {r['accuracy']:.1%}  ({r['correct']}/{r['items']})"
        for slot, r in report["slots"].items()
    ]
