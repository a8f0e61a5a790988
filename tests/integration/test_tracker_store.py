"""rasa_addons/tracker_store.py on SQLite and PostgreSQL, against Rasa's own SQL store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons.tracker_store import INDEXES, IndexedSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, inform]
slots:
  training:
    type: any
    mappings: [{type: custom}]
""")


@pytest.fixture
def store_url(database_url):
    yield database_url
    engine = sa.create_engine(database_url)
    SQLTrackerStore.Base.metadata.drop_all(engine)
    engine.dispose()


def session_events(number: int, start: float):
    """One session: start, a user message, a slot, a bot reply (timestamps ascending)."""
    return [
        SessionStarted(timestamp=start),
        ActionExecuted("action_listen", timestamp=start + 0.1),
        UserUttered(
            f"Nachricht {number}", {"name": "inform", "confidence": 1.0}, timestamp=start + 0.2
        ),
        SlotSet("training", [f"t{number}"], timestamp=start + 0.3),
        BotUttered(f"Antwort {number}", timestamp=start + 0.4),
    ]


async def save_sessions(store, sender: str, sessions: int) -> None:
    """Saves the conversation one session at a time, as Rasa does message by message."""
    for number in range(sessions):
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
        for event in session_events(number, 1000.0 + number):
            tracker.update(event)
        await store.save(tracker)


def texts(tracker: DialogueStateTracker):
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


async def test_latest_session_only_and_the_same_as_rasa(store_url):
    ours = IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)
    await save_sessions(ours, "alice", 4)
    await save_sessions(ours, "bob", 2)
    rasa = SQLTrackerStore(domain=DOMAIN, host=store_url)

    latest = await ours.retrieve("alice")
    assert texts(latest) == ["Nachricht 3", "Antwort 3"]
    assert latest.get_slot("training") == ["t3"]
    assert [e.as_dict() for e in latest.events] == [
        e.as_dict() for e in (await rasa.retrieve("alice")).events
    ]

    full = await ours.retrieve_full_tracker("alice")
    assert len(full.events) == 4 * 5
    assert texts(await ours.retrieve("bob")) == ["Nachricht 1", "Antwort 1"]


async def test_saving_again_adds_only_new_events(store_url):
    store = IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)
    await save_sessions(store, "carol", 2)
    tracker = await store.retrieve("carol")  # as Rasa does for every message
    await store.save(tracker)  # nothing new: nothing added
    tracker.update(UserUttered("noch eine", {"name": "greet", "confidence": 1.0}, timestamp=2000.0))
    await store.save(tracker)
    assert len((await store.retrieve_full_tracker("carol")).events) == 2 * 5 + 1
    assert texts(await store.retrieve("carol"))[-1] == "noch eine"


async def test_a_conversation_without_session_start_is_read_whole(store_url):
    store = IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)
    tracker = DialogueStateTracker("dave", DOMAIN.slots)
    tracker.update(UserUttered("hallo", {"name": "greet", "confidence": 1.0}, timestamp=5.0))
    await store.save(tracker)
    assert texts(await store.retrieve("dave")) == ["hallo"]
    assert await store.retrieve("nobody") is None


def test_indexes_exist_on_rasas_table_also_when_it_was_there_before(store_url):
    SQLTrackerStore(domain=DOMAIN, host=store_url)  # Rasa's store creates the table alone
    IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)
    IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)  # idempotent
    engine = sa.create_engine(store_url)
    names = {index["name"] for index in sa.inspect(engine).get_indexes("events")}
    engine.dispose()
    assert set(INDEXES) <= names


def test_sqlite_reads_the_latest_session_through_an_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = IndexedSQLTrackerStore(domain=DOMAIN, host=url)
    with store.session_scope() as session:
        query = store._event_query(session, "alice", fetch_events_from_all_sessions=False)
        sql = str(query.statement.compile(store.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row) for row in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
    assert " OR " not in sql.upper()
    assert "USING INDEX ix_events_sender" in plan


def test_sqlite_keeps_one_connection_in_wal_mode(tmp_path):
    store = IndexedSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    with store.session_scope() as session:
        first = session.connection().connection.dbapi_connection
        assert session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    with store.session_scope() as session:
        assert session.connection().connection.dbapi_connection is first


def test_endpoints_and_live_tests_use_this_store():
    import yaml

    from devtools.stack import ROOT, TRACKER_STORE

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == TRACKER_STORE
    assert TRACKER_STORE == f"{IndexedSQLTrackerStore.__module__}.IndexedSQLTrackerStore"


def test_the_store_was_written_for_this_rasa():
    import rasa

    # IndexedSQLTrackerStore overrides SQLTrackerStore._event_query of Rasa 3.6.21: on an
    # upgrade, compare it with Rasa's new query before changing this version.
    assert rasa.__version__ == "3.6.21"


async def test_a_read_is_one_statement(store_url):
    """Loading the latest session and counting it before a save each take one SELECT
    (one round trip to PostgreSQL), not a session-start look-up plus the read.
    """
    store = IndexedSQLTrackerStore(domain=DOMAIN, host=store_url)
    await save_sessions(store, "erin", 2)
    selects = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", record)
    tracker = await store.retrieve("erin")
    assert len(selects) == 1, selects
    assert texts(tracker) == ["Nachricht 1", "Antwort 1"]
    tracker.update(UserUttered("neu", {"name": "greet", "confidence": 1.0}, timestamp=3000.0))
    await store.save(tracker)
    assert len(selects) == 2, selects
    assert texts(await store.retrieve("erin"))[-1] == "neu"
