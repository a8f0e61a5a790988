"""The action that sends the summary on request (actions/recap.py): it reads the slots,
leaves out what no validator accepts, and sends the response career_quiz/recap.py chose
(its logic: test_recap.py).
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.recap import ActionRecap
from career_quiz.recommender import score
from tests.helpers import domain_dict, make_tracker, sent


async def _recap(slots):
    tracker = make_tracker(text="Fassen Sie bitte zusammen", intent="ask_summary", slots=slots)
    dispatcher = CollectingDispatcher()
    assert await ActionRecap().run(dispatcher, tracker, domain_dict()) == []
    [message] = dispatcher.messages
    return message


async def test_the_recap_action_fills_the_summary_from_the_slots():
    tracker = make_tracker(
        text="Können Sie das kurz zusammenfassen?",
        intent="ask_summary",
        slots={
            "training": ["degree"],
            "languages": ["en:business"],
            "task_preference": "projects",
            "recommended_variant": "project_management",
            "variant_scores": {"project_management": 88, "secretarial": 50, "specialist": 40},
        },
    )
    dispatcher = CollectingDispatcher()
    assert await ActionRecap().run(dispatcher, tracker, domain_dict()) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_recap" and message["score"] == 88
    assert "Englisch verhandlungssicher" in message["answers"]


async def test_the_recap_action_before_any_answer_offers_the_quiz():
    message = await _recap({})
    assert message["response"] == "utter_recap_empty"
    [reply] = await sent([message], {})
    assert "Quiz starten" in reply["text"]


async def test_the_recap_action_leaves_out_slot_values_no_validator_accepts():
    message = await _recap(
        {"training": ["pilot"], "languages": ["en:good"], "task_preference": "<b>"}
    )
    assert message["response"] == "utter_recap_partial"
    assert message["answers"] == "Fremdsprachen: Englisch gut"
    [reply] = await sent([message], {})
    assert reply["text"].startswith("Bisher habe ich notiert: Fremdsprachen: Englisch gut.")


async def test_the_recap_action_scores_again_when_the_stored_scores_are_no_mapping():
    answers = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    message = await _recap(
        {
            **answers,
            "recommended_variant": "secretarial",
            "variant_scores": "88",
            "skipped_slots": ["languages"],
        }
    )
    assert message["response"] == "utter_recap"
    assert message["score"] == score(answers).scores["secretarial"] != 88
    assert "Fremdsprachen: übersprungen" in message["answers"]
