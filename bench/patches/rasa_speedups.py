"""PROPOSED for rasa_addons/speedups.py (imported from rasa_addons/__init__.py).

Used by the benchmark experiments only (through bench/patches/sitecustomize.py);
the project code does not import this file.

Rasa 3.6 validates every action-server response with `jsonschema.validate(result,
schema)`. With jsonschema 4.17 (the newest Rasa 3.6 allows) that call first checks
the *schema itself* against the draft 2020-12 meta-schema, about 30 ms of CPU on
these machines, for every custom-action call; the quiz makes two to four such
calls per user message. This patch checks the schema once and keeps the
validator; each response is still validated in full (about 1 ms).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

_VALIDATOR: Optional[Any] = None


def apply() -> None:
    """Replaces RemoteAction._validate_action_result with a cached-validator version."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "_cached_validator", False):
        return

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        global _VALIDATOR
        if _VALIDATOR is None:
            schema = self.action_response_format_spec()
            cls = validator_for(schema)
            cls.check_schema(schema)
            _VALIDATOR = cls(schema)
        try:
            _VALIDATOR.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    _validate_action_result._cached_validator = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
