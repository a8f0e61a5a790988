"""Rasa-side extensions: the message length guard."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from rasa_addons.length_guard import MessageLengthGuard


def test_long_messages_become_out_of_scope():
    guard = MessageLengthGuard({"max_chars": 10, "intent": "out_of_scope"})
    long = Message(data={"text": "x" * 11, "intent": {"name": "affirm", "confidence": 0.9},
                         "entities": [{"entity": "level", "value": "gut"}]})
    short = Message(data={"text": "ja", "intent": {"name": "affirm", "confidence": 0.9}})
    guard.process([long, short])
    assert long.get("intent") == {"name": "out_of_scope", "confidence": 1.0}
    assert long.get("entities") == []
    assert short.get("intent")["name"] == "affirm"


def test_default_limit_is_far_above_answers():
    assert MessageLengthGuard.get_default_config()["max_chars"] >= 1000
