"""The "Meine Daten löschen" action (actions/privacy.py): it asks unless the question came
right before, deletes through career_quiz/erasure.py (faked here), and reports a failed
deletion without ending the conversation. Deleting for real: tests/integration/.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import ActionEraseData
from career_quiz import erasure
from tests.helpers import make_tracker

STORES = object()  # stands for the configured stores; the fake checks it is passed on


def _events(asked: bool) -> list:
    return [
        {"event": "action", "name": "utter_erase_data_confirm" if asked else "utter_greet"},
        {"event": "bot", "text": "..."},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "Ja, löschen"},
    ]


@pytest.fixture
def erased(monkeypatch):
    """Records the conversations the action erases, instead of touching any store."""
    calls: list = []

    def erase(sender_id, stores):
        assert stores is STORES
        calls.append(sender_id)

    monkeypatch.setattr(erasure, "configured_stores", lambda: STORES)
    monkeypatch.setattr(erasure, "erase_conversation", erase)
    return calls


def run(asked: bool, sender_id: str = "visitor-1"):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=_events(asked), sender_id=sender_id, intent="erase_data")
    events = asyncio.run(ActionEraseData().run(dispatcher, tracker, {}))
    return [m["response"] for m in dispatcher.messages], events


def test_the_action_is_named_as_in_the_domain():
    assert ActionEraseData().name() == "action_erase_data"


def test_without_the_question_right_before_it_asks_first(erased):
    assert run(asked=False) == (["utter_erase_data_confirm"], [])
    assert erased == []


def test_after_the_question_it_deletes_confirms_and_marks_the_conversation(erased):
    responses, events = run(asked=True, sender_id="visitor-1")
    assert erased == ["visitor-1"]
    assert responses == ["utter_erase_data_done"]
    assert events == [ActiveLoop(None), SlotSet(erasure.ERASED_SLOT, True)]


def test_a_failed_deletion_is_reported_and_keeps_the_conversation(monkeypatch, caplog):
    def store_down(sender_id, stores):
        raise ConnectionError(f"no route to the store for {sender_id}")

    monkeypatch.setattr(erasure, "configured_stores", lambda: STORES)
    monkeypatch.setattr(erasure, "erase_conversation", store_down)
    with caplog.at_level(logging.ERROR, logger="actions.privacy"):
        assert run(asked=True, sender_id="visitor-secret") == (["utter_erase_data_failed"], [])
    assert "ConnectionError" in caplog.text
    assert "visitor-secret" not in caplog.text  # the log names no conversation
