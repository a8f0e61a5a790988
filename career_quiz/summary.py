"""The short line that says what the bot took from an answer ("Notiert: ...").

Plain Python (no rasa_sdk). A wrong value that goes unnoticed spoils the result,
so after every answer the user sees, in one line, what was stored; after a
correction the line says what changed. The pieces come from data/knowledge/texts.yml
(`notes`), the names of the values from data/knowledge/labels.yml.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from career_quiz.contract import QUIZ_SLOTS, SLOT_LANGUAGES, SLOT_TRAINING
from career_quiz.messages import labels, notes
from career_quiz.parsing import ParsedAnswers


def _training_items(values: List[str], texts: Dict[str, str]) -> List[str]:
    names = labels()["training"]
    if not values:
        return [notes()["training_unknown"]]
    items = []
    for value in values:
        text = texts.get(value)
        if text and text.lower() != names[value].lower() and value != "none":
            items.append(notes()["training_item"].format(text=text, label=names[value]))
        else:
            items.append(names[value])
    return items


def language_items(entries: Iterable[str]) -> List[str]:
    """German names ("Englisch fließend") of "en:fluent" entries, in the given order."""
    names, levels = labels()["languages"], labels()["levels"]
    items = []
    for entry in entries:
        code, _, level = entry.partition(":")
        items.append(f"{names.get(code, code)} {levels.get(level, level)}")
    return items


def _slot_items(slot: str, value: Any, parsed: Optional[ParsedAnswers], skipped: bool) -> List[str]:
    if slot == SLOT_TRAINING:
        if skipped:
            return [notes()["training_skipped"]]
        return _training_items(list(value or []), parsed.training_texts if parsed else {})
    if slot == SLOT_LANGUAGES:
        if skipped:
            return [notes()["languages_skipped"]]
        return language_items(value) if value else [notes()["languages_none"]]
    if skipped:
        return [notes()["task_skipped"]]
    return [notes()["task_item"].format(label=labels()["task"][value])]


def describe_updates(
    current: Dict[str, Any],
    updates: Dict[str, Any],
    parsed: Optional[ParsedAnswers] = None,
    skipped: Iterable[str] = (),
) -> Optional[str]:
    """One line naming the stored values; "Geändert" when an answer replaced another.

    Args:
        current: the quiz slots before this message.
        updates: the slot updates this message makes (merge_answers).
        parsed: the parse, for the user's own words of a training title.
        skipped: slots the user skipped with this message.
    """
    skipped = set(skipped)
    noted, changed = [], []
    for slot in QUIZ_SLOTS:
        if slot not in updates:
            continue
        items = _slot_items(slot, updates[slot], parsed, slot in skipped)
        if current.get(slot) is not None and current.get(slot) != updates[slot]:
            changed.extend(items)
        else:
            noted.extend(items)
    lines = []
    if noted:
        lines.append(notes()["noted"].format(items="; ".join(noted)))
    if changed:
        lines.append(notes()["changed"].format(items="; ".join(changed)))
    return " ".join(lines) or None
