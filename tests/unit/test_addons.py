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


@pytest.fixture
def stock_validation():
    """Rasa's own response validation before and after the test (install() is global)."""
    from rasa_addons import speedups

    speedups.uninstall()
    yield
    speedups.uninstall()


def _remote_action(**endpoint_keys):
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    return RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook", **endpoint_keys))


def test_the_speedup_was_written_for_this_rasa():
    import rasa

    from rasa_addons import speedups

    # On a Rasa upgrade: re-read RemoteAction._validate_action_result, adapt
    # rasa_addons/speedups.py, then change WRITTEN_FOR.
    assert rasa.__version__ == speedups.WRITTEN_FOR


def test_importing_rasa_addons_changes_nothing_in_rasa(stock_validation):
    import importlib

    import rasa_addons
    from rasa_addons import rest_channel, socketio_channel, speedups

    for module in (rasa_addons, speedups, rest_channel, socketio_channel):
        importlib.reload(module)
    assert not speedups.installed()


def test_building_the_channels_installs_it(stock_validation):
    from rasa_addons import speedups
    from rasa_addons.rest_channel import SafeRestInput

    SafeRestInput().blueprint(lambda message: None)
    assert speedups.installed()


def test_another_rasa_version_is_left_alone(stock_validation, monkeypatch, caplog):
    import rasa

    from rasa_addons import speedups

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert speedups.install() is False
    assert not speedups.installed()
    assert "this is Rasa 3.7.0" in caplog.text


@pytest.mark.parametrize("result", VALID_RESPONSES)
def test_cached_validator_accepts_what_rasa_accepts(stock_validation, result):
    from rasa_addons import speedups

    speedups.install()
    assert _stock_accepts(result)
    assert _remote_action(cache_response_validation=True)._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID_RESPONSES)
def test_cached_validator_rejects_what_rasa_rejects(stock_validation, result):
    from jsonschema import ValidationError

    from rasa_addons import speedups

    speedups.install()
    assert not _stock_accepts(result)
    for action in (_remote_action(cache_response_validation=True), _remote_action()):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(result)


def test_only_an_endpoint_that_asks_gets_the_cache(stock_validation, monkeypatch, caplog):
    import logging

    from rasa_addons import speedups

    speedups.install()
    monkeypatch.setattr(speedups, "_validators", {})
    monkeypatch.setattr(speedups, "_announced", False)
    _remote_action()._validate_action_result({"events": []})
    _remote_action(cache_response_validation=False)._validate_action_result({"events": []})
    assert speedups._validators == {}
    with caplog.at_level(logging.INFO, logger="rasa_addons.speedups"):
        for _ in range(3):
            _remote_action(cache_response_validation=True)._validate_action_result({})
    assert len(speedups._validators) == 1
    assert caplog.text.count("cached schema validator") == 1
    monkeypatch.setenv("QUIZ_RASA_SPEEDUPS", "0")
    monkeypatch.setattr(speedups, "_validators", {})
    _remote_action(cache_response_validation=True)._validate_action_result({})
    assert speedups._validators == {}


def test_the_cache_is_keyed_on_the_schema():
    from jsonschema import ValidationError

    from rasa_addons.speedups import cached_validator

    numbers = {"type": "object", "properties": {"x": {"type": "number"}}}
    texts = {"type": "object", "properties": {"x": {"type": "string"}}}
    cached_validator(numbers).validate({"x": 1})
    with pytest.raises(ValidationError):
        cached_validator(texts).validate({"x": 1})
    assert cached_validator(dict(numbers)) is cached_validator(numbers)


def test_both_endpoint_files_ask_for_the_cache():
    import yaml

    from rasa_addons.speedups import ENDPOINT_KEY
    from tests.helpers import ROOT

    for name in ("endpoints.yml", "endpoints.scaled.yml"):
        config = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
        assert config["action_endpoint"][ENDPOINT_KEY] is True, name
