"""Plays the side-question and endings sets through the running servers and scores them.

tests/side_questions/ holds messages written by a helper who never saw the training
data: questions besides the quiz (`side_questions.yml`, each with a topic, the position
where it is asked, the answer it also gives or null, and the facts a right reply must
contain) and endings (`endings.yml`: thanks, goodbye, summary and e-mail requests).

Every item gets a new conversation. The position is opened with button payloads, as
devtools/contextual.py does (`before`: the widget's greeting only; `after`: the whole
quiz answered with buttons first); then the item is sent as typed text and the replies
and the tracker are read.

* on topic: every `must_contain` group (a list of alternatives) has one alternative in
  the bot's replies (case-insensitive);
* state intact: the quiz slots are as before, except the open slot, which holds the
  item's `answer` when it gives one; the same question is open next (`requested_slot`),
  or the next one when the item answered it; before and after the quiz no question is
  opened or closed and the result stays;
* ending answered: the bot replied with a response of the expected kind (the response
  names Rasa records in the tracker's bot events, `metadata.utter_action`, see ENDINGS).

Used by tests/integration/test_side_questions_live.py (the gate) and `make report`.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
SIDE_DIR = ROOT / "tests" / "side_questions"
# Sets in fresh wording. All but the newest are tuning sets now (their misses read):
# fresh since issue 16's second round, fresh2 to fresh5 since the second to fifth
# sessions of 2026-12-03, fresh6 to fresh8 since the first to third sessions of
# 2026-12-04 (fresh9 to fresh12 since the fourth to seventh, fresh13 since the first
# session of 2026-12-05); tests/side_questions_fresh14/ is the untouched one
# (devtools/untouched.py).
FRESH_DIR = ROOT / "tests" / "side_questions_fresh"
FRESH2_DIR = ROOT / "tests" / "side_questions_fresh2"
FRESH3_DIR = ROOT / "tests" / "side_questions_fresh3"
FRESH4_DIR = ROOT / "tests" / "side_questions_fresh4"
FRESH5_DIR = ROOT / "tests" / "side_questions_fresh5"
FRESH6_DIR = ROOT / "tests" / "side_questions_fresh6"
FRESH7_DIR = ROOT / "tests" / "side_questions_fresh7"
FRESH8_DIR = ROOT / "tests" / "side_questions_fresh8"
FRESH9_DIR = ROOT / "tests" / "side_questions_fresh9"
FRESH10_DIR = ROOT / "tests" / "side_questions_fresh10"
FRESH11_DIR = ROOT / "tests" / "side_questions_fresh11"
FRESH12_DIR = ROOT / "tests" / "side_questions_fresh12"
FRESH13_DIR = ROOT / "tests" / "side_questions_fresh13"
FRESH14_DIR = ROOT / "tests" / "side_questions_fresh14"
FRESH15_DIR = ROOT / "tests" / "side_questions_fresh15"
FRESH16_DIR = ROOT / "tests" / "side_questions_fresh16"
FRESH17_DIR = ROOT / "tests" / "side_questions_fresh17"
FRESH18_DIR = ROOT / "tests" / "side_questions_fresh18"
FRESH19_DIR = ROOT / "tests" / "side_questions_fresh19"
QUIZ_SLOTS = ("training", "languages", "task_preference")
POSITIONS = ("before", "training", "languages", "task_preference", "after")
ANSWER_PAYLOADS = {
    "training": '/inform{"training": ["office"]}',
    "languages": '/inform{"languages": []}',
    "task_preference": '/inform{"task_preference": "assistance"}',
}
# Payloads that open each position. "before" is what the web widget sends first.
PREFIX = {
    "before": ["/greet"],
    "training": ["/greet", "/start_quiz"],
    "languages": ["/greet", "/start_quiz", ANSWER_PAYLOADS["training"]],
    "task_preference": [
        *("/greet", "/start_quiz"),
        *(ANSWER_PAYLOADS["training"], ANSWER_PAYLOADS["languages"]),
    ],
    "after": [
        *("/greet", "/start_quiz"),
        *(ANSWER_PAYLOADS[s] for s in QUIZ_SLOTS),
    ],
}
# Per expected ending kind: the responses that show it (any one of them). A close is
# a short warm reply to thanks, praise or goodbye; a summary comes from action_recap
# (actions/recap.py); the e-mail answer is its own response.
ENDINGS = {
    "close": {
        "utter_goodbye",
        "utter_chitchat_thanks",
        "utter_chitchat_thanks_in_quiz",  # thanks in the quiz: "Gern geschehen!", on it goes
        "utter_feedback_thanks_positive",
        "utter_feedback_no_result",
    },
    "summary": {"utter_recap", "utter_recap_partial", "utter_recap_empty"},
    "email": {"utter_faq_email_result"},
}
RESULT_SLOT = "recommended_variant"


@dataclass
class Outcome:
    """One played item."""

    kind: str  # "side" or "ending"
    text: str
    position: str
    topic: str  # the side question's topic, or the ending's expected kind
    on_topic: bool
    intact: bool
    reply: str
    responses: List[str] = field(default_factory=list)
    missing: List[List[str]] = field(default_factory=list)
    changed: Dict[str, Any] = field(default_factory=dict)


def _items(path: Path) -> List[Dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["items"] if isinstance(data, dict) else data)


def load_side_questions(folder: Path = SIDE_DIR) -> List[Dict[str, Any]]:
    """The items of <folder>/side_questions.yml."""
    return _items(folder / "side_questions.yml")


def load_endings(folder: Path = SIDE_DIR) -> List[Dict[str, Any]]:
    """The items of <folder>/endings.yml."""
    return _items(folder / "endings.yml")


def _same(slot: str, a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _bot_events_since_last_user(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    events = tracker.get("events") or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return [e for e in events[last_user + 1 :] if e.get("event") == "bot"]


def _responses(bot_events: List[Dict[str, Any]]) -> List[str]:
    return [
        str((e.get("metadata") or {}).get("utter_action"))
        for e in bot_events
        if (e.get("metadata") or {}).get("utter_action")
    ]


def _open_slot(position: str) -> Optional[str]:
    return position if position in QUIZ_SLOTS else None


def expected_state(position: str, before: Dict[str, Any], answer: Any) -> Dict[str, Any]:
    """The quiz slots and the open question expected after an item at `position`."""
    slots = {s: before.get(s) for s in QUIZ_SLOTS}
    open_slot = _open_slot(position)
    requested = open_slot
    if open_slot and answer is not None:
        slots[open_slot] = answer
        missing = [s for s in QUIZ_SLOTS if slots[s] is None]
        requested = missing[0] if missing else None
    return {"slots": slots, "requested_slot": requested}


def state_changes(
    position: str, before: Dict[str, Any], after: Dict[str, Any], answer: Any
) -> Dict[str, Any]:
    """What differs from the expected state (empty when the quiz state is intact)."""
    expected = expected_state(position, before, answer)
    changed: Dict[str, Any] = {}
    for slot, value in expected["slots"].items():
        if not _same(slot, value, after.get(slot)):
            changed[slot] = {"expected": value, "stored": after.get(slot)}
    if after.get("requested_slot") != expected["requested_slot"]:
        changed["requested_slot"] = {
            "expected": expected["requested_slot"],
            "stored": after.get("requested_slot"),
        }
    if position == "after" and after.get(RESULT_SLOT) != before.get(RESULT_SLOT):
        changed[RESULT_SLOT] = {
            "expected": before.get(RESULT_SLOT),
            "stored": after.get(RESULT_SLOT),
        }
    return changed


def matches(groups: List[Any], reply: str) -> List[List[str]]:
    """The must_contain groups with no alternative in `reply` (empty: all matched)."""
    low = reply.lower()
    missing = []
    for group in groups or []:
        options = [group] if isinstance(group, str) else list(group)
        if not any(str(o).lower() in low for o in options):
            missing.append([str(o) for o in options])
    return missing


def _open(stack, position: str) -> tuple:
    sender = f"side-{uuid.uuid4().hex[:12]}"
    for message in PREFIX[position]:
        stack.send(sender, message)
    return sender, stack.tracker(sender)["slots"]


def play_side(stack, item: Dict[str, Any]) -> Outcome:
    """One side question at its position."""
    position = item["position"]
    sender, before = _open(stack, position)
    replies = stack.send(sender, item["text"])
    tracker = stack.tracker(sender)
    reply = " | ".join(r.get("text", "") for r in replies)
    missing = matches(item.get("must_contain") or [], reply)
    changed = state_changes(position, before, tracker["slots"], item.get("answer"))
    return Outcome(
        "side",
        item["text"],
        position,
        item["topic"],
        on_topic=not missing,
        intact=not changed,
        reply=reply,
        responses=_responses(_bot_events_since_last_user(tracker)),
        missing=missing,
        changed=changed,
    )


def _ending_position(position: str) -> str:
    # "during": the language question is open (endings.yml's header says so).
    return {"during": "languages"}.get(position, position)


def play_ending(stack, item: Dict[str, Any]) -> Outcome:
    """One ending (thanks, goodbye, summary, e-mail) at its position."""
    position = _ending_position(item["position"])
    sender, before = _open(stack, position)
    replies = stack.send(sender, item["text"])
    tracker = stack.tracker(sender)
    names = _responses(_bot_events_since_last_user(tracker))
    expected = item["expected"]
    shown = bool(set(names) & ENDINGS[expected])
    after = tracker["slots"]
    kept = all(_same(s, before.get(s), after.get(s)) for s in QUIZ_SLOTS + (RESULT_SLOT,))
    return Outcome(
        "ending",
        item["text"],
        item["position"],
        expected,
        on_topic=shown,
        intact=kept,
        reply=" | ".join(r.get("text", "") for r in replies),
        responses=names,
    )


def _rates(outcomes: List[Outcome], key: str) -> Dict[str, Dict[str, Any]]:
    groups: Dict[str, List[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[getattr(o, key)].append(o)
    return {name: _figures(group) for name, group in sorted(groups.items())}


def _figures(outcomes: List[Outcome]) -> Dict[str, Any]:
    n = len(outcomes)
    on_topic = sum(o.on_topic for o in outcomes)
    intact = sum(o.intact for o in outcomes)
    return {
        "items": n,
        "on_topic": on_topic,
        "intact": intact,
        "on_topic_rate": round(on_topic / n, 4) if n else 0.0,
        "intact_rate": round(intact / n, 4) if n else 0.0,
    }


def evaluate(stack, workers: int = 3, folder: Path = SIDE_DIR) -> Dict[str, Any]:
    """Plays both sets of `folder`; returns overall, per-topic and per-position figures."""
    side = load_side_questions(folder)
    endings = load_endings(folder) if (folder / "endings.yml").exists() else []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        side_out = list(pool.map(lambda item: play_side(stack, item), side))
        end_out = list(pool.map(lambda item: play_ending(stack, item), endings))
    return {
        "side": {
            **_figures(side_out),
            "topics": _rates(side_out, "topic"),
            "positions": _rates(side_out, "position"),
        },
        "endings": {
            **_figures(end_out),
            "kinds": _rates(end_out, "topic"),
            "positions": _rates(end_out, "position"),
        },
        "failures": [asdict(o) for o in side_out + end_out if not (o.on_topic and o.intact)],
    }


def write_report(report: Dict[str, Any], path: Path) -> None:
    """Writes the report as JSON (read by `make report`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def _line(name: str, r: Dict[str, Any]) -> str:
    return (
        f"{name:<18} on topic {r['on_topic_rate']:6.1%} ({r['on_topic']}/{r['items']})"
        f"  intact {r['intact_rate']:6.1%} ({r['intact']}/{r['items']})"
    )


def summary_lines(report: Dict[str, Any]) -> List[str]:
    """Overall, per-topic and per-position lines for side questions and endings."""
    side, end = report["side"], report["endings"]
    lines = [_line("side questions", side)]
    lines += ["  " + _line(k, v) for k, v in side["topics"].items()]
    lines += ["  " + _line(k, v) for k, v in side["positions"].items()]
    lines += [_line("endings", end)]
    lines += ["  " + _line(k, v) for k, v in end["kinds"].items()]
    lines += ["  " + _line(k, v) for k, v in end["positions"].items()]
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m devtools.side_questions [--fresh | folder] [out.json]`: one run, figures
    printed. `--fresh` plays tests/side_questions_fresh/ into results/side_questions_fresh.json.
    """
    import sys
    import tempfile

    from devtools.stack import running_stack

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--fresh":
        args = [
            str(FRESH_DIR),
            *(args[1:] or [str(ROOT / "results" / "side_questions_fresh.json")]),
        ]
    folder = Path(args[0]) if args else SIDE_DIR
    out = Path(args[1]) if len(args) > 1 else ROOT / "results" / "side_questions.json"
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp)) as stack:
        report = evaluate(stack, folder=folder)
    write_report(report, out)
    for line in summary_lines(report):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
