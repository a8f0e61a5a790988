"""What a new-visitor run (visit13, issue 16) found, in our own words: German given the
level of the language after it, a language corrected at the reopened question that
deleted the others, in-scope questions answered with "no reliable information", side
questions on the wrong topic, and advice that contradicted itself or claimed admission.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from career_quiz import advice
from career_quiz.advice import Profile, read_details
from career_quiz.answers import merge_answers
from career_quiz.recommender import score
from career_quiz.side_answers import compose
from career_quiz.side_topics import message_topic


def _profile(texts: List[str], answers: Dict[str, Any]) -> Profile:
    return Profile.build(answers, read_details(texts, answers))


@pytest.mark.parametrize(
    "text", ["nur Deutsch, Englisch kaum", "deutsch, englisch ein wenig", "Deutsch, Englisch gut"]
)
def test_german_takes_no_level_from_the_language_after_it(parser, text):
    parsed = parser.parse(text, "languages")
    assert "de" not in parsed.languages and "en" in parsed.languages
    # German named with its own level still counts ("Deutsch B1").
    assert parser.parse("Deutsch B1, Englisch gut", "languages").languages["de"] == "good"
    # Beside another first language, or joined by "und", German shares the list's level.
    text = "Türkisch Muttersprache, Deutsch und Englisch C1"
    assert parser.parse(text, "languages").languages["de"] == "fluent"


@pytest.mark.parametrize(
    "text",
    [
        "Spanisch doch nur Grundkenntnisse",
        "spanisch eher grundkenntnisse",
        "ach nee, spanisch nur grundkenntnisse, und italienisch hab ich vergessen: italienisch gut",
    ],
)
def test_a_language_corrected_at_the_reopened_question_keeps_the_others(parser, text):
    current = {
        "training": ["office"],
        "languages": ["en:fluent", "es:good"],
        "task_preference": None,
    }
    updated = merge_answers(current, parser.parse(text, "languages"), "languages")
    assert "en:fluent" in updated["languages"] and "es:basic" in updated["languages"]


def test_a_new_answer_at_the_reopened_question_still_replaces_the_old(parser):
    current = {
        "training": ["office"],
        "languages": ["en:fluent", "es:good"],
        "task_preference": None,
    }
    text = "Französisch gut, Polnisch Muttersprache"
    assert merge_answers(current, parser.parse(text, "languages"), "languages") == {
        "languages": ["fr:good", "pl:native"]
    }


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "hi, bin Friseurin seit 10 Jahren, will raus aus dem Salon. passt ein Bürojob zu mir?",
            "ask_fit",
        ),
        ("ist meine Lehre von 1998 noch was wert? heißt ja heute anders", "faq_training_duration"),
        ("und wer bezahlt das?", "faq_retraining_voucher"),
        (
            "Ich bin Zahnarzthelferin. Könnte ich auch als Backoffice-Assistentin arbeiten?",
            "ask_fit",
        ),
    ],
)
def test_in_scope_questions_get_their_topic(text, topic):
    assert message_topic(text, "inform", 0.9) == topic


def test_an_old_training_is_answered_with_its_equivalence():
    text = compose([("faq_training_duration", "ist meine Lehre von damals noch was wert?")])
    assert (
        text.startswith("Kaufmann/-frau für Büromanagement gibt es seit") and "gleichwertig" in text
    )


def test_part_time_asked_with_children_names_the_part_time_training():
    text = compose([("faq_part_time", "geht das auch in Teilzeit? hab zwei Kinder")])
    assert "§ 7a BBiG" in text


def test_a_commercial_training_is_not_called_untypical_for_projects():
    answers = {"training": ["commercial_other"], "languages": [], "task_preference": "assistance"}
    profile = _profile(["Kauffrau im Einzelhandel", "nur Deutsch", "organisieren"], answers)
    text = advice.gap_text("project_management", profile, score(answers))
    assert "typisch ist dort aber" not in text


def test_years_outside_insurance_do_not_admit_to_the_insurance_fachwirt():
    answers = {"training": ["commercial_other"], "languages": [], "task_preference": "specialist"}
    texts = ["Industriekaufmann, seit 4 Jahren im Einkauf", "nur Deutsch", "Versicherungsverträge"]
    steps = " ".join(s.text for s in advice.steps("specialist", _profile(texts, answers)))
    fachwirt = [s for s in steps.split("- ") if "Versicherungen und Finanzen" in s]
    assert not any("erfüllen Sie nach Ihren Angaben" in s for s in fachwirt)
    assert "erfüllen Sie nach Ihren Angaben" not in steps
    texts[0] = "Industriekaufmann, seit 4 Jahren bei einer Versicherung"
    steps = " ".join(s.text for s in advice.steps("specialist", _profile(texts, answers)))
    assert "Fachwirt/in für Versicherungen und Finanzen" in steps


def test_a_degree_from_abroad_gets_the_zeugnisbewertung_step():
    answers = {"training": ["degree"], "languages": ["en:good"], "task_preference": "specialist"}
    texts = ["Bachelor in Ökonomie, komme aus Ukraine", "Englisch gut", "Buchhaltung"]
    steps = " ".join(s.text for s in advice.steps("specialist", _profile(texts, answers)))
    assert "Zeugnisbewertung" in steps


def test_a_returner_after_a_family_break_gets_the_counselling_and_voucher_step():
    answers = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    texts = ["Bürokauffrau, danach sieben Jahre Elternzeit", "nur Deutsch", "organisieren"]
    steps = " ".join(s.text for s in advice.steps("secretarial", _profile(texts, answers)))
    assert "Wiedereinstieg" in steps and "Bildungsgutschein" in steps
    texts[0] = "Bürokauffrau seit 2015"
    steps = " ".join(s.text for s in advice.steps("secretarial", _profile(texts, answers)))
    assert "Wiedereinstieg" not in steps
