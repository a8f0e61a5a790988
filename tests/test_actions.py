"""Custom actions, run with rasa_sdk Tracker objects against a real SQLite database."""

from __future__ import annotations

from functools import lru_cache

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAskTaskPreference,
    ActionAskTraining,
    ActionExplainResult,
    ActionExtractAnswers,
    ActionRecommendVariant,
    ActionResetQuiz,
    ActionStartQuiz,
    ActionStoreFeedback,
    ValidateCareerQuizForm,
)
from actions.repository import ResultRepository, create_schema, make_engine
from tests.conftest import make_tracker
from tests.live import ROOT

@lru_cache(maxsize=1)
def domain_dict():
    """The project domain as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()
ANSWERS = {"training": ["bank_insurance"], "languages": ["cs:business"],
           "task_preference": "specialist"}


@pytest.fixture
def results_db(sqlite_url, monkeypatch):
    """Points the actions at a fresh SQLite database with the schema created."""
    monkeypatch.setenv("QUIZ_DATABASE_URL", sqlite_url)
    engine = make_engine(sqlite_url)
    create_schema(engine)
    yield ResultRepository(engine)
    engine.dispose()


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain_dict())
    return events, dispatcher.messages


# -- extraction ------------------------------------------------------------


async def test_extract_several_answers_before_the_quiz():
    tracker = make_tracker(text="Ich bin Bankkauffrau und spreche Tschechisch verhandlungssicher")
    events, messages = await run(ActionExtractAnswers(), tracker)
    assert events == [SlotSet("training", ["bank_insurance"]), SlotSet("languages", ["cs:business"])]
    assert messages == []


async def test_extract_uses_the_question_asked():
    tracker = make_tracker(text="nur Deutsch", active_loop="career_quiz_form",
                           slots={"requested_slot": "languages"})
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events == [SlotSet("languages", [])]


async def test_extract_takes_the_dont_know_intent_as_answer():
    tracker = make_tracker(text="Da bin ich überfragt", intent="dont_know",
                           active_loop="career_quiz_form", slots={"requested_slot": "task_preference"})
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events == [SlotSet("task_preference", "unsure")]


async def test_extract_merges_a_correction():
    tracker = make_tracker(text="Ich spreche auch Englisch", slots=dict(ANSWERS))
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events == [SlotSet("languages", ["cs:business", "en:good"])]


async def test_extract_button_payload():
    tracker = make_tracker(text='/inform{"task_preference": "projects"}')
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events == [SlotSet("task_preference", "projects")]


@pytest.mark.parametrize("payload", [
    '/inform{"recommended_variant": "project_management"}',
    '/inform{"variant_scores": {"project_management": 100}}',
    '/inform{"training": "<script>alert(1)</script>"}',
])
async def test_forged_payload_sets_no_slot(payload):
    events, _ = await run(ActionExtractAnswers(), make_tracker(text=payload))
    assert events == []


# -- form validation -------------------------------------------------------


def form_tracker(text, requested, slots=None, extracted=None, bot_replied=False, intent="inform"):
    events = [{"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": {}}]
    if bot_replied:
        events.append({"event": "bot", "text": "FAQ answer"})
    events.append({"event": "slot", "name": "requested_slot", "value": requested})
    events.append({"event": "action", "name": "career_quiz_form"})
    for name, value in (extracted or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
    all_slots = {"requested_slot": requested, **(slots or {}), **(extracted or {})}
    return make_tracker(slots=all_slots, text=text, events=events, active_loop="career_quiz_form",
                        intent=intent)


async def test_validation_re_asks_with_examples_when_nothing_was_understood():
    events, messages = await run(ValidateCareerQuizForm(), form_tracker("Blumenkohl", "training"))
    assert SlotSet("training", None) in events
    assert "Bankkaufmann" in messages[0]["text"]


async def test_validation_rejects_questions_so_the_digression_rules_answer():
    tracker = form_tracker("Was heißt verhandlungssicher?", "languages",
                           intent="faq_verhandlungssicher")
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert events == []  # nothing validated: the form rejects, the FAQ rule answers
    assert messages == []


async def test_validation_is_silent_after_a_digression():
    tracker = form_tracker("Was heißt verhandlungssicher?", "languages", bot_replied=True)
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert messages == []
    assert SlotSet("languages", None) not in events


async def test_validation_keeps_canonical_values():
    tracker = form_tracker("Bankkauffrau", "training", extracted={"training": ["bank_insurance"]})
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert SlotSet("training", ["bank_insurance"]) in events
    assert messages == []


async def test_validation_rejects_forged_values():
    tracker = form_tracker("x", "training", extracted={"training": ["astronaut"]})
    events, _ = await run(ValidateCareerQuizForm(), tracker)
    assert SlotSet("training", None) in events


# -- recommendation, explanation, feedback ----------------------------------


async def test_recommend_sets_result_and_stores_it(results_db):
    tracker = make_tracker(slots=dict(ANSWERS), sender_id="user-42")
    events, messages = await run(ActionRecommendVariant(), tracker)
    assert events[0] == SlotSet("recommended_variant", "specialist")
    assert events[1].get("name") == "variant_scores"
    scores = events[1]["value"]
    assert scores["specialist"] == max(scores.values())
    assert messages[0]["text"].startswith("**Empfehlung: Fach-Backoffice")
    assert [b["payload"] for b in messages[1]["buttons"]] == [
        "/feedback_positive", "/feedback_negative", "/ask_why", "/start_over"]
    [row] = results_db.results_for("user-42")
    assert row["answers"] == ANSWERS
    assert row["scores"] == scores
    assert row["variant"] == "specialist"


async def test_recommend_without_all_answers_sets_no_result(results_db):
    tracker = make_tracker(slots={"training": ["office"], "languages": None})
    events, messages = await run(ActionRecommendVariant(), tracker)
    assert events == [SlotSet("recommended_variant", None), SlotSet("variant_scores", None)]
    assert "fehlen" in messages[0]["text"]
    assert results_db.count() == 0


async def test_recommend_still_answers_when_the_database_is_down(tmp_path, monkeypatch):
    # No schema: the insert fails, the user still gets the recommendation.
    monkeypatch.setenv("QUIZ_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    events, messages = await run(ActionRecommendVariant(), make_tracker(slots=dict(ANSWERS)))
    assert events[0] == SlotSet("recommended_variant", "specialist")
    assert messages[0]["text"].startswith("**Empfehlung")


async def test_explain_after_result():
    tracker = make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"})
    _, messages = await run(ActionExplainResult(), tracker)
    assert "Ihre Ausbildung im Bank- oder Versicherungswesen" in messages[0]["text"]


async def test_explain_before_result():
    _, messages = await run(ActionExplainResult(), make_tracker(slots={"training": ["office"]}))
    assert "sobald Sie die drei Fragen beantwortet haben" in messages[0]["text"]


@pytest.mark.parametrize("intent,stored", [
    ("feedback_positive", "helpful"), ("affirm", "helpful"),
    ("feedback_negative", "not_helpful"), ("deny", "not_helpful")])
async def test_feedback_is_stored(results_db, intent, stored):
    results_db.save_result("user-7", ANSWERS, {"specialist": 90}, "specialist", "v1")
    tracker = make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"},
                           intent=intent, sender_id="user-7")
    _, messages = await run(ActionStoreFeedback(), tracker)
    assert results_db.results_for("user-7")[0]["feedback"] == stored
    assert "Rückmeldung" in messages[0]["text"]


async def test_feedback_before_result_stores_nothing(results_db):
    _, messages = await run(ActionStoreFeedback(), make_tracker(intent="feedback_positive"))
    assert "Sobald Sie das Quiz abgeschlossen haben" in messages[0]["text"]
    assert results_db.count() == 0


# -- reset and questions ------------------------------------------------------


async def test_reset_clears_answers_and_result():
    events, messages = await run(ActionResetQuiz(), make_tracker(slots=dict(ANSWERS)))
    cleared = {e["name"] for e in events if e.get("event") == "slot"}
    assert cleared == {"training", "languages", "task_preference", "recommended_variant",
                       "variant_scores", "requested_slot"}
    assert all(e["value"] is None for e in events if e.get("event") == "slot")
    assert ActiveLoop(None) in events
    assert "von vorne" in messages[0]["text"]


async def test_reset_starts_a_new_session_and_then_the_form():
    # Rasa loads only the events since the latest session start, so a restart
    # bounds the work per message (issue 4); the form must run next.
    events, _ = await run(ActionResetQuiz(), make_tracker(slots=dict(ANSWERS)))
    assert events[-2:] == [SessionStarted(), FollowupAction("career_quiz_form")]


async def test_start_quiz_keeps_early_answers_but_clears_a_finished_quiz():
    events, _ = await run(ActionStartQuiz(), make_tracker(slots={"training": ["office"]}))
    assert events == []
    events, _ = await run(ActionStartQuiz(),
                          make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"}))
    assert SlotSet("training", None) in events
    assert events[-2:] == [SessionStarted(), FollowupAction("career_quiz_form")]


async def test_questions_have_buttons():
    _, messages = await run(ActionAskTraining(), make_tracker())
    assert "Ausbildung" in messages[0]["text"]
    assert {"title": "Studium", "payload": '/inform{"training": "degree"}'} in messages[0]["buttons"]
    _, messages = await run(ActionAskTaskPreference(), make_tracker())
    assert len(messages[0]["buttons"]) == 4
