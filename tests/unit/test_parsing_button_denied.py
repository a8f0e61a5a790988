"""Corrections in wordings found in a tuning set (fresh13, issue 16, eighth round), said
in our own words: a training named beside the denied button word, a study "statt" the
button, a whole answer called wrong, a correction with "wäre richtig", a level replaced
with "sondern", and a change asked for with its new value.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers

OFFICE_CLICKED = {"training": ["office"]}
AFTER = {"training": ["office"], "languages": ["en:good"], "task_preference": "assistance"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Elektrikerin, nicht Büro", ["other"]),
        ("Industriemechaniker und nicht Büro", ["other"]),
        ("ich bin Steuerfachangestellte nicht büro", ["finance_hr_it"]),
    ],
)
def test_a_training_beside_the_denied_button_word_replaces_the_click(parser, text, expected):
    # The denied button word used to deny the training named before it as well, and
    # "keine abgeschlossene Ausbildung" was stored.
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == expected


def test_a_study_instead_of_the_button_replaces_it(parser):
    parsed = parser.parse("lieber Studium statt Büro, ich habe Jura abgeschlossen", "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == ["degree"]


@pytest.mark.parametrize(
    "text",
    [
        "das war falsch – ich habe einen Bachelor in Chemie",
        "I picked the wrong one, I have a bachelor's degree",
    ],
)
def test_an_answer_called_wrong_is_replaced_by_the_study(parser, text):
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == ["degree"]


def test_a_title_that_would_have_been_right_corrects_the_training(parser):
    parsed = parser.parse("Bankkauffrau wäre richtig gewesen", None)
    assert merge_answers(AFTER, parsed, None)["training"] == ["bank_insurance"]


def test_a_title_wished_for_is_still_no_training(parser):
    parsed = parser.parse("Steuerfachangestellte wäre toll", "task_preference")
    assert "training" not in merge_answers(OFFICE_CLICKED, parsed, "task_preference")


def test_a_level_replaced_with_sondern_relevels_the_one_language(parser):
    current = {"training": ["office"], "languages": ["en:fluent"]}
    parsed = parser.parse("nee, nicht fließend sondern gut", "task_preference")
    assert merge_answers(current, parsed, "task_preference")["languages"] == ["en:good"]


def test_a_level_replaced_with_two_languages_stored_changes_nothing(parser):
    current = {"training": ["office"], "languages": ["en:fluent", "es:basic"]}
    parsed = parser.parse("nee, nicht fließend sondern gut", "task_preference")
    assert "languages" not in merge_answers(current, parsed, "task_preference")


def test_a_change_asked_for_with_its_new_value_applies_it(parser):
    # "Bitte ändern" used to go back to the language question and drop "nur Deutsch".
    parsed = parser.parse("Sprachen ändern bitte: doch keine Fremdsprache, nur Deutsch", None)
    assert merge_answers(AFTER, parsed, None)["languages"] == []


def test_no_finished_one_after_naming_the_training_question_is_no_training(parser):
    current = {"training": ["office"], "languages": []}
    parsed = parser.parse("zur Ausbildung nochmal: ich habe keine beendet", "task_preference")
    assert merge_answers(current, parsed, "task_preference")["training"] == ["none"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'm a nurse, not office", ["other"]),
        ("actually I am a bank clerk", ["bank_insurance"]),
    ],
)
def test_a_training_named_in_english_is_read(parser, text, expected):
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe doch studiert, drei Semester Jura, dann abgebrochen",
        "hab doch studiert, 2 semester bwl abgebrochen",
    ],
)
def test_a_study_named_by_its_verb_then_dropped_is_no_degree(parser, text):
    # visit9 #2: "Geändert: Studium" and "Ihr Wirtschaftsstudium" after two semesters.
    parsed = parser.parse(text, None)
    assert "training" not in merge_answers({**AFTER, "training": ["none"]}, parsed, None)
    assert "degree" in parsed.training_dropped


def test_a_finished_bachelor_beside_a_dropped_master_stays(parser):
    parsed = parser.parse("Ich habe studiert, Bachelor BWL, den Master abgebrochen", "training")
    assert merge_answers({}, parsed, "training")["training"] == ["degree"]
