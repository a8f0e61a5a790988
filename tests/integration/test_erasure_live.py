"""Erasure ("Meine Daten löschen") through the real servers with the tracker store and the results
on PostgreSQL (a throw-away database; the SQLite path is in test_insights_live.py): the
action server finds the tracker store in the endpoints file, the erased conversation
keeps at most a fresh session start, the other conversation is untouched.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from career_quiz.repository import hash_conversation
from devtools.databases import throwaway_postgres_database
from devtools.stack import running_stack
from tests.helpers import new_sender

pytestmark = pytest.mark.live

ANSWERS = ['/inform{"training": "office"}', '/inform{"languages": ["en:fluent"]}']


def _rows(url: str, sql: str, **params):
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).all()
    finally:
        engine.dispose()


def test_erasure_mid_quiz_on_postgresql(tmp_path):
    with throwaway_postgres_database("quiz_erase_live_") as url:
        store = "rasa_addons.tracker_store.IndexedSQLTrackerStore"
        extra = f"tracker_store:\n  type: {store}\n  url: {url}\n"
        with running_stack(tmp_path, database_url=url, endpoints_extra=extra) as stack:
            keep, erase = new_sender(), new_sender()
            for message in ["/start_quiz", *ANSWERS, '/inform{"task_preference": "projects"}']:
                assert stack.send(keep, message)
            for message in ["/start_quiz", *ANSWERS, '/inform{"task_preference": "projects"}']:
                assert stack.send(erase, message)
            # A new quiz, in the middle of it the request: the bot asks first.
            stack.send(erase, "/start_quiz")
            stack.send(erase, ANSWERS[0])
            asked = stack.send(erase, "Meine Daten löschen")
            assert "wirklich" in asked[0]["text"]
            assert [b["payload"] for b in asked[0]["buttons"]] == [
                "/erase_data_confirm",
                "/erase_data_cancel",
            ]
            done = stack.send(erase, "/erase_data_confirm")
            assert "gelöscht" in done[0]["text"]

            events = _rows(
                url, "SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id", s=erase
            )
            assert [kind for kind, _ in events] == ["action", "session_started", "action"]
            assert not [d for _, d in events if "inform" in d or "office" in d]
            salted = hash_conversation(erase, stack.hash_salt)
            dump = [str(r) for r in _rows(url, "SELECT * FROM quiz_results")]
            assert not [r for r in dump if salted in r]
            assert sum(hash_conversation(keep, stack.hash_salt) in r for r in dump) == 1
            kept = _rows(url, "SELECT count(*) FROM events WHERE sender_id = :s", s=keep)[0][0]
            assert kept > 20
            # The conversation goes on afresh: no answers of before.
            stack.send(erase, "/greet")
            slots = stack.tracker(erase)["slots"]
            assert slots["training"] is None and slots["recommended_variant"] is None
            user_texts = [
                json.loads(d).get("text")
                for k, d in _rows(
                    url, "SELECT type_name, data FROM events WHERE sender_id = :s", s=erase
                )
                if k == "user"
            ]
            assert user_texts == ["/greet"]
