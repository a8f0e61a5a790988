"""Rasa SDK glue for "Meine Daten löschen" (logic: career_quiz/erasure.py)."""

from __future__ import annotations

import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from career_quiz import erasure

logger = logging.getLogger(__name__)


class ActionEraseData(Action):
    """Deletes the conversation's stored data once the visitor confirmed it.

    Without the confirmation question right before (a typed "Ja, löschen" out of the
    blue), it asks first. After deleting it sets `data_erased`, so the tracker store
    keeps only a fresh session start of this conversation (rasa_addons/tracker_store.py).
    """

    def name(self) -> Text:
        """Action name."""
        return "action_erase_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Asks, or deletes and confirms."""
        if not erasure.confirmation_was_asked(tracker.events):
            dispatcher.utter_message(response=erasure.CONFIRM_RESPONSE)
            return []
        try:
            erasure.erase_conversation(tracker.sender_id, erasure.configured_stores())
        except Exception as error:  # a store is down: say so, keep the conversation
            logger.error("Erasure failed (%s); the visitor is asked to retry", type(error).__name__)
            dispatcher.utter_message(response="utter_erase_data_failed")
            return []
        dispatcher.utter_message(response="utter_erase_data_done")
        return [ActiveLoop(None), SlotSet(erasure.ERASED_SLOT, True)]
