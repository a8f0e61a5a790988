"""Rasa-side extensions: the message length guard."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from rasa_addons.length_guard import MessageLengthGuard, TruncateLongMessages


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


def test_long_messages_are_cut_first_and_marked():
    config = {"max_chars": 10, "intent": "out_of_scope"}
    long = Message(data={"text": "a-" * 50_000})
    TruncateLongMessages(config).process([long])
    assert long.get("text") == "a-a-a-a-a-"
    MessageLengthGuard(config).process([long])
    assert long.get("intent")["name"] == "out_of_scope"


def test_lookup_regexes_are_anchored_at_word_boundaries():
    # Rasa adds no \b to NLU regexes; unanchored, a pattern starting with a
    # character class is tried at every position of the text.
    from actions.lexicon import load_lexicon, nlu_lookup_data

    regexes = [e for e in nlu_lookup_data(load_lexicon())["nlu"] if "regex" in e]
    assert {e["regex"] for e in regexes} >= {"training_pattern", "language_pattern"}
    for entry in regexes:
        pattern = entry["examples"].strip()[2:]
        assert pattern.startswith(r"\b(?:") and pattern.endswith(r")\b"), entry["regex"]
