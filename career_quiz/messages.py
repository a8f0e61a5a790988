"""German messages that custom actions send, read from data/knowledge/texts.yml.

Plain Python (no rasa_sdk). Returns keyword arguments for
`dispatcher.utter_message(**message(...))`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from career_quiz import settings


def _texts_file(path: Optional[Path] = None) -> Dict[str, Any]:
    path = path or settings.knowledge_dir() / "texts.yml"
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_messages(path: Optional[Path] = None) -> Dict[str, Dict[str, Any]]:
    """Reads texts.yml; every entry needs a text, buttons need title and payload."""
    messages = _texts_file(path)["messages"]
    for key, entry in messages.items():
        if not entry.get("text"):
            raise ValueError(f"texts.yml: message {key!r} has no text")
        for button in entry.get("buttons", []):
            if not button.get("title") or not button.get("payload"):
                raise ValueError(f"texts.yml: a button of {key!r} lacks title or payload")
    return messages


@lru_cache(maxsize=1)
def _messages() -> Dict[str, Dict[str, Any]]:
    return load_messages()


def message(key: str) -> Dict[str, Any]:
    """`text` and, if any, `buttons` of one message, ready for utter_message."""
    entry = _messages()[key]
    result: Dict[str, Any] = {"text": entry["text"]}
    if entry.get("buttons"):
        result["buttons"] = [dict(b) for b in entry["buttons"]]
    return result


@lru_cache(maxsize=1)
def notes() -> Dict[str, str]:
    """Templates of the short confirmation after each answer (texts.yml `notes`)."""
    return dict(_texts_file()["notes"])


@lru_cache(maxsize=1)
def service_texts() -> Dict[str, str]:
    """What the Rasa server's channels answer themselves (texts.yml `service`)."""
    return {key: " ".join(str(text).split()) for key, text in _texts_file()["service"].items()}


@lru_cache(maxsize=1)
def labels() -> Dict[str, Dict[str, str]]:
    """German names of canonical values (texts.yml `labels`: training, levels, languages, task)."""
    return {group: dict(values) for group, values in _texts_file()["labels"].items()}
