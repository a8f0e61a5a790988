"""Rasa SDK glue for the personal result (career_quiz/advice.py): the details of the
visitor's answers, "Alle nächsten Schritte" and "Andere Varianten".

Nothing here runs at import time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from career_quiz import advice
from career_quiz.contract import QUIZ_SLOTS, clean_languages, clean_task, clean_training
from career_quiz.recommender import Recommendation, score
from career_quiz.side_topics import reading, side_topics

# The slot that holds answers given beside a question before the quiz (actions/actions.py).
HELD_SLOT = "held_answers"

DETAILS_SLOT = "answer_details"
MORE_RESPONSE = "utter_result_actions"  # the result buttons (domain/messages.yml)


def canonical_answers(tracker: Tracker) -> Dict[str, Any]:
    """The quiz answers in canonical form; a value that fails validation reads as None."""
    return {
        "training": clean_training(tracker.get_slot("training")),
        "languages": clean_languages(tracker.get_slot("languages")),
        "task_preference": clean_task(tracker.get_slot("task_preference")),
    }


def _adds_to(old: Any, new: Any) -> bool:
    """True when the slot value `new` keeps all of `old` and adds to it ("auch Bankkauffrau")."""
    if isinstance(old, list) and isinstance(new, list):
        return set(map(str, old)) < set(map(str, new))
    return False


def answer_texts(events: List[Dict[str, Any]]) -> List[str]:
    """The typed messages of this session that set a quiz answer and still stand (buttons
    left out). A message whose answers were all replaced later ("Bürokauffrau", then
    "Zurück" and "Kauffrau für Büromanagement") no longer counts: its title is no
    training of the visitor's any more (visit8 #7).
    """
    start = 0
    for i, event in enumerate(events):
        if event.get("event") == "session_started":
            start = i
    standing: Dict[str, set] = {}  # typed text -> the quiz slots it set that still stand
    values: Dict[str, Any] = {}
    # Answers held before the quiz ("Ich bin Bankkaufmann, seit 6 Jahren im
    # Zahlungsverkehr. Brauche ich ein Studium?") are stored when the quiz starts, under
    # the start button's payload: they count as that typed message's (visit9 #8).
    held: Dict[str, Any] = {}
    for text, slots in _slots_by_message(events[start:]):
        if HELD_SLOT in slots and isinstance(slots[HELD_SLOT], dict) and not text.startswith("/"):
            held = {"text": text, "slots": set(slots[HELD_SLOT].get("values") or {})}
        # A "ja" to the offer releases them as the start button does (visit11 #7: the
        # title "Versicherungskauffrau" was lost, and the insurance Fachwirt asked for
        # two years of practice instead of one).
        released = bool(held) and HELD_SLOT in slots and slots[HELD_SLOT] is None
        quiz = {name: value for name, value in slots.items() if name in QUIZ_SLOTS}
        # Every answer set again unchanged (the form re-sets them all after a correction
        # that changed nothing, "Ich habe doch studiert, 2 Semester BWL, dann
        # abgebrochen") replaces nothing: "Abitur" and "Zahlen und Buchhaltung" stay in
        # the result's details (visit9 #2 read "Schwerpunkt jetzt offen").
        changed = {n for n, v in quiz.items() if values.get(n) != v}
        if len(quiz) > 1 and not changed:
            continue
        for name, value in quiz.items():
            if len(quiz) > 1 and name not in changed:
                # Set again unchanged beside a changed one: the form re-set it after a
                # correction of another answer ("ich spreche doch englisch gut" after the
                # result kept "Steuerfachangestellte" and "Zahlen und Buchhaltung" out of
                # the details: "Schwerpunkt jetzt offen", visit11 #2).
                continue
            old, values[name] = values.get(name), value
            by_start = text.startswith("/") or released
            said = held["text"] if by_start and name in held.get("slots", ()) else text
            if old is not None and value is not None and not _adds_to(old, value):
                for other, names in standing.items():
                    if other != said:
                        names.discard(name)  # replaced by this message
            if not said.startswith("/"):
                standing.setdefault(said, set()).add(name)
    return [text for text, slots in standing.items() if slots]


def _slots_by_message(events: List[Dict[str, Any]]) -> List[Tuple[str, Dict[str, Any]]]:
    """(user text, {slot: last value set}) per user message, in order."""
    out: List[Tuple[str, Dict[str, Any]]] = []
    for event in events:
        if event.get("event") == "user":
            out.append((str(event.get("text") or ""), {}))
        elif event.get("event") == "slot" and out and event.get("name"):
            out[-1][1][str(event["name"])] = event.get("value")
    return out


def details_for(tracker: Tracker, answers: Dict[str, Any]) -> Dict[str, Any]:
    """The `answer_details` slot value for the current answers."""
    details = advice.read_details(answer_texts(list(tracker.events)), answers)
    details["answers"] = answers
    # A study or training given up (actions/corrections.py) stays beside the rest.
    earlier = tracker.get_slot(DETAILS_SLOT)
    if isinstance(earlier, dict) and earlier.get("training_dropped"):
        details["training_dropped"] = earlier["training_dropped"]
    return details


def profile_for(tracker: Tracker, answers: Dict[str, Any]) -> advice.Profile:
    """The profile from the stored details, or read afresh when they are missing."""
    details = tracker.get_slot(DETAILS_SLOT)
    if not isinstance(details, dict) or details.get("answers") != answers:
        details = details_for(tracker, answers)
    return advice.Profile.build(answers, details)


def _result(tracker: Tracker) -> Optional[Recommendation]:
    answers = canonical_answers(tracker)
    if not tracker.get_slot("recommended_variant") or any(v is None for v in answers.values()):
        return None
    return score(answers)


def own_step(tracker: Tracker) -> Optional[str]:
    """The result's first step when the latest message asks for the visitor's own next
    step and there is a result (career_quiz/side_topics.py, `own_next_step`); else None.
    """
    text = reading(str((tracker.latest_message or {}).get("text") or ""))
    if not side_topics().asks_own_next_step(text):
        return None
    rec = _result(tracker)
    if rec is None:
        return None
    return advice.render_own_step(rec, profile_for(tracker, canonical_answers(tracker)))


class _ResultPart(Action):
    """A part of the result on request: the text for the result, then the result buttons,
    or that there is no result yet.
    """

    action_name = ""

    def name(self) -> Text:
        """Action name."""
        return self.action_name

    def render(self, rec: Recommendation, profile: advice.Profile) -> str:
        """The German text of this part."""
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the part and the result buttons."""
        rec = _result(tracker)
        if rec is None:
            dispatcher.utter_message(response="utter_no_result_yet")
            return []
        profile = profile_for(tracker, canonical_answers(tracker))
        dispatcher.utter_message(text=self.render(rec, profile))
        dispatcher.utter_message(response=MORE_RESPONSE)
        return []


class ActionShowNextSteps(_ResultPart):
    """Shows "Alle nächsten Schritte": every admissible next step for the result."""

    action_name = "action_show_next_steps"

    def render(self, rec: Recommendation, profile: advice.Profile) -> str:
        """Every admissible next step."""
        return advice.render_all_steps(rec, profile)


class ActionShowOtherVariants(_ResultPart):
    """Shows "Andere Varianten": the two others, with what is missing or how the work differs."""

    action_name = "action_show_other_variants"

    def render(self, rec: Recommendation, profile: advice.Profile) -> str:
        """The two other variants."""
        return advice.render_other_variants(rec, profile)
