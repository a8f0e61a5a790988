"""Questions without "?" and questions asked with the verb after their subject, from a
tuning set (fresh14, issue 16, ninth round), in our own words: the part that asks is
answered, the rest is read as an answer (career_quiz/questions.py, parsing.py,
asked_values.py).
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers
from career_quiz.asked_values import keep_quiz_state
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues, split_message
from career_quiz.side_topics import message_topic


@pytest.fixture(scope="module")
def cues():
    return QuestionCues.from_data(load_lexicon().questions)


@pytest.mark.parametrize(
    "text, statement, question",
    [
        # "wie lang" (not only "wie lange") opens a question without "?".
        (
            "Steuerfachangestellte, wie lang braucht man für die Umschulung",
            "Steuerfachangestellte",
            "wie lang braucht man für die Umschulung",
        ),
        # "wie sieht … aus" asks.
        (
            "Hab Industriekaufmann gelernt. wie sieht es da mit dem Gehalt aus",
            "Hab Industriekaufmann gelernt",
            "wie sieht es da mit dem Gehalt aus",
        ),
        # A clause with "?" whose verb meets its subject later ("hat man") asks.
        (
            "Hab mal gelesen, auf eine Verkürzung hat man einen Anspruch?",
            "Hab mal gelesen",
            "auf eine Verkürzung hat man einen Anspruch?",
        ),
    ],
)
def test_the_part_that_asks_is_split_off(cues, text, statement, question):
    split = split_message(text, cues)
    assert (split.statement, split.question) == (statement, question)


@pytest.mark.parametrize("text", ["Bankkauffrau?", "Bankkauffrau, Englisch kann ich auch?"])
def test_a_short_answer_with_a_question_mark_stays_hesitant(cues, text):
    split = split_message(text, cues)
    assert split.tentative and not split.question


def test_a_statement_with_its_verb_first_beside_a_question_still_answers(parser):
    parsed = parser.parse(
        "Hab Industriekaufmann gelernt. wie sieht es da mit dem Gehalt aus", "training"
    )
    assert parsed.training == ["commercial_other"]
    assert parsed.question


@pytest.mark.parametrize(
    "requested, current, text",
    [
        # A training named in a duration question is the question's, not the visitor's.
        (
            "languages",
            {"training": ["office"]},
            "englisch gut. andere sache: wie lang dauert die ausbildung zur versicherungskauffrau",
        ),
        # A training word without a title of the visitor's own, beside a question.
        ("training", {}, "Lehre in Teilzeit und dazu noch verkürzen, klappt beides zusammen?"),
        (
            "training",
            {},
            "meine Freundin sagt, man braucht einen Pass, damit der Abschluss zählt. Ist das so?",
        ),
    ],
)
def test_a_training_named_only_in_a_question_is_not_stored(parser, cues, requested, current, text):
    parsed = parser.parse(text, requested)
    topic = message_topic(text, "inform", 0.9)
    kept = keep_quiz_state(parsed, text, requested, topic, cues)
    updates = merge_answers(dict(current), kept, requested)
    assert "training" not in updates
    assert kept.question


def test_the_visitors_own_title_stays_beside_a_title_asked_about(parser):
    text = "Pflegehelferin hier, wie lang geht eigentlich die lehre zur industriekauffrau"
    parsed = parser.parse(text, "training")
    assert parsed.training == ["other"]
    assert "industriekauffrau" in parsed.question


def test_no_training_and_a_question_without_question_mark(parser):
    parsed = parser.parse(
        "hab keine ausbildung, nur gejobbt. wie lang geht so ne umschulung", "training"
    )
    assert parsed.no_training and parsed.question


def test_an_unnamed_training_of_ones_own_still_counts_beside_a_question(parser):
    parsed = parser.parse("Ich habe eine Ausbildung abgeschlossen, reicht das?", "training")
    assert parsed.unplaced_training


def test_school_level_after_a_native_language_is_basic(parser):
    parsed = parser.parse("Muttersprache Polnisch, Englisch auf Schulniveau", "languages")
    assert parsed.languages == {"pl": "native", "en": "basic"}


def test_one_more_question_before_that_is_no_going_back(parser):
    parsed = parser.parse(
        "noch eine frage davor: kann man vom empfang aus in die buchhaltung wechseln?", "languages"
    )
    assert not parsed.go_back and parsed.question
