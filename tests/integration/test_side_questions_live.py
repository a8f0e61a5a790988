"""The side-question and endings gates: messages besides the quiz, through the real servers.

tests/side_questions/ was written by a helper who never read the training data, and it
is never trained on (the disjointness tests below keep it that way). Each item is played
in a new conversation at its position (devtools/side_questions.py). `make test` fails
when fewer than 95 % of the side questions are answered on topic (every `must_contain`
group found in the replies), fewer than 98 % leave the quiz state intact (same open
question next, no quiz slot changed except by the item's own answer), or fewer than 95 %
of the endings get a reply of the expected kind. The per-topic and per-position figures
are printed and written to results/side_questions.json for `make report`.
"""

from __future__ import annotations

import pytest

from devtools.side_questions import (
    FRESH2_DIR,
    FRESH3_DIR,
    FRESH4_DIR,
    FRESH5_DIR,
    FRESH6_DIR,
    FRESH7_DIR,
    FRESH8_DIR,
    FRESH9_DIR,
    FRESH10_DIR,
    FRESH11_DIR,
    FRESH12_DIR,
    FRESH13_DIR,
    FRESH14_DIR,
    FRESH15_DIR,
    FRESH16_DIR,
    FRESH17_DIR,
    FRESH18_DIR,
    FRESH19_DIR,
    FRESH_DIR,
    POSITIONS,
    ROOT,
    SIDE_DIR,
    evaluate,
    load_endings,
    load_side_questions,
    summary_lines,
    write_report,
)
from devtools.training_data import raw_training_examples
from tests.helpers import normalise, training_texts

ON_TOPIC_GATE = 0.95
INTACT_GATE = 0.98
ENDINGS_GATE = 0.95
TOPICS = (
    *("salary", "ihk", "training_duration", "retraining", "part_time"),
    *("counselling", "recognition", "cefr", "prospects", "unknown"),
)


# Every set is kept disjoint here; the twentieth (fresh19) is untouched and reported only
# by devtools/untouched.py.
def _folders():
    return [
        *(SIDE_DIR, FRESH_DIR, FRESH2_DIR, FRESH3_DIR),
        *(FRESH4_DIR, FRESH5_DIR, FRESH6_DIR, FRESH7_DIR, FRESH8_DIR, FRESH9_DIR),
        *(FRESH10_DIR, FRESH11_DIR, FRESH12_DIR, FRESH13_DIR, FRESH14_DIR),
        *(FRESH15_DIR, FRESH16_DIR, FRESH17_DIR, FRESH18_DIR, FRESH19_DIR),
    ]


def test_side_question_set_covers_every_topic_and_position():
    items = load_side_questions()
    assert len(items) >= 400
    assert {i["topic"] for i in items} == set(TOPICS)
    assert {i["position"] for i in items} == set(POSITIONS)
    assert len(load_endings()) >= 60


@pytest.mark.parametrize("folder", _folders(), ids=lambda f: f.name)
def test_side_question_sets_are_disjoint_from_training_data(folder):
    trained = training_texts()
    texts = [i["text"] for i in load_side_questions(folder)]
    if (folder / "endings.yml").exists():
        texts += [i["text"] for i in load_endings(folder)]
    # Emoji-only messages normalise to "" (as do "???" and ":)" of the work examples):
    # those are compared as typed.
    raw = raw_training_examples()
    overlap = [t for t in texts if (normalise(t) in trained if normalise(t) else t.strip() in raw)]
    assert overlap == []


@pytest.mark.live
def test_side_questions_and_endings_are_answered_and_keep_the_quiz(gate_stack, capsys):
    stack = gate_stack
    report = evaluate(stack)
    write_report(report, ROOT / "results" / "side_questions.json")
    with capsys.disabled():  # the figures show in every `make test`, not only on failure
        print("\nSide questions and endings (on topic / quiz state intact):")
        for line in summary_lines(report):
            print("  " + line)
        for f in report["failures"]:
            print(
                f"  MISS {f['kind']} {f['position']}/{f['topic']}: {f['text']!r} "
                f"missing={f['missing']} changed={f['changed']} responses={f['responses']}"
            )
    side, endings = report["side"], report["endings"]
    assert side["on_topic_rate"] >= ON_TOPIC_GATE, side
    assert side["intact_rate"] >= INTACT_GATE, side
    assert endings["on_topic_rate"] >= ENDINGS_GATE, endings
