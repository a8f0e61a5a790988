"""Rasa-side extensions: the message length guard and the action-response validator cache."""

from __future__ import annotations

import pytest
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
    from career_quiz.lexicon import load_lexicon, nlu_lookup_data

    regexes = [e for e in nlu_lookup_data(load_lexicon())["nlu"] if "regex" in e]
    assert {e["regex"] for e in regexes} >= {"training_pattern", "language_pattern"}
    for entry in regexes:
        pattern = entry["examples"].strip()[2:]
        assert pattern.startswith(r"\b(?:") and pattern.endswith(r")\b"), entry["regex"]


# --- rasa_addons/speedups.py: cached validation of action-server responses ---

VALID_RESPONSES = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "training", "value": "apprenticeship_office"}],
        "responses": [{"text": "Danke!", "buttons": [{"title": "Ja", "payload": "/affirm"}]}],
    },
    {"events": [{"event": "active_loop", "name": None}]},
    {},
]
INVALID_RESPONSES = [
    {"events": "not a list"},
    {"events": [{"name": "no event type"}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": {"text": "not a list"}},
]


def _stock_accepts(result):
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return True
    except jsonschema.ValidationError:
        return False


def test_importing_rasa_addons_installs_the_cached_validator():
    from rasa.core.actions.action import RemoteAction

    import rasa_addons  # noqa: F401  (the import applies the patch)

    assert getattr(RemoteAction._validate_action_result, "cached_validator", False)


@pytest.mark.parametrize("result", VALID_RESPONSES)
def test_cached_validator_accepts_what_rasa_accepts(result):
    from rasa.core.actions.action import RemoteAction

    import rasa_addons  # noqa: F401

    assert _stock_accepts(result)
    assert RemoteAction("action_x", None)._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID_RESPONSES)
def test_cached_validator_rejects_what_rasa_rejects(result):
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    import rasa_addons  # noqa: F401

    assert not _stock_accepts(result)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(result)


@pytest.mark.parametrize(
    "value, expected", [(None, True), ("1", True), ("0", False), ("false", False), (" OFF ", False)]
)
def test_speedups_can_be_switched_off(monkeypatch, value, expected):
    from rasa_addons import speedups

    if value is None:
        monkeypatch.delenv(speedups.ENV_SWITCH, raising=False)
    else:
        monkeypatch.setenv(speedups.ENV_SWITCH, value)
    assert speedups.enabled() is expected
