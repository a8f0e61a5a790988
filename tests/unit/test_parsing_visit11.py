"""What a new-visitor run (visit11, issue 16) found stored wrongly, in our own words: a
title taken back inside the same message, a training begun and given up, languages
typed with a letter missing, English as an Abitur Leistungskurs.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers


@pytest.mark.parametrize(
    ("text", "training"),
    [
        ("Kauffrau für Büromanagement, äh nein, Bankkauffrau war es", ["bank_insurance"]),
        ("Bankkaufmann, ich meinte Versicherungskaufmann", ["bank_insurance"]),
        ("Industriekauffrau, nein, Steuerfachangestellte", ["finance_hr_it"]),
        # Two titles with "und" stay two.
        ("Bürokauffrau und Steuerfachangestellte", ["office", "finance_hr_it"]),
    ],
)
def test_a_title_taken_back_in_the_same_message_is_not_stored(parser, text, training):
    parsed = parser.parse(text, "training")
    assert sorted(merge_answers({}, parsed, "training")["training"]) == sorted(training)


def test_a_training_begun_and_given_up_is_no_training(parser):
    text = "ich hatte eine Ausbildung als Tischlerin angefangen, aber abgebrochen"
    parsed = parser.parse(text, "training")
    assert merge_answers({}, parsed, "training")["training"] == ["none"]
    assert parsed.training_dropped == {"other": "Tischlerin"}


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("englsh b1 und frnzösisch a2", ["en:good", "fr:basic"]),
        ("Englisch LK im Abi, Spanisch drei Jahre Schule", ["en:fluent", "es:basic"]),
    ],
)
def test_languages_typed_in_a_hurry(parser, text, languages):
    parsed = parser.parse(text, "languages")
    stored = merge_answers({"training": ["office"]}, parsed, "languages")["languages"]
    assert sorted(stored) == sorted(languages)
