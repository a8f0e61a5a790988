"""What a message says about the quiz answers, and how it changes the answers so far.

Plain Python (no rasa_sdk). `ParsedAnswers` is what the parser (career_quiz/parsing.py)
or a button payload makes of one message; `merge_answers` turns it into slot updates
against the current answers (corrections, additions, taking back). Canonical values
and their validators are in career_quiz/contract.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from career_quiz.contract import (
    GERMAN,
    LANGUAGE_ENTRY,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
    TASK_VALUES,
    TRAINING_VALUES,
    in_order,
)
from career_quiz.lexicon import LABEL_LANGUAGE, lexicon


@dataclass
class ParsedAnswers:
    """What one message says about the three quiz questions."""

    training: List[str] = field(default_factory=list)
    training_removed: List[str] = field(default_factory=list)
    no_training: bool = False
    unplaced_training: bool = False
    languages: Dict[str, str] = field(default_factory=dict)
    languages_removed: List[str] = field(default_factory=list)
    # Languages named without a level word: an earlier level for them stays.
    languages_defaulted: List[str] = field(default_factory=list)
    german_only: bool = False
    # A new level without a language ("verhandlungssicher war übertrieben, sagen wir
    # gut"), and the level taken back, which names the language it belonged to.
    level_only: Optional[str] = None
    level_from: Optional[str] = None
    task: Optional[str] = None
    # Two work preferences the message fits about equally well (ask which one).
    task_candidates: List[str] = field(default_factory=list)
    dont_know: bool = False
    skip: bool = False
    # The part of the message in question form ("brauche ich dafür ein Studium?").
    question: str = ""
    # The message ended in "?" without a question word ("Bankkauffrau?").
    tentative: bool = False
    # What the user wrote for each training value, for the "Notiert: ..." line.
    training_texts: Dict[str, str] = field(default_factory=dict)
    # The canonical value reads a category from context, not a known title.
    unplaced_value: str = "other"
    # The message corrects an earlier answer ("Korrektur:", "stimmt nicht", "sondern").
    correction: bool = False
    # The message adds to an earlier answer ("auch", "außerdem"): a training named
    # after the training question is added, not put in place of the earlier one.
    addition: bool = False
    # "Zurück", "Kann ich die letzte Antwort ändern?": back to the previous question.
    go_back: bool = False
    # The question to go back to when the message names it ("nochmal zur Sprachfrage").
    go_back_to: Optional[str] = None
    # The message is in English: its answers were read on its German gloss
    # (career_quiz/english.py); none when the gloss named none.
    english: bool = False
    # The message insults; only explicit answers in it count.
    insult: bool = False
    # Trainings and studies given up ("Jura studiert, aber abgebrochen"): not stored as
    # answers; value -> the user's words, for the answer's details.
    training_dropped: Dict[str, str] = field(default_factory=dict)
    # The message asks for a change in question form ("Englisch lassen, aber Spanisch
    # dazunehmen?", "Können Sie Russisch streichen?"): a correction, not a side question.
    change_request: bool = False
    # "keine IT-Ausbildung, sondern einen Bachelor": the training named after "sondern"
    # replaces the earlier answer (a degree is not added beside it).
    training_replaces: bool = False

    def is_empty(self) -> bool:
        """True when the message says nothing the quiz can use."""
        return not (
            self.training
            or self.training_removed
            or self.no_training
            or self.unplaced_training
            or self.languages
            or self.languages_removed
            or self.german_only
            or self.level_only
            or self.task
            or self.task_candidates
            or self.dont_know
            or self.skip
        )

    @property
    def asks(self) -> bool:
        """True when some part of the message is in question form."""
        return bool(self.question) or self.tentative


# -- payloads (buttons) ---------------------------------------------------


def parse_payload_entities(entities: Iterable[Dict[str, Any]]) -> ParsedAnswers:
    """Reads canonical answers from a button payload such as /inform{"training": "office"}.

    Only canonical values are accepted; anything else is ignored, so a crafted
    payload can set no more than a user could by clicking.
    """
    result = ParsedAnswers()
    for entity in entities or []:
        name, value = entity.get("entity"), entity.get("value")
        values = value if isinstance(value, list) else [value]
        if name == SLOT_TRAINING:
            for v in values:
                if v == "none":
                    result.no_training = True
                elif v in TRAINING_VALUES and v not in result.training:
                    result.training.append(v)
        elif name == SLOT_LANGUAGES:
            if values == [] or values == ["none"]:
                result.german_only = True
            for v in values:
                match = LANGUAGE_ENTRY.fullmatch(str(v))
                if match and _payload_language(match.group(1), match.group(2)):
                    result.languages[match.group(1)] = match.group(2)
        elif name == SLOT_TASK and value in TASK_VALUES:
            result.task = value
        elif name == "skip" and value is True:
            result.skip = True
    if result.training:
        result.no_training = False
    return result


def _payload_language(code: str, level: str) -> bool:
    """A language a user could name: one of the lexicon's, German only as a
    foreign language (not native).
    """
    known = {term.id for term in lexicon().terms_for(LABEL_LANGUAGE)}
    return code in known and not (code == "de" and level == "native")


def is_payload(text: Optional[str]) -> bool:
    """True for messages that bypass NLU ("/intent" or "/intent{...}")."""
    return bool(text) and str(text).startswith("/")


def payload_entities(text: str) -> List[Dict[str, Any]]:
    """Entities of an "/intent{json}" payload; [] when there are none or the JSON is bad."""
    brace = text.find("{")
    if brace < 0:
        return []
    try:
        data = json.loads(text[brace:])
    except (ValueError, RecursionError):  # deeply nested JSON exceeds the recursion limit
        return []
    if not isinstance(data, dict):
        return []
    return [{"entity": k, "value": v} for k, v in data.items()]


# -- merging into the current answers -------------------------------------


def merge_answers(
    current: Dict[str, Any], parsed: ParsedAnswers, requested_slot: Optional[str]
) -> Dict[str, Any]:
    """Returns the slot updates that `parsed` makes to the `current` answers.

    New mentions add to what was said before ("Ich spreche auch Englisch"),
    negated mentions remove ("Ich habe doch nicht studiert"). Only slots that
    change, or that answer the requested question, appear in the result.
    """
    updates: Dict[str, Any] = {}

    training = current.get(SLOT_TRAINING)
    if parsed.training or (parsed.training_removed and training):
        base = set(training or []) - {"none"} - set(parsed.training_removed)
        degree_beside_training = (
            parsed.training == ["degree"]
            and not parsed.training_removed
            and not parsed.training_replaces
            and bool(base)
        )
        replaces = parsed.training_replaces or not parsed.addition
        if training and parsed.training and replaces and not degree_beside_training:
            # A training named once its question was answered replaces the earlier
            # answer ("eigentlich bin ich Bankkauffrau"; the question reopened by
            # "Zurück"), unless it is added ("auch", "außerdem"). A study named alone
            # next to a vocational training ("Ich habe doch studiert") adds the degree:
            # people have both; "nicht Bürokauffrau, sondern studiert" removes it.
            base = set()
        merged = in_order(base | set(parsed.training), TRAINING_VALUES)
        # ("büro war falsch, ich hab einzelhandel gelernt": the training named instead.)
        unplaced = [parsed.unplaced_value] if parsed.unplaced_training else ["none"]
        updates[SLOT_TRAINING] = merged or unplaced
    elif parsed.no_training:
        updates[SLOT_TRAINING] = ["none"]
    elif requested_slot == SLOT_TRAINING and parsed.unplaced_training:
        updates[SLOT_TRAINING] = [parsed.unplaced_value]
    elif requested_slot == SLOT_TRAINING and (parsed.dont_know or parsed.skip):
        updates[SLOT_TRAINING] = []

    languages = current.get(SLOT_LANGUAGES)
    if _only_german_before_asked(parsed, languages, requested_slot):
        # "Bürokauffrau, aber mein Deutsch ist nicht perfekt" at the training question:
        # German is no foreign language, so the language question still comes (visit9
        # #3: it was skipped and only "Deutsch Grundkenntnisse" stored).
        pass
    elif parsed.languages or (parsed.languages_removed and languages):
        entries = dict(_split_language(e) for e in (languages or []) if LANGUAGE_ENTRY.fullmatch(e))
        relevelled_only = set(parsed.languages) < set(entries)  # a level changed, no more
        if (
            requested_slot == SLOT_LANGUAGES
            and languages is not None
            and not parsed.addition
            and not parsed.correction
            and not relevelled_only
        ):
            # The question reopened by "Zurück": a new answer replaces the old; a
            # correction of one language, or a new level for some of those given, keeps
            # the others ("Französisch doch nur Grundkenntnisse", visit13 F2: fluent
            # English was lost).
            entries = {}
        removed_levels = [entries.pop(code) for code in parsed.languages_removed if code in entries]
        swapped = [c for c in parsed.languages if c not in entries]
        for code, level in parsed.languages.items():
            if code in parsed.languages_defaulted and code in entries:
                continue  # "nur Türkisch und Deutsch": Türkisch keeps its level
            if code in parsed.languages_defaulted and len(removed_levels) == len(swapped) == 1:
                # "Nicht Französisch, sondern Italienisch": one language swapped for
                # another, no level named: the level given for the first one stays.
                level = removed_levels[0]
            entries[code] = level
        # The languages given before keep their places (also one taken back and named
        # again), new ones follow: merging the same message twice changes nothing.
        before = [_split_language(e)[0] for e in (languages or []) if LANGUAGE_ENTRY.fullmatch(e)]
        ordered = {code: entries[code] for code in before if code in entries}
        ordered.update(entries)
        updates[SLOT_LANGUAGES] = [f"{code}:{level}" for code, level in ordered.items()]
    elif parsed.level_only and requested_slot != SLOT_LANGUAGES:
        relevelled = _relevelled(languages, parsed.level_only, parsed.level_from)
        if relevelled is not None:
            updates[SLOT_LANGUAGES] = relevelled
    elif parsed.german_only or (
        requested_slot == SLOT_LANGUAGES and (parsed.skip or parsed.languages_removed)
    ):
        # "Keine Ahnung" is no answer here: the buttons follow (not knowing is not "[]").
        updates[SLOT_LANGUAGES] = []

    if parsed.task:
        updates[SLOT_TASK] = parsed.task
    elif requested_slot == SLOT_TASK and (parsed.dont_know or parsed.skip):
        updates[SLOT_TASK] = "unsure"

    return {k: v for k, v in updates.items() if v != current.get(k) or k == requested_slot}


def _only_german_before_asked(
    parsed: ParsedAnswers, languages: Any, requested_slot: Optional[str]
) -> bool:
    """A German level is all a message names before the language question was answered,
    and the message answers another question.
    """
    return (
        languages is None
        and requested_slot != SLOT_LANGUAGES
        and bool(parsed.languages)
        and set(parsed.languages) == {GERMAN}
        and not parsed.languages_removed
    )


def restates_training(current: Dict[str, Any], parsed: ParsedAnswers) -> bool:
    """A correction naming trainings of the categories already stored ("eigentlich bin
    ich Versicherungskauffrau" after Bankkauffrau): no slot changes, but an earlier
    answer was corrected (the line after it says "Geändert").
    """
    stored = current.get(SLOT_TRAINING)
    return (
        parsed.correction
        and bool(parsed.training)
        and isinstance(stored, list)
        and sorted(stored) == sorted(parsed.training)
    )


def _relevelled(languages: Any, level: str, level_from: Optional[str]) -> Optional[List[str]]:
    """The stored languages with one of them at `level`: the one stored at `level_from`,
    or the only one. None when it is not clear which one is meant.
    """
    if not isinstance(languages, list):
        return None
    entries = dict(_split_language(e) for e in languages if LANGUAGE_ENTRY.fullmatch(str(e)))
    meant = [code for code, old in entries.items() if old == level_from]
    if len(meant) != 1:
        meant = list(entries) if len(entries) == 1 else []
    if not meant:
        return None
    entries[meant[0]] = level
    return [f"{code}:{lvl}" for code, lvl in entries.items()]


def _split_language(entry: str):
    code, level = entry.split(":", 1)
    return code, level
