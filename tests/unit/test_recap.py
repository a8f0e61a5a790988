"""The summary on request (career_quiz/recap.py): nothing answered, during the quiz, and
after the result. The action that sends it: test_recap_action.py.
"""

from __future__ import annotations

from career_quiz.recap import EMPTY, FULL, PARTIAL, build_recap


def test_recap_without_answers_offers_the_quiz():
    assert build_recap({}, None).response == EMPTY


def test_recap_during_the_quiz_lists_the_answers_so_far():
    recap = build_recap({"training": ["bank_insurance"], "languages": ["en:fluent"]}, None)
    assert recap.response == PARTIAL
    assert recap.values["answers"] == (
        "Ausbildung: Ausbildung bei Bank oder Versicherung; Fremdsprachen: Englisch fließend"
    )


def test_recap_after_the_result_names_answers_recommendation_and_next_step():
    answers = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    recap = build_recap(answers, "secretarial", {"secretarial": 91}, skipped=["languages"])
    assert recap.response == FULL
    assert recap.values["score"] == 91
    assert recap.values["title"] and recap.values["next_step"]
    assert "Fremdsprachen: übersprungen" in recap.values["answers"]
