"""The contextual gate: answers typed at the open question, stored slot vs expected value.

tests/contextual/ was written by a helper who never read the training data, and
it is never trained on (test_contextual_set_is_disjoint_from_training_data keeps
it that way). Each answer is played through the real Rasa server and action
server with its question open; `make test` fails below 95% exact-match accuracy
for any slot. The per-slot figures are printed and written to
results/contextual.json for `make report`.
"""

from __future__ import annotations

import pytest

from devtools.contextual import (
    FRESH_DIR,
    ROOT,
    SLOTS,
    evaluate,
    load_items,
    summary_lines,
    write_report,
)
from tests.helpers import nlu_texts, normalise, training_texts

GATE = 0.95


def test_contextual_set_is_large_enough_and_canonical():
    items = load_items()
    assert len(items["training"]) >= 150
    assert len(items["languages"]) >= 120
    assert len(items["task_preference"]) >= 130
    for slot in SLOTS:
        texts = [normalise(i["text"]) for i in items[slot]]
        assert len(texts) == len(set(texts)), slot


def test_held_out_nlu_set_is_disjoint_from_training_data():
    leaked = nlu_texts(ROOT / "tests" / "nlu" / "test_nlu.yml") & training_texts()
    assert leaked == set()


@pytest.mark.parametrize("folder", [None, FRESH_DIR], ids=["contextual", "fresh"])
def test_contextual_sets_are_disjoint_from_training_data(folder):
    trained = training_texts()
    items = load_items(folder) if folder else load_items()
    overlap = [i["text"] for slot in SLOTS for i in items[slot] if normalise(i["text"]) in trained]
    assert overlap == []


@pytest.mark.live
def test_contextual_accuracy_per_slot(gate_stack, capsys):
    stack = gate_stack
    report = evaluate(stack)
    write_report(report, ROOT / "results" / "contextual.json")
    with capsys.disabled():  # the figures show in every `make test`, not only on failure
        print("\nContextual accuracy (stored slot == expected, question open):")
        for line in summary_lines(report):
            print("  " + line)
        for failure in report["failures"]:
            print(
                f"  MISS {failure['slot']}: {failure['text']!r} -> {failure['stored']!r} "
                f"(expected {failure['expected']!r})"
            )
    low = {slot: r["accuracy"] for slot, r in report["slots"].items() if r["accuracy"] < GATE}
    assert not low, f"contextual accuracy below {GATE:.0%}: {low}"
