"""Corrections missed in a tuning set (fresh17, issue 16), in our own words: the clicked
office button called wrong beside the training meant, a training added "danach noch", a
first language, a language added after the result with "geht das noch?", and English
answers before the quiz that are held and named instead of stored silently.
"""

from __future__ import annotations

import pytest

from career_quiz import turns
from career_quiz.answers import merge_answers
from career_quiz.asked_values import read_answers
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues
from career_quiz.side_topics import message_topic

OFFICE = {"training": ["office"], "languages": None, "task_preference": None}


@pytest.mark.parametrize(
    ("text", "training"),
    [
        ("moment, büro war falsch – ich hab großhandel gelernt", ["commercial_other"]),
        ("hab auf büro gedrückt, meinte aber Studium, Master Germanistik", ["degree"]),
        ("Office was the wrong button, I have a bachelor from Kenya", ["degree"]),
    ],
)
def test_the_office_button_called_wrong_is_replaced(parser, text, training):
    assert merge_answers(OFFICE, parser.parse(text, "languages"), "languages") == {
        "training": training
    }


def test_the_office_button_called_wrong_alone_changes_nothing(parser):
    assert merge_answers(OFFICE, parser.parse("büro war falsch", "languages"), "languages") == {}


def test_a_training_added_after_the_first_is_kept_beside_it(parser):
    text = "büro stimmt schon, hab aber danach noch Steuerfachangestellte gemacht"
    merged = merge_answers(OFFICE, parser.parse(text, "languages"), "languages")
    assert merged == {"training": ["office", "finance_hr_it"]}


def test_a_first_language_is_the_native_one(parser):
    parsed = parser.parse("Türkisch ist meine erste Sprache", "task_preference")
    assert merge_answers({**OFFICE, "languages": []}, parsed, "task_preference") == {
        "languages": ["tr:native"]
    }


def test_a_language_added_after_the_result_with_geht_das_noch_is_taken(parser):
    text = "hab vergessen, dass ich polnisch muttersprachlich spreche… geht das noch?"
    cues = QuestionCues.from_data(load_lexicon().questions)
    topic = message_topic(text, "inform", 0.6)
    read = read_answers(parser, text, None, topic, cues, has_result=True)
    assert read.languages == {"pl": "native"}


def test_english_answers_before_the_quiz_are_held_and_named():
    assert turns.holds_answers(None, False, False, turns.ENGLISH_INTENT)
    assert not turns.holds_answers(None, True, False, turns.ENGLISH_INTENT)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("„verhandlungssicher“ – wie hoch ist das in A/B/C?", "faq_cefr"),
        ("wie verändert sich so ein job über die jahre?", "faq_prospects"),
    ],
)
def test_the_wording_gets_its_topic(text, topic):
    assert message_topic(text, "inform", 0.6) == topic
