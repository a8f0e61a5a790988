"""Corrections in wordings found in a tuning set (fresh12, issue 16, seventh round), said
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
