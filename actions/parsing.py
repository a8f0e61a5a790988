"""Answer parsing: German free text -> canonical quiz answers.

Plain Python (no rasa_sdk). The spaCy pipeline's entity ruler finds the
mentions; this module decides what they mean:

* negation: "kein Studium", "Tschechisch spreche ich nicht", "Studium abgebrochen";
* which level word belongs to which language ("fließend Englisch und etwas Spanisch");
* whether a task word states a preference or just describes the past;
* how a new answer merges into the answers given so far (corrections).

Canonical values follow the slot contract in README.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence

from actions.lexicon import (
    LABEL_LANGUAGE,
    LABEL_LEVEL,
    LABEL_SCHOOL,
    LABEL_TASK,
    LABEL_TRAINING,
    Lexicon,
)

# Longer answers are not quiz answers; parsing them would only cost time.
MAX_PARSE_CHARS = 2000

TRAINING_VALUES = (
    "office",
    "bank_insurance",
    "finance_hr_it",
    "commercial_other",
    "degree",
    "other",
    "none",
)
LEVELS = ("basic", "good", "fluent", "business", "native")
TASK_VALUES = ("assistance", "specialist", "projects", "unsure")
SLOT_TRAINING = "training"
SLOT_LANGUAGES = "languages"
SLOT_TASK = "task_preference"
QUIZ_SLOTS = (SLOT_TRAINING, SLOT_LANGUAGES, SLOT_TASK)

GERMAN = "de"
# A language named without a level word ("Ich spreche Englisch").
DEFAULT_LEVEL = "good"
_LANGUAGE_ENTRY = re.compile(r"^([a-z]{2}):(basic|good|fluent|business|native)$")
# Tokens that may stand between languages of one list ("Englisch, Französisch und Spanisch").
_LIST_SEPARATORS = {",", "und", "sowie", "/", "oder", "&"}
# Words between "nicht" and a level that turn the negation into a weak level ("nicht so gut").
_SOFTENERS = {"so", "sehr", "besonders", "ganz", "wirklich", "allzu"}
# Negation words that belong to the phrase "nicht nur ..., sondern auch".
_NOT_ONLY = ("nur",)


@dataclass
class Mention:
    """One entity mention in a message."""

    label: str
    value: str
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    text: str
    negated: bool = False


@dataclass
class ParsedAnswers:
    """What one message says about the three quiz questions."""

    training: List[str] = field(default_factory=list)
    training_removed: List[str] = field(default_factory=list)
    no_training: bool = False
    unplaced_training: bool = False
    languages: Dict[str, str] = field(default_factory=dict)
    languages_removed: List[str] = field(default_factory=list)
    german_only: bool = False
    task: Optional[str] = None
    dont_know: bool = False

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
            or self.task
            or self.dont_know
        )


class MessageParser:
    """Turns a message into ParsedAnswers with a spaCy pipeline and the lexicon."""

    def __init__(self, nlp, lex: Lexicon) -> None:
        """Keeps the pipeline and lexicon; no work happens until `parse`."""
        from actions.nlp import make_tokenize

        self.nlp = nlp
        self.lex = lex
        self.tokenize = make_tokenize(nlp)
        self._phrase_cache: Dict[str, List[List[str]]] = {}

    # -- public API -------------------------------------------------------

    def parse(self, text: str, requested_slot: Optional[str] = None) -> ParsedAnswers:
        """Parses one user message.

        Args:
            text: the raw message.
            requested_slot: the quiz question the bot asked last, if any. Some
                answers only make sense as a reply to a question ("keine",
                "weiß nicht", "Buchhaltung").
        """
        text = (text or "")[:MAX_PARSE_CHARS].strip()
        result = ParsedAnswers()
        if not text:
            return result
        doc = self.nlp(text)
        words = [t.lower_ for t in doc]
        mentions = self._mentions(doc)
        self._mark_negations(words, mentions)

        self._read_training(words, mentions, requested_slot, result)
        self._read_languages(words, mentions, requested_slot, result)
        self._read_task(words, mentions, requested_slot, result)
        if requested_slot in QUIZ_SLOTS and self._has_phrase(words, "dont_know"):
            result.dont_know = True
        return result

    # -- mentions ---------------------------------------------------------

    def _mentions(self, doc) -> List[Mention]:
        mentions = []
        for ent in doc.ents:
            tokens = [t.text for t in ent]
            lemmas = [t.lemma_ for t in ent]
            value = self.lex.resolve(ent.label_, tokens, lemmas, self.tokenize) or ent.ent_id_
            if not value:
                continue
            mentions.append(Mention(ent.label_, value, ent.start, ent.end, ent.text))
        # Level words the ruler leaves alone ("etwas", "ein bisschen").
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for i, token in enumerate(doc):
            if i in taken:
                continue
            for level, cue_words in self.lex.level_cues.items():
                if token.lower_ in cue_words:
                    mentions.append(Mention(LABEL_LEVEL, level, i, i + 1, token.text))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _clause_bounds(self, words: Sequence[str], mentions: Sequence[Mention]) -> List[int]:
        """Clause id per token. "und" between two mentions of one label does not split."""
        breaks = set(self.lex.cues["clause_breaks"])
        starts = {m.start: m for m in mentions}
        ends = {m.end: m for m in mentions}
        clause_of = []
        clause = 0
        for i, word in enumerate(words):
            if word in breaks:
                coordinated = (
                    word in ("und", "sowie", "oder", ",")
                    and i in ends
                    and i + 1 in starts
                    and ends[i].label == starts[i + 1].label
                )
                if not coordinated:
                    clause += 1
            clause_of.append(clause)
        return clause_of

    def _mark_negations(self, words: Sequence[str], mentions: List[Mention]) -> None:
        cues = self.lex.cues
        determiners = set(cues["negation_determiners"])
        particles = set(cues["negation_particles"])
        intention = set(cues.get("intention", []))
        clause_of = self._clause_bounds(words, mentions)
        negatable = [m for m in mentions if m.label != LABEL_LEVEL]
        for i, word in enumerate(words):
            if word in determiners:
                # "kein Studium", "keine guten Englischkenntnisse": the next mention.
                for m in negatable:
                    if i < m.start <= i + 3 and clause_of[m.start] == clause_of[i]:
                        m.negated = True
                        break
            elif word in particles:
                following = words[i + 1 : i + 3]
                if following[:1] == ["nur"]:
                    continue  # "nicht nur Englisch, sondern auch ..."
                if self._softened_level(words, i, mentions):
                    continue  # "Englisch nicht so gut" is a level, not a negation
                for m in negatable:
                    if clause_of[m.start] == clause_of[i]:
                        m.negated = True
            elif word in intention:
                # "Ich möchte studieren": a plan, not a finished training.
                for m in negatable:
                    if m.label == LABEL_TRAINING and clause_of[m.start] == clause_of[i]:
                        m.negated = True

    @staticmethod
    def _softened_level(words: Sequence[str], i: int, mentions: Sequence[Mention]) -> bool:
        j = i + 1
        while j < len(words) and words[j] in _SOFTENERS:
            j += 1
        for m in mentions:
            if m.label == LABEL_LEVEL and m.start == j:
                m.value = "basic"
                return True
        return False

    # -- training ---------------------------------------------------------

    def _read_training(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> None:
        trainings = [m for m in mentions if m.label == LABEL_TRAINING]
        for m in trainings:
            target = result.training_removed if m.negated else result.training
            if m.value not in target:
                target.append(m.value)
        if "none" in result.training:
            result.training.remove("none")
            result.no_training = not result.training
        asked = requested_slot == SLOT_TRAINING
        if result.training:
            return
        schools = [m for m in mentions if m.label == LABEL_SCHOOL and not m.negated]
        if asked and (schools or result.training_removed or self._has_phrase(words, "no_training")):
            # "Nur Abitur", "kein Studium", "keine": no vocational training.
            result.no_training = True
        elif asked and self._has_word(words, "vocational"):
            # "Ausbildung als Tierpflegerin": a training we have no title for.
            result.unplaced_training = True

    # -- languages --------------------------------------------------------

    def _read_languages(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> None:
        languages = [m for m in mentions if m.label == LABEL_LANGUAGE]
        levels = self._attach_levels(words, mentions, languages)
        for m in languages:
            if m.negated:
                if m.value not in result.languages_removed:
                    result.languages_removed.append(m.value)
                continue
            level = levels.get(id(m))
            if m.value == GERMAN and level in (None, "native"):
                continue  # German as mother tongue is the default, not a listed language
            if level is None and m.text.lower().startswith(self.lex.school_prefix):
                level = "basic"  # "Schulenglisch"
            level = level or DEFAULT_LEVEL
            previous = result.languages.get(m.value)
            if previous is None or LEVELS.index(level) > LEVELS.index(previous):
                result.languages[m.value] = level
        if not result.languages and not result.languages_removed:
            asked = requested_slot == SLOT_LANGUAGES
            named_german = any(m.value == GERMAN and not m.negated for m in languages)
            # A lone "keine" only answers the language question when it was asked.
            if self._has_phrase(words, "german_only", strict=not asked) or (asked and named_german):
                result.german_only = True

    def _attach_levels(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        languages: Sequence[Mention],
    ) -> Dict[int, str]:
        """Maps id(language mention) -> level, tying each level word to its language."""
        if not languages:
            return {}
        strong_breaks = set(self.lex.cues["clause_breaks"]) - {"und", "sowie", "(", ")", ":", "-", "/"}
        segment = []
        seg = 0
        for word in words:
            if word in strong_breaks:
                seg += 1
            segment.append(seg)
        assigned: Dict[int, str] = {}
        for level in (m for m in mentions if m.label == LABEL_LEVEL):
            best, best_distance = None, None
            for lang in languages:
                if segment[lang.start] != segment[level.start]:
                    continue
                if lang.end <= level.start:
                    distance = level.start - lang.end  # language before level: ties go here
                else:
                    distance = lang.start - level.end + 0.5
                if best_distance is None or distance < best_distance:
                    best, best_distance = lang, distance
            if best is None or best_distance > 4:
                continue
            current = assigned.get(id(best))
            if current is None or LEVELS.index(level.value) > LEVELS.index(current):
                assigned[id(best)] = level.value
        # Languages in one list share the level named for the list.
        runs: List[List[Mention]] = [[languages[0]]]
        for prev, nxt in zip(languages, languages[1:]):
            between = words[prev.end : nxt.start]
            if all(w in _LIST_SEPARATORS for w in between):
                runs[-1].append(nxt)
            else:
                runs.append([nxt])
        for run in runs:
            run_levels = [assigned[id(m)] for m in run if id(m) in assigned]
            if len(set(run_levels)) == 1:
                for m in run:
                    assigned.setdefault(id(m), run_levels[0])
        return assigned

    # -- task preference --------------------------------------------------

    def _read_task(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> None:
        tasks = [m for m in mentions if m.label == LABEL_TASK and not m.negated]
        if not tasks:
            return
        if requested_slot != SLOT_TASK:
            preference = set(self.lex.cues["preference"])
            clause_of = self._clause_bounds(words, mentions)
            cue_clauses = {clause_of[i] for i, w in enumerate(words) if w in preference}
            tasks = [m for m in tasks if clause_of[m.start] in cue_clauses]
            if not tasks:
                return
        counts: Dict[str, int] = {}
        for m in tasks:
            counts[m.value] = counts.get(m.value, 0) + 1
        best = max(counts.values())
        # Ties go to the task named first.
        result.task = next(m.value for m in tasks if counts[m.value] == best)

    # -- cue phrases ------------------------------------------------------

    def _phrases(self, cue: str) -> List[List[str]]:
        if cue not in self._phrase_cache:
            self._phrase_cache[cue] = [self.tokenize(p) for p in self.lex.cues.get(cue, [])]
        return self._phrase_cache[cue]

    def _has_phrase(self, words: Sequence[str], cue: str, strict: bool = False) -> bool:
        """True if a cue phrase occurs. Strict: single-word cues such as "keine" do not count."""
        for phrase in self._phrases(cue):
            if strict and len(phrase) < 2:
                continue
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if list(words[i : i + n]) == phrase:
                    return True
        return False

    def _has_word(self, words: Sequence[str], cue: str) -> bool:
        return bool(set(words) & set(self.lex.cues.get(cue, [])))


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
                match = _LANGUAGE_ENTRY.match(str(v))
                if match:
                    result.languages[match.group(1)] = match.group(2)
        elif name == SLOT_TASK and value in TASK_VALUES:
            result.task = value
    if result.training:
        result.no_training = False
    return result


def is_payload(text: Optional[str]) -> bool:
    """True for messages that bypass NLU ("/intent" or "/intent{...}")."""
    return bool(text) and text.startswith("/")


def payload_entities(text: str) -> List[Dict[str, Any]]:
    """Entities of an "/intent{json}" payload; [] when there are none or the JSON is bad."""
    brace = text.find("{")
    if brace < 0:
        return []
    try:
        data = json.loads(text[brace:])
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    return [{"entity": k, "value": v} for k, v in data.items()]


# -- merging into the current answers -------------------------------------


def _ordered(values: Iterable[str], order: Sequence[str]) -> List[str]:
    present = set(values)
    return [v for v in order if v in present]


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
        merged = _ordered(base | set(parsed.training), TRAINING_VALUES)
        updates[SLOT_TRAINING] = merged or ["none"]
    elif parsed.no_training:
        updates[SLOT_TRAINING] = ["none"]
    elif requested_slot == SLOT_TRAINING and parsed.unplaced_training:
        updates[SLOT_TRAINING] = ["other"]
    elif requested_slot == SLOT_TRAINING and parsed.dont_know:
        updates[SLOT_TRAINING] = []

    languages = current.get(SLOT_LANGUAGES)
    if parsed.languages or (parsed.languages_removed and languages):
        entries = dict(_split_language(e) for e in (languages or []) if _LANGUAGE_ENTRY.match(e))
        for code in parsed.languages_removed:
            entries.pop(code, None)
        entries.update(parsed.languages)
        updates[SLOT_LANGUAGES] = [f"{code}:{level}" for code, level in entries.items()]
    elif parsed.german_only or (
        requested_slot == SLOT_LANGUAGES and (parsed.dont_know or parsed.languages_removed)
    ):
        updates[SLOT_LANGUAGES] = []

    if parsed.task:
        updates[SLOT_TASK] = parsed.task
    elif requested_slot == SLOT_TASK and parsed.dont_know:
        updates[SLOT_TASK] = "unsure"

    return {k: v for k, v in updates.items() if v != current.get(k) or k == requested_slot}


def _split_language(entry: str):
    code, level = entry.split(":", 1)
    return code, level


# -- validation of slot values (defence against forged values) ------------


def clean_training(value: Any) -> Optional[List[str]]:
    """Canonical training list, or None when the value is not a list of known values."""
    if not isinstance(value, list) or not all(v in TRAINING_VALUES for v in value):
        return None
    return _ordered(value, TRAINING_VALUES)


def clean_languages(value: Any) -> Optional[List[str]]:
    """Canonical language list, or None when an entry is malformed."""
    if not isinstance(value, list) or not all(
        isinstance(v, str) and _LANGUAGE_ENTRY.match(v) for v in value
    ):
        return None
    return list(dict.fromkeys(value))


def clean_task(value: Any) -> Optional[str]:
    """Canonical task preference, or None."""
    return value if value in TASK_VALUES else None
