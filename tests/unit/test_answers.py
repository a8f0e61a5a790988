"""What a message says about the answers and how it changes them (career_quiz/answers.py):
corrections merged into earlier answers, skipping, button payloads, and when a parse says
nothing. The parser itself: test_parsing.py.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import (
    ParsedAnswers,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)
from tests.helpers import slots_for

DONE = {"training": ["none"], "languages": ["en:good"], "task_preference": "assistance"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ich habe doch studiert", {"training": ["degree"]}),
        ("Ich spreche auch Französisch fließend", {"languages": ["en:good", "fr:fluent"]}),
        ("Englisch spreche ich doch nicht", {"languages": []}),
        ("Eigentlich mag ich lieber Projekte", {"task_preference": "projects"}),
        ("Englisch sogar verhandlungssicher", {"languages": ["en:business"]}),
    ],
)
def test_corrections_merge_into_previous_answers(parser, text, expected):
    assert slots_for(parser, text, None, DONE) == expected


def test_correction_removes_a_training(parser):
    current = {"training": ["office", "degree"]}
    assert slots_for(parser, "Ich habe doch nicht studiert", None, current) == {
        "training": ["office"]
    }


def test_repeating_an_answer_changes_nothing(parser):
    assert slots_for(parser, "Ich spreche Englisch", None, DONE) == {}


def test_skip_stores_unknown(parser):
    for slot, unknown in (("training", []), ("languages", []), ("task_preference", "unsure")):
        parsed = parser.parse("Überspringen", slot)
        assert parsed.skip
        assert merge_answers({}, parsed, slot) == {slot: unknown}
    assert parse_payload_entities(payload_entities('/inform{"skip": true}')).skip


@pytest.mark.parametrize(
    "payload,expected",
    [
        ('/inform{"training": "office"}', {"training": ["office"]}),
        ('/inform{"training": ["office", "degree"]}', {"training": ["office", "degree"]}),
        ('/inform{"training": "none"}', {"training": ["none"]}),
        ('/inform{"languages": []}', {"languages": []}),
        (
            '/inform{"languages": ["en:fluent", "cs:business"]}',
            {"languages": ["en:fluent", "cs:business"]},
        ),
        ('/inform{"task_preference": "projects"}', {"task_preference": "projects"}),
        # Forged or malformed values set nothing.
        ('/inform{"training": "astronaut"}', {}),
        ('/inform{"languages": ["english:perfect"]}', {}),
        ('/inform{"task_preference": "boss"}', {}),
        ('/inform{"recommended_variant": "project_management"}', {}),
        ('/inform{"variant_scores": {"specialist": 100}}', {}),
        ("/inform{not json", {}),
        ('/inform["a", "b"]', {}),
        ("/start_quiz", {}),
    ],
)
def test_payloads(payload, expected):
    parsed = parse_payload_entities(payload_entities(payload))
    assert merge_answers({}, parsed, None) == expected


@pytest.mark.parametrize(
    "said",
    [
        {"training": ["office"]},
        {"training_removed": ["degree"]},
        {"no_training": True},
        {"unplaced_training": True},
        {"languages": {"en": "good"}},
        {"languages_removed": ["en"]},
        {"german_only": True},
        {"task": "projects"},
        {"task_candidates": ["assistance", "specialist"]},
        {"dont_know": True},
        {"skip": True},
    ],
)
def test_a_parse_is_empty_only_when_it_says_nothing_about_the_answers(said):
    # test_unknown_text_gives_nothing (test_parsing.py) relies on is_empty(); a question
    # alone is no answer.
    assert ParsedAnswers().is_empty()
    assert ParsedAnswers(question="Brauche ich ein Studium?", tentative=True).is_empty()
    assert not ParsedAnswers(**said).is_empty(), said


@pytest.mark.parametrize(
    "text,current,expected",
    [
        # A language swapped for another without a level keeps the level given before.
        (
            "nicht französisch sondern italienisch, sorry verwechselt",
            {"languages": ["en:good", "fr:basic"]},
            {"languages": ["en:good", "it:basic"]},
        ),
        # A level named for the new language wins.
        (
            "nicht Französisch, sondern Italienisch fließend",
            {"languages": ["en:good", "fr:basic"]},
            {"languages": ["en:good", "it:fluent"]},
        ),
        (
            "streich spanisch bitte",
            {"languages": ["en:good", "es:good"]},
            {"languages": ["en:good"]},
        ),
    ],
)
def test_language_swaps_and_removals(parser, text, current, expected):
    assert slots_for(parser, text, "task_preference", current) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # "läuft noch" makes only the training of its clause (or the one it refers
        # back to) unfinished.
        (
            "das mit dem studium stimmt nicht, das läuft noch. also nur die büroausbildung",
            {"training": ["office"]},
        ),
        ("Bürokauffrau, und mein Bachelor läuft noch", {"training": ["office"]}),
    ],
)
def test_an_unfinished_study_leaves_other_trainings(parser, text, expected):
    current = {"training": ["office", "degree"]}
    assert slots_for(parser, text, "languages", current) == expected


@pytest.mark.parametrize(
    "text,current,expected",
    [
        # "raus" after "aus" is a direction, not a removal of the language before it.
        (
            "polnisch muttersprache, englisch gut. ich will aus der pflege raus ins büro",
            None,
            {"languages": ["pl:native", "en:good"]},
        ),
        # A short sentence of its own still takes back what the one before named.
        (
            "Spanisch. Bitte raus damit",
            {"languages": ["en:good", "es:good"]},
            {"languages": ["en:good"]},
        ),
    ],
)
def test_removal_words_reach_back_only_within_reason(parser, text, current, expected):
    assert (
        slots_for(parser, text, "languages" if current is None else "task_preference", current)
        == expected
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        # A study of German is no answer "German only" (fresh4 correction).
        (
            "oh und ich hab zusätzlich ein abgeschlossenes studium in germanistik",
            {"training": ["office", "degree"]},
        ),
        ("ich lebe seit 5 jahren in deutschland, spreche englisch gut", {"languages": ["en:good"]}),
    ],
)
def test_germanistik_and_deutschland_name_no_language(parser, text, expected):
    assert slots_for(parser, text, "languages", {"training": ["office"]}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Steuerfachangestellte, mein Deutsch ist aber noch nicht so gut",
        "Bachelor Chemie, Deutsch B1",
    ],
)
def test_a_german_level_at_the_training_question_leaves_the_language_question_open(parser, text):
    # visit9 #3: "Deutsch Grundkenntnisse" was stored as the language answer and the
    # question about foreign languages was never asked.
    updates = merge_answers({}, parser.parse(text, "training"), "training")
    assert "languages" not in updates and updates["training"]


def test_a_foreign_language_beside_german_at_the_training_question_still_answers(parser):
    text = "Industriekauffrau, Englisch gut und Deutsch B2"
    updates = merge_answers({}, parser.parse(text, "training"), "training")
    assert updates["languages"] == ["en:good", "de:good"]


def test_a_german_level_told_after_the_languages_were_answered_is_kept(parser):
    current = {"training": ["office"], "languages": ["ar:native"]}
    updates = merge_answers(
        current, parser.parse("Deutsch spreche ich auf B2", "task_preference"), "task_preference"
    )
    assert updates["languages"] == ["ar:native", "de:good"]
