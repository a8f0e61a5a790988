"""Questions read as answers in wordings found in a tuning set (fresh15, issue 16, tenth
round), in our own words: the part that asks is a question, and what it names is not
stored.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers
from career_quiz.asked_values import asks
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues, split_message


@pytest.fixture(scope="module")
def cues():
    return QuestionCues.from_data(load_lexicon().questions)


@pytest.mark.parametrize(
    "text",
    [
        # A verb the cues lacked, without "?".
        "kriegt man als Teamassistenz eigentlich einen Dienstwagen",
        # Words between "mich würde" and "interessieren".
        "Mich würde zuerst noch der Lohn in der Buchhaltung interessieren",
        # A comparison after a verb and its subject: pay, not the work with numbers.
        "zahlen Versicherungen im Innendienst mehr als kleine Büros?",
        # How well, in a clause of its own ("wenn …"), does not make it a statement.
        "kann man früher zur Prüfung wenn man sehr gut ist",
    ],
)
def test_the_message_asks(cues, text):
    split = split_message(text, cues)
    assert split.question and not split.statement


@pytest.mark.parametrize(
    ("text", "requested", "current"),
    [
        ("kriegt man als Sekretärin ein Diensthandy", None, {"training": ["office"]}),
        ("Zahlen Banken im Backoffice besser als Arztpraxen?", "task_preference", {}),
        ("Mich würde erst das Gehalt im Personalwesen interessieren", "task_preference", {}),
    ],
)
def test_a_question_stores_nothing(parser, text, requested, current):
    parsed = parser.parse(text, requested)
    assert merge_answers(current, parsed, requested) == {}


def test_leaving_a_field_is_no_removal_of_the_training(parser):
    parsed = parser.parse("bin Krankenpflegerin und will raus aus der Pflege", "training")
    assert merge_answers({}, parsed, "training")["training"] == ["other"]


def test_the_abitur_as_where_a_language_was_learnt_is_no_training_answer(parser):
    parsed = parser.parse("Französisch-LK im Abitur, ist das schon fließend?", "training")
    assert "training" not in merge_answers({}, parsed, "training")


@pytest.mark.parametrize(
    "text", ["telefonnummer der agentur für arbeit bitte", "den Link zur Berufsberatung bitte"]
)
def test_a_request_for_a_contact_asks(parser, cues, text):
    assert asks(parser.parse(text, "task_preference"), text, cues)
