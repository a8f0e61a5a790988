"""Corrections in wordings found in tuning sets (fresh12 and fresh14, issue 16), said
in our own words: a wrong click named beside a new training, no finished training said
at a later question, and a level told in a clause that starts with its verb.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers

OFFICE_CLICKED = {"training": ["office"]}


@pytest.mark.parametrize(
    "text",
    [
        "falsch geklickt, ich habe Germanistik studiert",
        "Sorry, falschen Button erwischt: Master in Psychologie",
        "hab mich verdrückt – Bachelor Maschinenbau",
    ],
)
def test_a_study_after_a_wrong_click_replaces_the_clicked_training(parser, text):
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == ["degree"]


def test_a_study_named_as_an_addition_still_adds_the_degree(parser):
    parsed = parser.parse("Büro stimmt, zusätzlich hab ich noch einen Bachelor", "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == ["office", "degree"]


@pytest.mark.parametrize(
    "text",
    [
        "Korrektur: ich habe keine abgeschlossene Ausbildung",
        "Oh, falscher Knopf. Eigentlich keine abgeschlossene Lehre, nur Jobs im Verkauf.",
    ],
)
def test_no_finished_training_said_at_a_later_question_corrects_it(parser, text):
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == ["none"]


def test_someone_elses_missing_training_changes_nothing(parser):
    parsed = parser.parse("Mein Bruder hat keine abgeschlossene Ausbildung, geht das?", "languages")
    assert "training" not in merge_answers(OFFICE_CLICKED, parsed, "languages")


@pytest.mark.parametrize(
    "text, level",
    [
        ("italienisch fast vergessen!! spreche ich fließend, war zwei jahre in rom", "fluent"),
        ("Polnisch noch vergessen. Spreche ich perfekt, meine Mutter ist aus Danzig.", "fluent"),
    ],
)
def test_a_level_told_verb_first_is_a_statement(parser, text, level):
    parsed = parser.parse(text, "task_preference")
    assert not parsed.question
    assert level in parsed.languages.values()


def test_a_verb_first_question_without_a_level_stays_a_question(parser):
    assert parser.parse("Brauche ich dafür eigentlich Französisch", "languages").question


# fresh14 (issue 16, ninth round), in our own words.
@pytest.mark.parametrize(
    "text, training",
    [
        ("nein, hab studiert, Master of Arts", ["degree"]),
        (
            "Huch, ich bin Industriekauffrau und habe außerdem einen Bachelor.",
            ["commercial_other", "degree"],
        ),
    ],
)
def test_a_no_or_an_oops_before_a_training_replaces_the_clicked_one(parser, text, training):
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == training


def test_a_no_before_a_study_named_as_an_addition_keeps_the_training(parser):
    parsed = parser.parse("Nein, ich habe auch noch studiert", "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == ["office", "degree"]


@pytest.mark.parametrize(
    "text",
    [
        "sorry, verhandlungssicher ist zu viel, eher gut",
        "fließend war zu optimistisch, sagen wir gut",
    ],
)
def test_a_level_called_too_much_is_replaced(parser, text):
    current = {
        **OFFICE_CLICKED,
        "languages": ["en:fluent"] if "fließend" in text else ["en:business"],
    }
    parsed = parser.parse(text, "task_preference")
    assert merge_answers(current, parsed, "task_preference")["languages"] == ["en:good"]


def test_not_only_german_lists_the_other_languages_only(parser):
    current = {**OFFICE_CLICKED, "languages": []}
    parsed = parser.parse("doch nicht nur Deutsch, Italienisch kann ich gut", "task_preference")
    assert merge_answers(current, parsed, "task_preference")["languages"] == ["it:good"]


DONE = {"training": ["office"], "languages": [], "task_preference": "assistance"}


def test_work_liked_more_than_another_is_the_new_preference(parser):
    parsed = parser.parse("Zahlen und Verträge machen mir mehr Spaß als Assistenz", None)
    assert merge_answers(DONE, parsed, None) == {"task_preference": "specialist"}


def test_a_work_denied_and_not_knowing_is_unsure(parser):
    parsed = parser.parse("nicht Assistenz, ich weiß es ehrlich gesagt nicht", None)
    assert merge_answers(DONE, parsed, None) == {"task_preference": "unsure"}
