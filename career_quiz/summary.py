"""The short line that says what the bot took from an answer ("Notiert: ...").

Plain Python (no rasa_sdk). A wrong value that goes unnoticed spoils the result,
so after every answer the user sees, in one line, what was stored; after a
correction the line says what changed. The pieces come from data/knowledge/texts.yml
(`notes`), the names of the values from data/knowledge/labels.yml.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional

from career_quiz.advice import spelled_out, written_title
from career_quiz.answers import ParsedAnswers, restates_training
from career_quiz.contract import QUIZ_SLOTS, SLOT_LANGUAGES, SLOT_TRAINING
from career_quiz.messages import labels, notes

# Words that make a study named by the visitor a noun phrase ("BWL-Studium", "Master in
# Jura"); a verb ("studiert") is named by the value's label ("Studium").
_STUDY_NOUNS = re.compile(
    r"studium|bachelor|master|diplom|magister|staatsexamen|promotion|mba|abschluss|"
    r"hochschul|universität|uni\b|fh\b|fachhochschul"
)


def _training_item(value: str, text: Optional[str]) -> str:
    """The training as the visitor named it ("Steuerfachangestellte"), without the
    category's label: that is the quiz's word, not the visitor's. The label only when
    the visitor's words name no training ("studiert", "keine").
    """
    label = labels()["training"][value]
    if not text or value == "none" or text.lower() == label.lower():
        return label
    if value == "degree" and not _STUDY_NOUNS.search(text.lower()):
        return label
    # "MFA": the title it stands for; "kauffrau für büromanagement" as a title is written.
    return written_title(spelled_out(text))


def _training_items(values: List[str], texts: Dict[str, str]) -> List[str]:
    if not values:
        return [notes()["training_unknown"]]
    return [_training_item(value, texts.get(value)) for value in values]


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
    if value == "unsure":
        return [notes()["task_unsure"]]  # not "am liebsten noch offen"
    return [notes()["task_item"].format(label=labels()["task"][value])]


def describe_kept(slot: str, value: Any) -> str:
    """The line for a reopened question whose earlier answer the visitor keeps."""
    return notes()["kept"].format(items="; ".join(_slot_items(slot, value, None, False)))


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
        corrected = parsed is not None and restates_training(current, parsed)
        if slot == SLOT_TRAINING and slot not in updates and parsed and corrected:
            # A correction to a training of the same category ("eigentlich bin ich
            # Versicherungskauffrau" after Bankkauffrau) keeps the value, but the visitor
            # changed what they said: the line says so.
            changed.extend(_training_items(list(current[slot]), parsed.training_texts))
            continue
        if slot not in updates:
            continue
        items = _slot_items(slot, updates[slot], parsed, slot in skipped)
        # The same training named again (the question reopened) is a change too.
        restated = (
            slot == SLOT_TRAINING
            and parsed is not None
            and bool(parsed.training_texts)
            and current.get(slot) == updates[slot]
        )
        if current.get(slot) is not None and (current.get(slot) != updates[slot] or restated):
            changed.extend(items)
        else:
            noted.extend(items)
    lines = []
    if noted:
        lines.append(notes()["noted"].format(items="; ".join(noted)))
    if changed:
        lines.append(notes()["changed"].format(items="; ".join(changed)))
    return " ".join(lines) or None
