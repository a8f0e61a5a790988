"""German text that Python puts together at run time (data/knowledge/texts.yml, labels.yml).

Plain Python (no rasa_sdk). Messages the bot sends as a whole are domain responses
(domain/messages.yml, domain/service.yml), which the actions name with
`dispatcher.utter_message(response="utter_...")` and Rasa fills in; what is left here
are the pieces of the confirmation line and the German names of the answer values.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from career_quiz import settings


def _knowledge_file(name: str, path: Optional[Path] = None) -> Dict[str, Any]:
    path = path or settings.knowledge_dir() / name
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def notes() -> Dict[str, str]:
    """Templates of the short confirmation after each answer (texts.yml `notes`)."""
    return {key: str(text) for key, text in _knowledge_file("texts.yml")["notes"].items()}


def load_labels(path: Optional[Path] = None) -> Dict[str, Dict[str, str]]:
    """Reads labels.yml: German names of canonical values (training, levels, languages, task)."""
    return {
        group: {str(key): str(name) for key, name in values.items()}
        for group, values in _knowledge_file("labels.yml", path).items()
    }


@lru_cache(maxsize=1)
def labels() -> Dict[str, Dict[str, str]]:
    """The project's labels.yml, read once per process on first use."""
    return load_labels()
