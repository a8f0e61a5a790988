"""rasa_addons/response_validation_cache.py: cached validation of action-server responses
(installed through rasa_addons/patches.py: tests/unit/test_patches.py).
"""

from __future__ import annotations

import logging

import pytest

from rasa_addons import response_validation_cache as cache

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
    cache.uninstall()
    yield
    cache.uninstall()


def _remote_action(**endpoint_keys):
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    return RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook", **endpoint_keys))


def test_install_and_uninstall(stock_validation):
    assert not cache.installed()
    assert cache.install() is True
    assert cache.install() is True
    assert cache.installed()
    cache.uninstall()
    assert not cache.installed()


@pytest.mark.parametrize("result", VALID_RESPONSES)
def test_cached_validator_accepts_what_rasa_accepts(stock_validation, result):
    cache.install()
    assert _stock_accepts(result)
    assert _remote_action(cache_response_validation=True)._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID_RESPONSES)
def test_cached_validator_rejects_what_rasa_rejects(stock_validation, result):
    from jsonschema import ValidationError

    cache.install()
    assert not _stock_accepts(result)
    for action in (_remote_action(cache_response_validation=True), _remote_action()):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(result)


def test_only_an_endpoint_that_asks_gets_the_cache(stock_validation, monkeypatch, caplog):
    cache.install()
    monkeypatch.setattr(cache, "_validators", {})
    monkeypatch.setattr(cache, "_announced", False)
    monkeypatch.delenv("QUIZ_RASA_SPEEDUPS", raising=False)
    _remote_action()._validate_action_result({"events": []})
    _remote_action(cache_response_validation=False)._validate_action_result({"events": []})
    assert cache._validators == {}
    with caplog.at_level(logging.INFO, logger=cache.__name__):
        for _ in range(3):
            _remote_action(cache_response_validation=True)._validate_action_result({})
    assert len(cache._validators) == 1
    assert caplog.text.count("cached schema validator") == 1
    monkeypatch.setenv("QUIZ_RASA_SPEEDUPS", "0")
    monkeypatch.setattr(cache, "_validators", {})
    _remote_action(cache_response_validation=True)._validate_action_result({})
    assert cache._validators == {}


def test_the_cache_is_keyed_on_the_schema():
    from jsonschema import ValidationError

    numbers = {"type": "object", "properties": {"x": {"type": "number"}}}
    texts = {"type": "object", "properties": {"x": {"type": "string"}}}
    cache.cached_validator(numbers).validate({"x": 1})
    with pytest.raises(ValidationError):
        cache.cached_validator(texts).validate({"x": 1})
    assert cache.cached_validator(dict(numbers)) is cache.cached_validator(numbers)


def test_both_endpoint_files_ask_for_the_cache():
    import yaml

    from tests.helpers import ROOT

    for name in ("endpoints.yml", "endpoints.scaled.yml"):
        config = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
        assert config["action_endpoint"][cache.ENDPOINT_KEY] is True, name
