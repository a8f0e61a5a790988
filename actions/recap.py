"""Rasa SDK glue for the summary on request (career_quiz/recap.py has the logic)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from career_quiz.contract import QUIZ_SLOTS, clean_languages, clean_task, clean_training
from career_quiz.recap import build_recap

_CLEAN = {"training": clean_training, "languages": clean_languages, "task_preference": clean_task}


class ActionRecap(Action):
    """Summarises the answers as understood, the recommendation and the next step."""

    def name(self) -> Text:
        """Action name (data/rules/recap.yml)."""
        return "action_recap"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the summary; changes nothing."""
        answers: Dict[str, Any] = {s: _CLEAN[s](tracker.get_slot(s)) for s in QUIZ_SLOTS}
        scores = tracker.get_slot("variant_scores")
        recap = build_recap(
            answers,
            tracker.get_slot("recommended_variant"),
            scores if isinstance(scores, dict) else None,
            tracker.get_slot("skipped_slots") or [],
            tracker.get_slot("answer_details"),
        )
        dispatcher.utter_message(response=recap.response, **recap.values)
        return []
