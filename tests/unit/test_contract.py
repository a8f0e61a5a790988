"""career_quiz/contract.py is the one definition of the slot vocabulary; the domain,
the rubric and the slot contract in docs/contracts.md must say the same.
"""

from __future__ import annotations

import re

import yaml

from career_quiz.contract import LEVELS, QUIZ_SLOTS, SLOT_TASK, TASK_VALUES, TRAINING_VALUES
from career_quiz.recommender import load_rubric
from tests.helpers import ROOT


def _domain_slots() -> dict:
    return yaml.safe_load((ROOT / "domain" / "quiz.yml").read_text(encoding="utf-8"))["slots"]


def test_the_domain_has_the_quiz_slots_and_the_task_values():
    slots = _domain_slots()
    assert set(QUIZ_SLOTS) <= set(slots)
    assert slots[SLOT_TASK]["values"] == list(TASK_VALUES)


def test_the_rubric_scores_every_training_and_task_value():
    data = load_rubric().data
    assert set(data["training"]["options"]) == set(TRAINING_VALUES)
    assert set(data["task_preference"]["options"]) == set(TASK_VALUES)


def test_the_documented_contract_lists_the_same_values():
    doc = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Slot contract") : doc.index("## Server contract")]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", section, re.M)}
    assert re.findall(r"`(\w+)`", rows["training"].split(";")[0]) == list(TRAINING_VALUES)
    assert re.findall(r"`(\w+)`", rows["task_preference"]) == list(TASK_VALUES)
    levels = rows["languages"].split("level one of")[1].split(";")[0]
    assert re.findall(r"`(\w+)`", levels) == list(LEVELS)
