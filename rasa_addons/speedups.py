"""Cached validation of action-server responses in the Rasa server.

Rasa 3.6 checks every action-server response with `jsonschema.validate(result,
schema)`. With jsonschema 4.17 (the newest release Rasa 3.6 allows) that call first
validates the *schema itself* against the draft 2020-12 meta-schema: about 30 ms of
CPU on a 2-core machine for every custom-action call, and the quiz makes two to four
such calls per user message (measured with py-spy: two thirds of the Rasa server's
CPU time; docs/benchmarks.md).

`apply()` replaces `RemoteAction._validate_action_result` with a version that checks
the schema once and keeps the validator. Every response is still validated in full
against the same schema and raises the same `ValidationError` with the same message.
Set QUIZ_RASA_SPEEDUPS=0 to run stock Rasa (the benchmark compares both).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Text

ENV_SWITCH = "QUIZ_RASA_SPEEDUPS"

_validator: Optional[Any] = None


def enabled() -> bool:
    """False when QUIZ_RASA_SPEEDUPS is set to 0/false/no/off."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in {"0", "false", "no", "off"}


def _cached_validator(schema: Dict[Text, Any]) -> Any:
    global _validator
    if _validator is None:
        from jsonschema.validators import validator_for

        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def apply() -> bool:
    """Patches Rasa's action-response validation once; returns whether it is active."""
    if not enabled():
        return False
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "cached_validator", False):
        return True

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            _cached_validator(self.action_response_format_spec()).validate(result)
            return True
        except ValidationError as e:
            e.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    _validate_action_result.cached_validator = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result
    return True
