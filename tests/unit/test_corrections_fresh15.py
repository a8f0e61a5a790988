"""Corrections and questions stored wrongly in wordings found in a tuning set (fresh15,
issue 16, tenth round), in our own words: a click made too fast, "garkeine" written
together, the clicked button named, an IT training after "das war falsch", an English
correction, a course asked about, a training whose duration is asked.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers
from career_quiz.asked_values import read_answers
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues
from career_quiz.side_topics import message_topic

OFFICE_CLICKED = {"training": ["office"]}
GERMAN_ONLY = {"training": ["office"], "languages": []}


@pytest.mark.parametrize(
    ("text", "training"),
    [
        ("zu schnell geklickt, ich bin Diplom-Betriebswirtin", ["degree"]),
        ("versehentlich Büro gewählt, bin Steuerfachangestellte", ["finance_hr_it"]),
        ("Büro war geraten, ich hab garkeine Ausbildung", ["none"]),
        ("nein, das war falsch, ich bin IT-Systemkaufmann", ["finance_hr_it"]),
        ("Sorry, I don't have office training, I have a law degree", ["degree"]),
    ],
)
def test_the_clicked_training_is_replaced(parser, text, training):
    parsed = parser.parse(text, "languages")
    assert merge_answers(OFFICE_CLICKED, parsed, "languages")["training"] == training


def test_the_clicked_button_named_is_no_language(parser):
    text = "polnisch muttersprache, englisch gut. hatte aus versehen nur deutsch geklickt"
    parsed = parser.parse(text, "task_preference")
    stored = merge_answers(GERMAN_ONLY, parsed, "task_preference")["languages"]
    assert sorted(stored) == ["en:good", "pl:native"]


def test_a_course_asked_about_at_the_work_question_is_no_training(parser):
    text = "lieber Zahlen. Der Lehrgang Bilanzbuchhalter, ist das ein richtiger Abschluss?"
    parsed = parser.parse(text, "task_preference")
    updates = merge_answers(GERMAN_ONLY, parsed, "task_preference")
    assert updates == {"task_preference": "specialist"}


def test_a_title_whose_duration_is_asked_is_no_answer(parser):
    cues = QuestionCues.from_data(load_lexicon().questions)
    text = "steuerfachangestellte.. wie lange dauert das"
    topic = message_topic(text, "inform", 0.99)
    parsed = read_answers(parser, text, "training", topic, cues)
    assert merge_answers({}, parsed, "training") == {}
