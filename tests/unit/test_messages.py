"""The German pieces Python joins at run time (career_quiz/messages.py): a label for every
value the quiz can store, and confirmation templates with the placeholders the
summary fills. The joined line itself: test_summary.py.
"""

from __future__ import annotations

import string

import pytest

from career_quiz import messages
from career_quiz.contract import LEVELS, QUIZ_SLOTS, TASK_VALUES, TRAINING_VALUES
from career_quiz.lexicon import load_lexicon


def test_every_storable_value_has_a_german_label():
    labels = messages.labels()
    assert set(labels["training"]) == set(TRAINING_VALUES)
    assert set(labels["levels"]) == set(LEVELS)
    assert set(labels["task"]) == set(TASK_VALUES)
    # Every language the lexicon recognises is named; German is the quiz's own.
    assert set(load_lexicon().language_names) <= set(labels["languages"])
    assert set(labels["questions"]) == set(QUIZ_SLOTS)
    assert all(name.strip() for group in labels.values() for name in group.values())


def _fields(template: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(
    "key,fields",
    [
        ("noted", {"items"}),
        ("changed", {"items"}),
        ("task_item", {"label"}),
        ("training_unknown", set()),
        ("training_skipped", set()),
        ("languages_none", set()),
        ("languages_skipped", set()),
        ("task_skipped", set()),
    ],
)
def test_each_confirmation_template_has_the_placeholders_the_summary_fills(key, fields):
    assert _fields(messages.notes()[key]) == fields


def test_load_labels_reads_any_file_with_keys_and_names_as_text(tmp_path):
    path = tmp_path / "labels.yml"
    path.write_text("levels:\n  1: eins\n  good: 2\n", encoding="utf-8")
    assert messages.load_labels(path) == {"levels": {"1": "eins", "good": "2"}}


def test_labels_and_notes_are_read_once(monkeypatch):
    first = messages.labels(), messages.notes()

    def no_reading(*_args, **_kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(messages, "_knowledge_file", no_reading)
    assert (messages.labels(), messages.notes()) == first
