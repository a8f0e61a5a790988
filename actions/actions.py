"""Rasa SDK glue: read slots, call the plain-Python logic, utter, return events.

The logic lives in parsing.py, recommender.py and repository.py; nothing here
runs at import time (the action server imports every module in this package).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import settings
from actions.lexicon import lexicon
from actions.messages import message
from actions.parsing import (
    QUIZ_SLOTS,
    MessageParser,
    clean_languages,
    clean_task,
    clean_training,
    is_payload,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)
from actions.recommender import render_explanation, render_recommendation, score
from actions.repository import ResultRepository, engine_for

logger = logging.getLogger(__name__)

FORM_NAME = "career_quiz_form"
RESULT_SLOTS = ("recommended_variant", "variant_scores")
FEEDBACK_BY_INTENT = {
    "feedback_positive": "helpful",
    "affirm": "helpful",
    "feedback_negative": "not_helpful",
    "deny": "not_helpful",
}


@lru_cache(maxsize=1)
def _parser() -> MessageParser:
    from actions.nlp import pipeline

    return MessageParser(pipeline(), lexicon())


def _repository() -> ResultRepository:
    return ResultRepository(engine_for(settings.database_url()), settings.hash_salt())


def _answers(tracker: Tracker) -> Dict[str, Any]:
    """The quiz answers in canonical form; a value that fails validation reads as None."""
    return {
        "training": clean_training(tracker.get_slot("training")),
        "languages": clean_languages(tracker.get_slot("languages")),
        "task_preference": clean_task(tracker.get_slot("task_preference")),
    }


def _requested_slot(tracker: Tracker) -> Optional[str]:
    if tracker.active_loop_name != FORM_NAME:
        return None
    slot = tracker.get_slot("requested_slot")
    return slot if slot in QUIZ_SLOTS else None


class ActionExtractAnswers(Action):
    """Parses the latest user message and merges its quiz answers into the slots."""

    def name(self) -> Text:
        """Action name used in the slot mappings."""
        return "action_extract_answers"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Returns SlotSet events for the answers the message gives."""
        text = tracker.latest_message.get("text") or ""
        requested = _requested_slot(tracker)
        if is_payload(text):
            parsed = parse_payload_entities(payload_entities(text))
        else:
            parsed = _parser().parse(text, requested)
        if (tracker.latest_message.get("intent") or {}).get("name") == "dont_know":
            parsed.dont_know = True  # "Da bin ich überfragt" has no cue phrase, the intent says it
        current = {slot: tracker.get_slot(slot) for slot in QUIZ_SLOTS}
        updates = merge_answers(current, parsed, requested)
        return [SlotSet(slot, value) for slot, value in updates.items()]


class ValidateCareerQuizForm(FormValidationAction):
    """Keeps only canonical answers and re-asks, with examples, when an answer is unclear."""

    def name(self) -> Text:
        """Form validation action name."""
        return "validate_career_quiz_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates the extracted slots; explains when the asked question stays open."""
        extracted = tracker.slots_to_validate()
        events = await super().run(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        if (
            requested in QUIZ_SLOTS
            and not extracted
            and tracker.get_slot(requested) is None
            and _user_message_unanswered(tracker)
            and _is_answer_intent(tracker, domain)
        ):
            # Returning SlotSet(requested, None) tells the form the message was handled,
            # so it re-asks the question instead of rejecting and going silent.
            # Questions and small talk are not answers: for them we return nothing, the
            # form rejects, and the digression rules answer before the form re-asks.
            dispatcher.utter_message(**message(f"wrong_{requested}"))
            events.append(SlotSet(requested, None))
        return events

    def validate_training(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accepts a list of canonical training values."""
        return {"training": clean_training(value)}

    def validate_languages(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accepts a list of "<code>:<level>" entries."""
        return {"languages": clean_languages(value)}

    def validate_task_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accepts one canonical task preference."""
        return {"task_preference": clean_task(value)}


def _is_answer_intent(tracker: Tracker, domain: DomainDict) -> bool:
    """False for intents the answer slots ignore (their `not_intent` list in the domain)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    mappings = domain.get("slots", {}).get(QUIZ_SLOTS[0], {}).get("mappings", [])
    ignored = {name for mapping in mappings for name in mapping.get("not_intent", [])}
    return intent not in ignored


def _user_message_unanswered(tracker: Tracker) -> bool:
    """True when the bot has not replied to the latest user message yet.

    After a digression (an FAQ answer) the form re-asks its question without a
    new user message; that must not count as an unclear answer.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return False
        if event.get("event") == "user":
            return True
    return False


class ActionRecommendVariant(Action):
    """Scores the answers, tells the user the fitting variant and stores the result."""

    def name(self) -> Text:
        """Action name."""
        return "action_recommend_variant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sets recommended_variant and variant_scores (the only place that does)."""
        answers = _answers(tracker)
        if any(value is None for value in answers.values()):
            dispatcher.utter_message(**message("quiz_missing_answers"))
            return [SlotSet(slot, None) for slot in RESULT_SLOTS]
        recommendation = score(answers)
        dispatcher.utter_message(text=render_recommendation(recommendation, answers))
        dispatcher.utter_message(**message("result_actions"))
        try:
            _repository().save_result(
                tracker.sender_id,
                answers,
                recommendation.scores,
                recommendation.variant,
                recommendation.rubric_version,
            )
        except SQLAlchemyError:
            # The visitor still gets the result; operators see the failure in the log.
            logger.exception("Could not store the quiz result")
        return [
            SlotSet("recommended_variant", recommendation.variant),
            SlotSet("variant_scores", recommendation.scores),
        ]


class ActionExplainResult(Action):
    """Explains, answer by answer, how the recommendation came about."""

    def name(self) -> Text:
        """Action name."""
        return "action_explain_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the explanation, or says that there is no result yet."""
        answers = _answers(tracker)
        if not tracker.get_slot("recommended_variant") or any(
            value is None for value in answers.values()
        ):
            dispatcher.utter_message(**message("no_result_yet"))
            return []
        dispatcher.utter_message(text=render_explanation(score(answers), answers))
        return []


class ActionStoreFeedback(Action):
    """Stores whether the recommendation helped."""

    def name(self) -> Text:
        """Action name."""
        return "action_store_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Attaches the feedback to the conversation's latest stored result."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        feedback = FEEDBACK_BY_INTENT.get(intent)
        if feedback is None or not tracker.get_slot("recommended_variant"):
            dispatcher.utter_message(**message("feedback_no_result"))
            return []
        try:
            _repository().set_feedback(tracker.sender_id, feedback)
        except SQLAlchemyError:
            logger.exception("Could not store the feedback")
        key = "feedback_thanks_positive" if feedback == "helpful" else "feedback_thanks_negative"
        dispatcher.utter_message(**message(key))
        return []


def _reset_events() -> List[EventType]:
    events: List[EventType] = [SlotSet(slot, None) for slot in QUIZ_SLOTS + RESULT_SLOTS]
    return events + [SlotSet("requested_slot", None), ActiveLoop(None)]


def _new_session_events() -> List[EventType]:
    """Ends the Rasa session and starts the quiz form again in a fresh one.

    Rasa loads and replays only the events since the latest session start, so a
    restart keeps the cost of every later message independent of how long the
    conversation has been going. Slots reset with the session.
    """
    return [SessionStarted(), FollowupAction(FORM_NAME)]


class ActionResetQuiz(Action):
    """Forgets all answers and the result, so the quiz starts from the first question."""

    def name(self) -> Text:
        """Action name."""
        return "action_reset_quiz"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Clears quiz and result slots and ends an active quiz form."""
        dispatcher.utter_message(**message("start_over"))
        return _reset_events() + _new_session_events()


class ActionStartQuiz(Action):
    """Before the quiz form starts: clears a finished quiz, keeps answers given so far."""

    def name(self) -> Text:
        """Action name."""
        return "action_start_quiz"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Resets only when a result exists, so "Quiz starten" then means a new quiz."""
        if not tracker.get_slot("recommended_variant"):
            return []
        dispatcher.utter_message(**message("new_quiz"))
        return _reset_events() + _new_session_events()


class _AskForSlot(Action, ABC):
    """Abstract: asks one quiz question with its buttons (the form calls action_ask_<slot>)."""

    @property
    @abstractmethod
    def slot(self) -> Text:
        """The quiz slot this action asks for."""

    def name(self) -> Text:
        """Action name the form looks up for the slot."""
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the question."""
        dispatcher.utter_message(**message(f"ask_{self.slot}"))
        return []


class ActionAskTraining(_AskForSlot):
    """Asks for training or degree."""

    slot = "training"


class ActionAskLanguages(_AskForSlot):
    """Asks for foreign languages and levels."""

    slot = "languages"


class ActionAskTaskPreference(_AskForSlot):
    """Asks which work the user likes best."""

    slot = "task_preference"
