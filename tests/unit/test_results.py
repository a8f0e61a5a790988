"""The result service (career_quiz/results.py): score, render, record; plain Python."""

from __future__ import annotations

import logging

import pytest

from career_quiz import recommender
from career_quiz.repository import result_key
from career_quiz.results import ResultService, Said, complete
from tests.helpers import FakeOutbox

ANSWERS = {
    "training": ["bank_insurance"],
    "languages": ["cs:business"],
    "task_preference": "specialist",
}


@pytest.fixture
def sink():
    return FakeOutbox()


@pytest.fixture
def service(sink):
    return ResultService(recommender.rubric(), sink, lambda cid: f"h({cid})")


def test_complete_needs_every_answer():
    assert complete(ANSWERS)
    assert not complete({**ANSWERS, "languages": None})
    assert complete({**ANSWERS, "training": [], "languages": []})  # skipped is an answer


def test_missing_answers_give_no_result(service):
    result = service.recommend({**ANSWERS, "task_preference": None}, {})
    assert result.recommendation is None
    assert result.messages == (Said(response="utter_quiz_missing_answers"),)


def test_a_first_result_is_the_text_the_scores_and_the_buttons(service):
    result = service.recommend(ANSWERS, {"answers": ANSWERS})
    assert result.recommendation.variant == "specialist"
    text, scores, buttons = result.messages
    assert text.text.startswith("**Empfehlung: Fach-Backoffice")
    assert scores.text.startswith("Punkte: Fach-Backoffice")
    assert buttons == Said(response="utter_result_actions")


def test_a_kept_variant_is_one_line_with_title_and_score(service):
    result = service.recommend(ANSWERS, {}, previous="specialist", previous_answers=ANSWERS)
    kept, buttons = result.messages
    assert kept.response == "utter_recommendation_kept"
    assert kept.values == {
        "title": recommender.rubric().title("specialist"),
        "score": result.recommendation.scores["specialist"],
    }
    assert buttons.response == "utter_result_actions"


def test_a_changed_variant_names_the_previous_one_and_what_changed(service):
    before = {**ANSWERS, "training": ["office"]}
    result = service.recommend(ANSWERS, {}, previous="secretarial", previous_answers=before)
    text = result.messages[0].text
    assert text.startswith("**Neue Empfehlung: Fach-Backoffice**")
    assert "bisher Sekretariat" in text and "Sie haben Ihre Ausbildung geändert." in text


def test_the_rubric_of_the_service_scores_and_is_stored():
    sink = FakeOutbox()
    versioned = recommender.Rubric({**recommender.rubric().data, "version": "unit-rubric-9"})
    service = ResultService(versioned, sink, lambda cid: "h")
    result = service.recommend(ANSWERS, {})
    assert result.recommendation.rubric_version == "unit-rubric-9"
    assert service.record("c", ANSWERS, result.recommendation, "1.5|m-1")
    [record] = sink.results
    assert (record.conversation_hash, record.variant, record.rubric_version) == (
        "h",
        "specialist",
        "unit-rubric-9",
    )
    assert record.idempotency_key == result_key("h", "1.5|m-1")


def test_record_keys_by_message_or_uniquely(service, sink):
    recommendation = service.recommend(ANSWERS, {}).recommendation
    service.record("c", ANSWERS, recommendation, "1.5|m-1")
    service.record("c", ANSWERS, recommendation, "1.5|m-1")
    service.record("c", ANSWERS, recommendation)
    service.record("c", ANSWERS, recommendation)
    keys = [record.idempotency_key for record in sink.results]
    assert keys[0] == keys[1] == result_key("h(c)", "1.5|m-1")
    assert keys[2] != keys[3] and keys[2].startswith("auto:")
    assert {record.conversation_hash for record in sink.results} == {"h(c)"}


def test_a_broken_sink_is_logged_not_raised(caplog):
    service = ResultService(recommender.rubric(), FakeOutbox(fail=True), lambda cid: "h")
    recommendation = service.recommend(ANSWERS, {}).recommendation
    with caplog.at_level(logging.CRITICAL):
        assert service.record("c", ANSWERS, recommendation) is False
        said = service.feedback("c", "feedback_positive", has_result=True)
    assert said.response == "utter_feedback_thanks_positive"  # the visitor is thanked anyway
    assert caplog.text.count("neither stored nor queued") == 2


@pytest.mark.parametrize(
    "intent,has_result,stored,response",
    [
        ("feedback_positive", True, "helpful", "utter_feedback_thanks_positive"),
        ("affirm", True, "helpful", "utter_feedback_thanks_positive"),
        ("feedback_negative", True, "not_helpful", "utter_feedback_thanks_negative"),
        ("deny", True, "not_helpful", "utter_feedback_thanks_negative"),
        ("feedback_positive", False, None, "utter_feedback_no_result"),
        ("feedback_negative", False, None, "utter_feedback_negative_no_result"),
        ("deny", False, None, "utter_feedback_no_result"),
        ("greet", True, None, "utter_feedback_no_result"),
        (None, True, None, "utter_feedback_no_result"),
    ],
)
def test_feedback(service, sink, intent, has_result, stored, response):
    said = service.feedback("c", intent, has_result)
    assert said.response == response
    assert sink.feedback == ([("h(c)", stored)] if stored else [])
