"""What a new-visitor run (visit10, issue 16) found stored wrongly, in our own words:
a weak language called "schlecht" was stored as "gut", and short English answers at the
quiz questions were read as German ("support" as IT work).
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers


@pytest.mark.parametrize(
    "text, stored",
    [
        ("Englisch leider schlecht", ["en:basic"]),
        ("italienisch eher mies, englisch schwach", ["it:basic", "en:basic"]),
        ("Englisch gut, Französisch schlecht", ["en:good", "fr:basic"]),
    ],
)
def test_a_weak_language_is_basic_not_the_default(parser, text, stored):
    parsed = parser.parse(text, "languages")
    assert sorted(
        merge_answers({"training": ["office"]}, parsed, "languages")["languages"]
    ) == sorted(stored)


@pytest.mark.parametrize(
    "text, task",
    [
        ("support my manager, calendars and travel", "assistance"),
        ("numbers and accounting", "specialist"),
    ],
)
def test_a_short_english_answer_is_read_on_its_gloss(parser, text, task):
    assert parser.parse(text, "task_preference").task == task


def test_a_german_answer_with_an_it_word_stays_german(parser):
    parsed = parser.parse("IT-Support und Netzwerke", "task_preference")
    assert parsed.task == "specialist" and not parsed.english


@pytest.mark.parametrize("text", ["IT B1", "it b1"])
def test_italian_abbreviated_is_no_english_word(parser, text):
    # "IT B1" at the language question is Italian, not the English "it" glossed to "es".
    assert parser.parse(text, "languages").languages == {"it": "good"}


@pytest.mark.parametrize("text", ["no formal training", "no degree", "only high school"])
def test_english_without_training_is_none_not_no_answer(parser, text):
    # visit10 #6: "no formal training" was stored as "keine Angabe"; "no degree" a degree.
    parsed = parser.parse(text, "training")
    assert merge_answers({}, parsed, "training")["training"] == ["none"]


@pytest.mark.parametrize(
    "text", ["übrigens bin ich doch Bankkaufmann", "Übrigens habe ich Bankkaufmann gelernt"]
)
def test_a_remark_opened_with_uebrigens_is_a_statement(parser, text):
    # visit10 #7: "übrigens bin ich …" was a question ("bin ich …?") and got out-of-scope.
    parsed = parser.parse(text, "languages")
    assert not parsed.question
    assert merge_answers({"training": ["office"]}, parsed, "languages")["training"] == [
        "bank_insurance"
    ]


def test_a_german_word_that_is_english_too_is_not_glossed(parser):
    # "Chef unterstützen" at the training question was glossed "koch unterstützen" and
    # stored a cook (the gloss fallback for an empty German reading, this session).
    parsed = parser.parse("Chef unterstützen", "training")
    assert merge_answers({}, parsed, "training") == {}
