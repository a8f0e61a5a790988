"""career_quiz/erasure.py without databases: store configuration, the confirmation check,
ages; and the greeting and privacy answer that name the retention period.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from career_quiz import erasure, settings
from devtools.stack import ROOT


def test_tracker_url_of_the_projects_endpoint_files():
    local = erasure.read_endpoints(ROOT / "endpoints.yml")["tracker_store"]
    assert erasure.tracker_url(local, Path("/srv/quiz")) == "sqlite:////srv/quiz/var/tracker.db"


def test_stores_of_the_scaled_endpoints(monkeypatch):
    """endpoints.scaled.yml: tracker and lock store from DATABASE_URL and REDIS_URL."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/quiz")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6380/3")
    scaled = erasure.read_endpoints(ROOT / "endpoints.scaled.yml")
    assert (
        erasure.tracker_url(scaled["tracker_store"]) == "postgresql://postgres@127.0.0.1:5432/quiz"
    )
    lock = erasure.lock_store(scaled["lock_store"])
    assert lock is not None and (lock.host, lock.port, lock.db) == ("127.0.0.1", 6380, 3)
    # The atomic lock store's ticket queue and counter (rasa_addons/lock_store.py).
    assert lock.keys("abc") == ["quiz:lock:q:abc", "quiz:lock:q:abc:n"]


def test_rasas_redis_lock_store_has_one_key():
    lock = erasure.lock_store({"type": "redis", "url": "localhost", "key_prefix": "quiz"})
    assert lock is not None and lock.keys("abc") == ["quiz:lock:abc"]


def test_endpoint_values_come_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "endpoints.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "tracker_store": {
                    "type": "sql",
                    "dialect": "postgresql",
                    "url": "${DB_HOST}",
                    "db": "t",
                    "username": "u",
                    "password": "${DB_PASSWORD}",
                },
                "lock_store": {"type": "redis", "url": "r", "key_prefix": "not alnum!"},
            }
        )
    )
    monkeypatch.setenv("DB_HOST", "db.example")
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    monkeypatch.setenv("RASA_ENDPOINTS", str(path))
    monkeypatch.delenv("QUIZ_TRACKER_DB_URL", raising=False)
    stores = erasure.configured_stores()
    assert stores.tracker_url == "postgresql://u:s3cret@db.example/t"
    assert stores.lock_store is not None and stores.lock_store.key("x") == "lock:x"
    monkeypatch.setenv("QUIZ_TRACKER_DB_URL", "sqlite:////tmp/other.db")
    assert erasure.configured_stores().tracker_url == "sqlite:////tmp/other.db"


def test_tracker_url_forms_that_rasa_accepts():
    kind = "rasa_addons.tracker_store.IndexedSQLTrackerStore"
    full = "postgresql://postgres@127.0.0.1:5432/quiz_x"
    assert erasure.tracker_url({"type": kind, "url": full}) == full
    with_port = {"type": "sql", "dialect": "postgresql", "url": "db.example:5433", "db": "t"}
    assert erasure.tracker_url(with_port) == "postgresql://db.example:5433/t"


def test_other_stores_are_not_sql_or_redis():
    assert erasure.tracker_url({"type": "redis"}) is None
    assert erasure.tracker_url({"type": "rasa_addons.tracker_store.IndexedSQLTrackerStore"})
    assert erasure.lock_store({"type": "in_memory"}) is None
    assert erasure.lock_store(None) is None


def _turn(bot_action: str):
    return [
        {"event": "action", "name": bot_action},
        {"event": "bot", "text": "..."},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "Ja, löschen"},
        {"event": "user_featurization"},
    ]


def test_the_question_asked_by_the_erase_action_itself_counts():
    # Visitor finding (visit7): a typed "Ja, Daten löschen" out of the blue made
    # action_erase_data ask; its button then asked again, in a loop.
    events = [
        {"event": "user", "text": "Ja, Daten löschen"},
        {"event": "action", "name": "action_erase_data"},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_erase_data_confirm"}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "/erase_data_confirm"},
    ]
    assert erasure.confirmation_was_asked(events)
    other = [dict(e) for e in events]
    other[2] = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_greet"}}
    assert not erasure.confirmation_was_asked(other)


def test_erasure_only_right_after_the_question():
    assert erasure.confirmation_was_asked(_turn("utter_erase_data_confirm"))
    assert not erasure.confirmation_was_asked(_turn("utter_greet"))
    assert not erasure.confirmation_was_asked([{"event": "user", "text": "Ja, löschen"}])
    # Asked two messages ago, then something else was said: ask again.
    older = _turn("utter_erase_data_confirm") + [
        {"event": "action", "name": "utter_fallback"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "Ja"},
    ]
    assert not erasure.confirmation_was_asked(older)


@pytest.mark.parametrize(
    "text, age",
    [("90d", timedelta(days=90)), ("12h", timedelta(hours=12)), ("30m", timedelta(minutes=30))],
)
def test_ages(text, age):
    assert erasure.parse_age(text) == age
    assert erasure.parse_age("7") == timedelta(days=7)


@pytest.mark.parametrize("text", ["", "0d", "-3d", "90 Tage", "1w"])
def test_bad_ages(text):
    with pytest.raises(ValueError):
        erasure.parse_age(text)


def test_greeting_and_privacy_answer_name_the_default_retention():
    quiz = yaml.safe_load((ROOT / "domain" / "quiz.yml").read_text(encoding="utf-8"))
    faq = yaml.safe_load((ROOT / "domain" / "faq.yml").read_text(encoding="utf-8"))
    greet = quiz["responses"]["utter_greet"][0]["text"]
    privacy = faq["responses"]["utter_faq_privacy"][0]["text"]
    days = f"{settings.DEFAULT_RETENTION_DAYS} Tage"
    assert days in greet and "(/datenschutz)" in greet
    assert days in privacy and "Text dieses Gesprächs" in privacy
    assert "Meine Daten löschen" in privacy
