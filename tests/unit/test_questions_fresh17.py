"""Questions read as answers in wordings found in a tuning set (fresh17, issue 16), in our
own words: an announced question, a question whose words come last, a job named only in
the question, a "keine" with a noun of its own, and a study still running.
"""

from __future__ import annotations

import pytest

from career_quiz.asked_values import read_answers
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues, split_message
from career_quiz.side_topics import message_topic


@pytest.fixture(scope="module")
def cues():
    return QuestionCues.from_data(load_lexicon().questions)


def _read(parser, cues, text, requested):
    topic = message_topic(text, "inform", 0.6)
    return read_answers(parser, text, requested, topic, cues)


@pytest.mark.parametrize(
    "text",
    [
        "kurze frage vorab, lohnt sich der fachwirt für sekretärinnen überhaupt",
        "bevor ich klicke: was zahlen die für ne assistentin in leipzig",
        "wär ne umschulung zur bürokauffrau mit 50 noch drin?",
    ],
)
def test_the_message_asks(cues, text):
    assert split_message(text, cues).question


@pytest.mark.parametrize(
    ("text", "requested"),
    [
        ("bevor ich antworte: was zahlen die für ne sekretärin in bremen", "training"),
        ("ausbildung steuerfachangestellte wie lange", None),
        ("und als personalsachbearbeiterin, was verdient man da so?", "task_preference"),
    ],
)
def test_a_job_named_only_in_the_question_is_no_answer(parser, cues, text, requested):
    read = _read(parser, cues, text, requested)
    assert not (read.training or read.no_training or read.task or read.languages)


def test_an_answer_beside_the_question_stays(parser, cues):
    read = _read(parser, cues, "Fachaufgaben – was verdient man da so?", "task_preference")
    assert read.task == "specialist"


@pytest.mark.parametrize(
    ("text", "none"),
    [
        ("hab ehrlich gesagt keine Geduld mehr für Schichtdienst", False),
        ("keine, leider", True),
        ("nein, hab ich nicht", True),
    ],
)
def test_a_lone_keine_says_no_training_and_one_before_a_noun_does_not(parser, text, none):
    assert parser.parse(text, "training").no_training is none


def test_a_study_still_running_is_no_degree_and_leaves_a_training_beside_it(parser):
    running = parser.parse("bin grad im 4. semester jura", "training")
    assert running.training == [] and "degree" in running.training_removed
    both = parser.parse(
        "Industriekaufmann und ich studiere nebenbei BWL im 2. Semester", "training"
    )
    assert both.training == ["commercial_other"]
    # A study's length is no running study.
    finished = parser.parse("Bachelor Soziologie, 6 Semester, abgeschlossen 2021", "training")
    assert finished.training == ["degree"]
