"""Cached validation of action-server responses in the Rasa server (opt-in per endpoint).

Rasa 3.6 checks every action-server response with `jsonschema.validate(result,
schema)`, which first validates the *schema itself* against its meta-schema, on every
custom-action call; docs/benchmarks.md has the measured cost. Here the validator is
built once per schema (keyed on the schema's canonical JSON), and every response is
still validated in full, raising the same `ValidationError` with the same message as
Rasa.

* `install()` replaces `RemoteAction._validate_action_result`; rasa_addons/patches.py
  calls it (only on the Rasa version it was written for), and importing this module
  changes nothing.
* The replacement uses the cache only for an action endpoint that asks for it in
  endpoints.yml (Rasa hands unknown `action_endpoint` keys to `EndpointConfig.kwargs`,
  as it does for its own `enable_selective_domain`)::

      action_endpoint:
        url: ...
        cache_response_validation: true

  Every other endpoint gets Rasa's own validation. QUIZ_RASA_SPEEDUPS=0 turns the cache
  off without editing the file (the benchmark's `no-speedups` experiment).
* It logs one line the first time the cache is used.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Dict, Text

from career_quiz import settings

logger = logging.getLogger(__name__)

ENDPOINT_KEY = "cache_response_validation"
_MARK = "quiz_cached_validation"

_validators: Dict[str, Any] = {}
_announced = False


def requested_by(endpoint: Any) -> bool:
    """Whether this action endpoint asks for the cache (endpoints.yml) and it is not off."""
    kwargs = getattr(endpoint, "kwargs", None) or {}
    return settings.parse_flag(kwargs.get(ENDPOINT_KEY), False) and (
        settings.response_validation_cache()
    )


def cached_validator(schema: Dict[Text, Any]) -> Any:
    """A checked jsonschema validator for `schema`, built once per distinct schema."""
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _validators.get(key)
    if validator is None:
        from jsonschema.validators import validator_for

        cls = validator_for(schema)
        cls.check_schema(schema)
        validator = _validators[key] = cls(schema)
    return validator


def _announce() -> None:
    global _announced
    if not _announced:
        _announced = True
        logger.info(
            "Action-server responses are validated with a cached schema validator "
            f"(rasa_addons/response_validation_cache.py; endpoints.yml {ENDPOINT_KEY}: true)"
        )


def installed() -> bool:
    """Whether Rasa's response validation is currently the project's replacement."""
    from rasa.core.actions.action import RemoteAction

    return bool(getattr(RemoteAction._validate_action_result, _MARK, False))


def install() -> bool:
    """Replaces Rasa's response validation once (idempotent; rasa_addons/patches.py
    checks the Rasa version first). Returns True.
    """
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if installed():
        return True
    stock: Callable[[Any, Dict[Text, Any]], bool] = RemoteAction._validate_action_result

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        if not requested_by(self.action_endpoint):
            return stock(self, result)
        _announce()
        try:
            cached_validator(self.action_response_format_spec()).validate(result)
            return True
        except ValidationError as e:
            e.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    setattr(_validate_action_result, _MARK, True)
    _validate_action_result.stock = stock  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result
    return True


def uninstall() -> None:
    """Puts Rasa's own validation back (tests)."""
    from rasa.core.actions.action import RemoteAction

    if installed():
        RemoteAction._validate_action_result = RemoteAction._validate_action_result.stock
