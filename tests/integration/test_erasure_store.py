"""The tracker store after "Meine Daten löschen" (rasa_addons/tracker_store.py), on SQLite
and PostgreSQL: Rasa saves the erasing turn's tracker after action_erase_data has deleted
the stored events; what is stored then is a fresh session start and nothing else.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from career_quiz.erasure import ERASED_SLOT, delete_tracker_events
from rasa_addons.tracker_store import IndexedSQLTrackerStore

DOMAIN = Domain.from_yaml(f"""
version: "3.1"
intents: [inform, erase_data_confirm]
slots:
  training:
    type: any
    mappings: [{{type: custom}}]
  {ERASED_SLOT}:
    type: bool
    influence_conversation: false
    mappings: [{{type: custom}}]
""")


@pytest.fixture
def store_url(database_url):
    yield database_url
    engine = sa.create_engine(database_url)
    SQLTrackerStore.Base.metadata.drop_all(engine)
    engine.dispose()


def _rows(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT sender_id, type_name, data FROM events ORDER BY id")
        ).all()
    engine.dispose()
    return rows


async def test_the_erasing_turn_stores_only_a_fresh_session_start(store_url):
    store = IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)
    for sender in ("alice", "bob"):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        for event in [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("Ich bin Bankkauffrau", {"name": "inform", "confidence": 1.0}),
            SlotSet("training", ["bank_insurance"]),
            BotUttered("Notiert: Bankkauffrau"),
        ]:
            tracker.update(event)
        await store.save(tracker)
    # The erasing turn as Rasa runs it: retrieve, the user's confirmation, the action
    # deletes the stored events and sets the slot, the bot confirms, then save.
    tracker = await store.retrieve("alice")
    tracker.update(
        UserUttered("Ja, Daten löschen", {"name": "erase_data_confirm", "confidence": 1.0})
    )
    tracker.update(ActionExecuted("action_erase_data"))
    assert delete_tracker_events(store_url, "alice") == 6
    tracker.update(BotUttered("Erledigt: Ich habe alle Daten dieses Gesprächs gelöscht"))
    tracker.update(SlotSet(ERASED_SLOT, True))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    await store.save(tracker)  # Rasa may save once more: still nothing old

    rows = _rows(store_url)
    alice = [(kind, data) for sender, kind, data in rows if sender == "alice"]
    assert [kind for kind, _ in alice] == ["action", "session_started", "action"]
    assert not [
        d for _, d in alice if "Bankkauffrau" in d or "löschen" in d or "bank_insurance" in d
    ]
    assert sum(sender == "bob" for sender, _, _ in rows) == 6
    # The next message continues a fresh session with no slots of the old one.
    fresh = await store.retrieve("alice")
    assert fresh.get_slot("training") is None and fresh.get_slot(ERASED_SLOT) is None
    assert (await store.retrieve("bob")).get_slot("training") == ["bank_insurance"]
