"""Rasa SDK glue for going back a question and for what the quiz says around corrections.

The decisions are plain Python (career_quiz/parsing.py reads "Zurück" and corrections);
this module turns them into bot messages and events. Its responses are in
domain/corrections.yml. Nothing runs at import time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from career_quiz import turns
from career_quiz.answers import ParsedAnswers, restates_training
from career_quiz.contract import QUIZ_SLOTS, SLOT_LANGUAGES, SLOT_TRAINING

FORM_NAME = "career_quiz_form"
STATE_SLOT = "quiz_state"
DETAILS_SLOT = "answer_details"
# The responses of domain/corrections.yml that this module sends.
RESPONSES = (
    "utter_went_back",
    "utter_go_back_first",
    "utter_go_back_nothing",
    "utter_english_notice",
    "utter_ask_languages_unsure",
)


def previous_question(requested: Optional[str]) -> Optional[str]:
    """The question before `requested` (the last one after the quiz), or None."""
    if requested not in QUIZ_SLOTS:
        return QUIZ_SLOTS[-1]
    index = QUIZ_SLOTS.index(requested)
    return QUIZ_SLOTS[index - 1] if index else None


def reopen(slot: str) -> List[EventType]:
    """Asks `slot` again; its answer stays until a new one replaces it.

    The form asks the first question without an answer, so the question is named in
    `requested_slot`, and the state says it was reopened (the validation keeps naming
    it until it is answered).
    """
    state = turns.QuizState(slot=slot, back=True)
    return [SlotSet("requested_slot", slot), SlotSet(STATE_SLOT, state.as_slot())]


def go_back_in_form(
    dispatcher: CollectingDispatcher,
    requested: str,
    target: Optional[str] = None,
    answered: bool = False,
) -> List[EventType]:
    """Inside the quiz: the previous question (or the one named) again; all answers stay.

    At the first question that question is asked again; when it has an answer already
    (reopened by an earlier "Zurück"), it stays open, or the form would go on to the
    next question right after "Dies ist schon die erste Frage" (visit8 #15).
    """
    previous = target if target in QUIZ_SLOTS and target != requested else None
    previous = previous or previous_question(requested)
    if previous is None:
        dispatcher.utter_message(response="utter_go_back_first")
        return reopen(requested) if answered else [SlotSet(STATE_SLOT, None)]
    dispatcher.utter_message(response="utter_went_back")
    return reopen(previous)


def english_notice(dispatcher: CollectingDispatcher) -> None:
    """The bilingual notice that the quiz is German; the question with its buttons follows."""
    dispatcher.utter_message(response="utter_english_notice")


def ask_unsure(dispatcher: CollectingDispatcher, slot: str) -> bool:
    """After "Keine Ahnung" at the language question: the buttons. False for other slots."""
    if slot != SLOT_LANGUAGES:
        return False
    dispatcher.utter_message(response="utter_ask_languages_unsure")
    return True


def restated_events(
    current: Dict[str, Any], parsed: ParsedAnswers, updates: Dict[str, Any]
) -> List[EventType]:
    """The training set again when a correction names one of the same category.

    The value stays, but the form must see that an earlier answer was corrected: it then
    asks the open question again instead of counting the message as a failed answer.
    """
    if SLOT_TRAINING in updates or not restates_training(current, parsed):
        return []
    return [SlotSet(SLOT_TRAINING, current[SLOT_TRAINING])]


def details_events(tracker: Tracker, parsed: ParsedAnswers) -> List[EventType]:
    """Keeps a dropped-out study or training in `answer_details` (a dict, merged)."""
    if not parsed.training_dropped:
        return []
    current = tracker.get_slot(DETAILS_SLOT)
    details: Dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    dropped = details.get("training_dropped")
    dropped = dict(dropped) if isinstance(dropped, dict) else {}
    dropped.update(parsed.training_dropped)
    details["training_dropped"] = dropped
    return [SlotSet(DETAILS_SLOT, details)]


class ActionGoBack(Action):
    """Outside the quiz ("Zurück" after the result): asks the last question again."""

    def name(self) -> Text:
        """Action name."""
        return "action_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Reopens the last question (or the one named); all answers and the result stay.
        A message that also gives the new answer ("Kann ich die letzte Antwort ändern?
        Buchhaltung macht mir am meisten Spaß", fresh18: asked the question again after
        storing it) goes to the form, which updates the result.
        """
        from actions.actions import TURN_SLOT, _message_id  # (import cycle)

        if turns.answers_beside_question(tracker.get_slot(TURN_SLOT), _message_id(tracker)):
            return [FollowupAction(FORM_NAME)]
        answered = [s for s in QUIZ_SLOTS if tracker.get_slot(s) is not None]
        if not answered:
            dispatcher.utter_message(response="utter_go_back_nothing")
            return []
        turn = tracker.get_slot("quiz_turn")
        named = turn.get("go_back_to") if isinstance(turn, dict) else None
        target = named if named in answered else answered[-1]
        dispatcher.utter_message(response="utter_went_back")
        return reopen(target) + [ActiveLoop(FORM_NAME), FollowupAction(FORM_NAME)]
