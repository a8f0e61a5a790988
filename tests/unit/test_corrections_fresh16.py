"""Corrections stored wrongly in wordings found in a tuning set (fresh16, issue 16,
eleventh round), in our own words: a level word the lexicon lacked, a verb-first
correction without "?", the "nur Deutsch" button named beside a mother tongue, not
knowing the work after the result, a dropped training answered with a lone "keine", an
IT training in two words, and a question whether the new answer changes the result.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers
from career_quiz.side_topics import OWN_CASE, message_topic

OFFICE_CLICKED = {"training": ["office"]}
GERMAN_ONLY = {"training": ["office"], "languages": []}
AFTER = {"training": ["office"], "languages": [], "task_preference": "assistance"}


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("dazu noch Japanisch Grundlagen", ["en:fluent", "ja:basic"]),
        ("I also speak some Italian", ["en:fluent", "it:basic"]),
    ],
)
def test_a_basic_level_word_is_basic(parser, text, languages):
    before = {"training": ["office"], "languages": ["en:fluent"]}
    parsed = parser.parse(text, "task_preference")
    assert merge_answers(before, parsed, "task_preference")["languages"] == languages


def test_a_verb_first_correction_without_question_mark_states(parser):
    before = {"training": ["office"], "languages": ["fr:good"]}
    parsed = parser.parse("kann französisch doch nur A1, war zu hoch gegriffen", "task_preference")
    assert not parsed.question
    assert merge_answers(before, parsed, "task_preference")["languages"] == ["fr:basic"]


def test_the_german_only_button_named_beside_a_mother_tongue_is_no_german(parser):
    parsed = parser.parse("oh, nicht nur deutsch, türkisch ist meine muttersprache", None)
    assert merge_answers(AFTER, parsed, None)["languages"] == ["tr:native"]


@pytest.mark.parametrize(
    "text",
    [
        "ehrlich gesagt weiß ich gar nicht, was ich lieber mach",
        "bei den aufgaben bin ich doch unsicher",
        "bei der letzten frage falsch geklickt, weiß ich noch nicht stimmt eher",
    ],
)
def test_not_knowing_the_work_after_the_result_is_unsure(parser, text):
    parsed = parser.parse(text, None)
    assert merge_answers(AFTER, parsed, None) == {"task_preference": "unsure"}


def test_a_dropped_training_answered_with_keine_is_no_training_nor_language(parser):
    text = "büro stimmt nicht, die lehre hab ich abgebrochen, also keine"
    parsed = parser.parse(text, "languages")
    updates = merge_answers(OFFICE_CLICKED, parsed, "languages")
    assert updates.get("training") == ["none"]
    assert "languages" not in updates


def test_an_it_training_in_two_words_is_an_it_training(parser):
    parsed = parser.parse("büro und dazu noch eine IT Ausbildung", "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == [
        "office",
        "finance_hr_it",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ich spreche übrigens auch spanisch gut, ändert sich dadurch was?",
        "hab doch studiert, macht das einen unterschied?",
        "italienisch zählt doch auch, oder? ist meine muttersprache",
    ],
)
def test_asking_whether_an_answer_changes_the_result_is_the_own_case(text):
    assert message_topic(text, "inform", 0.9) == OWN_CASE


def test_a_dropout_told_without_question_is_no_duration_question():
    text = "büro war geraten, die ausbildung hab ich nicht fertig gemacht"
    assert message_topic(text, "inform", 0.5) is None


def _read(parser, text, requested):
    from career_quiz.asked_values import read_answers
    from career_quiz.lexicon import load_lexicon
    from career_quiz.questions import QuestionCues

    cues = QuestionCues.from_data(load_lexicon().questions)
    return read_answers(parser, text, requested, message_topic(text, "inform", 0.9), cues)


@pytest.mark.parametrize(
    "text",
    [
        # A training planned beside a question is what it asks about, no answer.
        "ich überlege, eine Ausbildung zur Bankkauffrau zu machen. Gibt es die in Teilzeit?",
        "ich würde gern steuerfachangestellte lernen, klappt das mit 40 noch?",
    ],
)
def test_a_planned_training_beside_a_question_is_no_answer(parser, text):
    assert merge_answers({}, _read(parser, text, "training"), "training") == {}


@pytest.mark.parametrize(
    "text",
    [
        "hab fünf jahre als sekretärin gearbeitet, aber nie eine ausbildung gemacht",
        "ich habe als verkäufer gejobbt, ohne ausbildung",
    ],
)
def test_a_job_done_without_a_training_is_no_training(parser, text):
    parsed = parser.parse(text, "training")
    assert merge_answers({}, parsed, "training") == {"training": ["none"]}


def test_a_title_with_its_training_stays_a_training(parser):
    parsed = parser.parse("hab als bürokauffrau gearbeitet", "training")
    assert merge_answers({}, parsed, "training") == {"training": ["office"]}
