"""The advice gate: held-out visitor profiles played through the real servers.

tests/job_ads/profiles.yml and tests/job_ads_fresh/profiles.yml were written by a helper
who never read the training data or the code (devtools/advice_eval.py says what is
checked). They are never trained on (the first test keeps them disjoint from the
training data). The advice was tuned while reading tests/job_ads/profiles.yml, and since
2026-12-03 also the misses of the fresh sets (fresh2's since that day's second session,
fresh3's since 2026-12-05, fresh4's since its sixth session);
tests/job_ads_fresh5/profiles.yml (a sixth helper, never read) is the untouched one.
`make test` fails when, in the tuning set, fewer than 90% of the visitors get the
expected variant, any text names a course the visitor cannot be admitted to, or a gap
names something the visitor has; and when, in any set, a result part is missing or the
first message is too long for a phone. The other sets' variant and admission figures are
printed, not gated (fresh5: totals only), so that the untouched set stays untouched.
"""

from __future__ import annotations

import pytest

from career_quiz.advice import MAX_FIRST
from devtools.advice_eval import SETS, UNTOUCHED, evaluate, load_profiles, summary_lines
from tests.helpers import normalise, training_texts

VARIANT_GATE = 0.90


# The issue asks for at least 30 profiles; the fresh sets are the smaller second ones.
MIN_PROFILES = {"tuning": 30, "fresh": 10, "fresh2": 10, "fresh3": 10, "fresh4": 10, "fresh5": 10}


@pytest.mark.parametrize("name", sorted(SETS))
def test_profile_sets_are_large_enough_and_disjoint_from_training_data(name):
    items = load_profiles(SETS[name])
    assert len(items) >= MIN_PROFILES[name]
    trained = training_texts()
    # The training and work answers carry what the advice is about (title, field,
    # practice): none of them is a training example.
    personal = [str(i["answers"][s]) for i in items for s in ("training", "task_preference")]
    assert [a for a in personal if normalise(a) in trained] == []
    # A few language answers are stock phrases that the language examples also hold
    # ("nur deutsch", "englisch fließend"); only such short ones may coincide.
    languages = [str(i["answers"]["languages"]) for i in items]
    assert [a for a in languages if normalise(a) in trained and len(a.split()) > 5] == []


@pytest.mark.live
def test_advice_gate(gate_stack, capsys):
    stack = gate_stack
    reports = {name: evaluate(stack, path) for name, path in SETS.items()}
    with capsys.disabled():  # the figures show in every `make test`, not only on failure
        print("\nAdvice for held-out visitor profiles:")
        for name, report in reports.items():
            for line in summary_lines(report):
                # The untouched set shows totals only: its misses are not read to tune.
                if name != UNTOUCHED or not line.startswith("  "):
                    print("  " + line)
    tuning = reports["tuning"]
    assert tuning["variant_accuracy"] >= VARIANT_GATE, tuning["variant_accuracy"]
    assert tuning["inadmissible"] == 0
    assert tuning["met_gaps"] == 0
    for name, report in reports.items():
        assert report["parts_missing"] == 0, name
        assert report["longest_first_message"] <= MAX_FIRST, name
