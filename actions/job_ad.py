"""Rasa SDK glue of the job-ad check ("Passe ich zu dieser Stelle?").

The logic is career_quiz/job_ad.py. The ad is read from the user message of the
tracker (which is as long as the conversation lasts); only the contract's slots
`ad_variant`, `ad_requirements` and `ad_fit` keep what it says. What the quiz does not
ask about (software, experience, driving licence) is read again from the ad's user
message for a later comparison. Nothing runs at import time.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.advice import details_for
from career_quiz import advice, job_ad
from career_quiz.contract import (
    SLOT_AD_FIT,
    SLOT_AD_REQUIREMENTS,
    SLOT_AD_VARIANT,
    clean_languages,
    clean_task,
    clean_training,
)
from career_quiz.messages import labels
from career_quiz.results import FEEDBACK_RESPONSE

logger = logging.getLogger(__name__)

PENDING_SLOT = "ad_compare_pending"
FORM_NAME = "career_quiz_form"
ASK_INTENT = "ask_job_ad_check"
# The offer to start the quiz, for a fit question with no ad to compare (domain/messages.yml).
ASK_FIT_RESPONSE = "utter_ask_fit"
# The recommendation on file and the summary that shows it (actions/recap.py).
RESULT_SLOT = "recommended_variant"
RECAP_ACTION = "action_recap"


def comparison_follows(tracker: Tracker) -> bool:
    """An ad waits on file: after a result, action_compare_job_ad compares it
    (data/rules/job_ad.yml), so the result's feedback question comes after that.
    """
    return bool(tracker.get_slot(PENDING_SLOT)) and isinstance(
        tracker.get_slot(SLOT_AD_REQUIREMENTS), dict
    )


def _answers(tracker: Tracker) -> Dict[str, Any]:
    return {
        "training": clean_training(tracker.get_slot("training")),
        "languages": clean_languages(tracker.get_slot("languages")),
        "task_preference": clean_task(tracker.get_slot("task_preference")),
    }


def _user_text(tracker: Tracker) -> str:
    """The latest user message as it was sent.

    `latest_message` holds the text the NLU pipeline saw, which
    rasa_addons/length_guard.py cuts to 2,000 characters; the user event keeps it whole.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("text") or "")
    return str(tracker.latest_message.get("text") or "")


def _ad_text(tracker: Tracker) -> str:
    """The text of the ad on file: the user message before the latest `ad_requirements`
    (the slots keep only the contract's values; the ad stays in the conversation).
    """
    text, ad = "", ""
    for event in tracker.events:
        if event.get("event") == "user":
            text = str(event.get("text") or "")
        elif event.get("event") == "slot" and event.get("name") == SLOT_AD_REQUIREMENTS:
            ad = text if isinstance(event.get("value"), dict) else ""
    return ad


def _analysis_on_file(tracker: Tracker, requirements: Dict[str, Any]) -> job_ad.AdAnalysis:
    """The analysis of the ad on file, rebuilt from the slots, with what the quiz does not
    ask about read again from the ad's text.
    """
    variant = tracker.get_slot(SLOT_AD_VARIANT) or ""
    text = _ad_text(tracker)
    return job_ad.analysis_from_requirements(
        requirements,
        variant,
        job_ad.further_of_ad(text),
        job_ad.field_of_ad(text, variant),
    )


def _compare(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    analysis: job_ad.AdAnalysis,
    requirements: Dict[str, Any],
    after_result: bool = False,
) -> List[EventType]:
    """Utters the comparison and returns the `ad_fit` events. After a new result for an
    ad compared before, an unchanged fit gets one line, a changed one says so first.
    """
    answers = _answers(tracker)
    comparison = job_ad.compare(requirements, answers, analysis.variant)
    result: Optional[str] = tracker.get_slot("recommended_variant")
    # The gaps are closed with the result's admission-aware steps for this visitor.
    profile = advice.Profile.build(answers, details_for(tracker, answers))
    text = job_ad.render_comparison(
        analysis,
        comparison,
        labels(),
        result_variant=result,
        training=answers["training"] or [],
        profile=profile,
    )
    previous = tracker.get_slot(SLOT_AD_FIT) if after_result else None
    unchecked = job_ad.has_unchecked(analysis)
    if previous == comparison.fit:
        dispatcher.utter_message(text=job_ad.fit_line(comparison.fit, False, unchecked))
    else:
        if previous:
            dispatcher.utter_message(text=job_ad.fit_line(comparison.fit, True, unchecked))
        dispatcher.utter_message(text=text)
    # The ad stays on file: a changed answer gives a new result, and the comparison
    # follows it again (data/rules/job_ad.yml).
    return [SlotSet(SLOT_AD_FIT, comparison.fit), SlotSet(PENDING_SLOT, True)]


class ActionCheckJobAd(Action):
    """Reads a pasted ad: variant, requirements and, with quiz answers, the fit."""

    def name(self) -> Text:
        """Action name."""
        return "action_check_job_ad"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answers the ad, or asks for it when the message only asks for a check."""
        text = _user_text(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        is_ad = job_ad.looks_like_ad(text)
        if intent == ASK_INTENT and not is_ad:
            requirements = tracker.get_slot(SLOT_AD_REQUIREMENTS)
            if isinstance(requirements, dict) and job_ad.has_answers(_answers(tracker)):
                # "Und passt die Anzeige jetzt?": the ad on file, compared again, and
                # the way to check another one (visit7 #3).
                on_file = _analysis_on_file(tracker, requirements)
                compared = _compare(dispatcher, tracker, on_file, requirements)
                dispatcher.utter_message(text=job_ad.text("ask_for_other_ad"))
                return compared
            dispatcher.utter_message(text=job_ad.text("ask_for_ad"))
            return []
        analysis = job_ad.default_checker().analyse(text)
        if not is_ad and not (analysis.tasks or analysis.training or analysis.languages):
            dispatcher.utter_message(text=job_ad.text("not_an_ad"))
            return []
        requirements = analysis.requirements()
        compare_now = job_ad.has_answers(_answers(tracker))
        # The comparison names what the quiz does not ask about; the list need not too.
        dispatcher.utter_message(
            text=job_ad.render_analysis(analysis, labels(), further=not compare_now)
        )
        events: List[EventType] = [
            SlotSet(SLOT_AD_VARIANT, analysis.variant),
            SlotSet(SLOT_AD_REQUIREMENTS, requirements),
        ]
        if compare_now:
            return events + _compare(dispatcher, tracker, analysis, requirements)
        if tracker.active_loop_name == FORM_NAME:
            dispatcher.utter_message(text=job_ad.text("compare_after_quiz"))
        else:
            dispatcher.utter_message(
                text=job_ad.text("offer_quiz"),
                buttons=[{"title": job_ad.text("offer_quiz_button"), "payload": "/start_quiz"}],
            )
        return events + [SlotSet(SLOT_AD_FIT, None), SlotSet(PENDING_SLOT, True)]


class ActionCompareJobAd(Action):
    """After a quiz result: compares the ad on file (pasted before the answers, or
    compared before and the answers changed).
    """

    def name(self) -> Text:
        """Action name."""
        return "action_compare_job_ad"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the comparison when an ad waits for it and the answers exist, then the
        result's feedback question (action_recommend_variant left it for the end).
        """
        requirements = tracker.get_slot(SLOT_AD_REQUIREMENTS)
        if not comparison_follows(tracker) or not isinstance(requirements, dict):
            return []
        events: List[EventType] = []
        if job_ad.has_answers(_answers(tracker)):
            analysis = _analysis_on_file(tracker, requirements)
            events = _compare(dispatcher, tracker, analysis, requirements, after_result=True)
        if tracker.get_slot("recommended_variant"):
            dispatcher.utter_message(response=FEEDBACK_RESPONSE)
        return events


class ActionAnswerFitQuestion(Action):
    """The fit question ("Passt diese Stelle zu mir?") outside the quiz: with an ad on
    file and the quiz answers, the comparison again (visitor finding #4: it got the offer
    to start the quiz the visitor had just finished); else the offer to start the quiz.
    """

    def name(self) -> Text:
        """Action name."""
        return "action_answer_fit_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Compares the ad on file, or offers the quiz; when the same message gave quiz
        answers ("bin Bürokauffrau, Englisch B2, organisiere gern – was passt zu mir?"),
        the form takes them and goes on (the result, when all three are given).
        """
        from actions.actions import FORM_NAME, TURN_SLOT, _message_id  # (import cycle)
        from career_quiz import turns

        requirements = tracker.get_slot(SLOT_AD_REQUIREMENTS)
        if isinstance(requirements, dict) and job_ad.has_answers(_answers(tracker)):
            analysis = _analysis_on_file(tracker, requirements)
            return _compare(dispatcher, tracker, analysis, requirements)
        if turns.answers_beside_question(tracker.get_slot(TURN_SLOT), _message_id(tracker)):
            return [FollowupAction(FORM_NAME)]
        if tracker.get_slot(RESULT_SLOT):
            # "Nochmal kurz: was passt zu mir?" after the result: the result, not the
            # offer to start the quiz just finished.
            return [FollowupAction(RECAP_ACTION)]
        dispatcher.utter_message(response=ASK_FIT_RESPONSE)
        return []
