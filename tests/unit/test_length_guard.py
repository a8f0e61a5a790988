"""rasa_addons/length_guard.py: the NLU components for over-long messages."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from rasa_addons.length_guard import MessageLengthGuard, TruncateLongMessages


def test_long_messages_become_out_of_scope():
    guard = MessageLengthGuard({"max_chars": 10, "intent": "out_of_scope"})
    long = Message(
        data={
            "text": "x" * 11,
            "intent": {"name": "affirm", "confidence": 0.9},
            "entities": [{"entity": "level", "value": "gut"}],
        }
    )
    short = Message(data={"text": "ja", "intent": {"name": "affirm", "confidence": 0.9}})
    guard.process([long, short])
    assert long.get("intent") == {"name": "out_of_scope", "confidence": 1.0}
    assert long.get("entities") == []
    assert short.get("intent")["name"] == "affirm"


def test_every_message_the_channels_accept_reaches_the_nlu_uncut():
    # The limit is far above any answer: the pipeline (config.yml, or the components'
    # default) cuts nothing the channels let through (career_quiz/input_checks.py).
    import yaml

    from career_quiz.input_checks import MAX_MESSAGE_CHARS
    from tests.helpers import ROOT

    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    components = {
        "TruncateLongMessages": TruncateLongMessages,
        "MessageLengthGuard": MessageLengthGuard,
    }
    configured = {
        step["name"].rsplit(".", 1)[1]: step
        for step in pipeline
        if step["name"].startswith("rasa_addons.length_guard.")
    }
    assert set(configured) == set(components)
    text = ("Bankkauffrau " * MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS]  # the longest accepted
    for name, cls in components.items():
        for config in ({**cls.get_default_config(), **configured[name]}, cls.get_default_config()):
            accepted = Message(data={"text": text, "intent": {"name": "inform", "confidence": 0.9}})
            cls(config).process([accepted])
            assert accepted.get("text") == text, (name, config)
            assert accepted.get("intent")["name"] == "inform", (name, config)


def test_long_messages_are_cut_first_and_marked():
    config = {"max_chars": 10, "intent": "out_of_scope"}
    long = Message(data={"text": "a-" * 50_000})
    TruncateLongMessages(config).process([long])
    assert long.get("text") == "a-a-a-a-a-"
    MessageLengthGuard(config).process([long])
    assert long.get("intent")["name"] == "out_of_scope"
