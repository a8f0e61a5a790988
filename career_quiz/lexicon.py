"""The lexicon (data/knowledge/lexicon.yml): term expansion, ruler patterns, span resolution.

Plain Python: no rasa_sdk and no spaCy import here, so the parser, the spaCy
builder and the tests share one reading of the data file.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence

import yaml

from career_quiz import settings

_ALTERNATIVES = re.compile(r"\(([^()]*)\)")

# Entity labels the ruler emits. Rasa's SpacyEntityExtractor exposes the first four.
LABEL_TRAINING = "training"
LABEL_LANGUAGE = "language"
LABEL_LEVEL = "level"
LABEL_TASK = "task"
LABEL_SCHOOL = "school"


def fold_umlauts(word: str) -> str:
    """Umlauts and sharp s as users type them without a German keyboard ("ae", "ss")."""
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        word = word.replace(a, b)
    return word


def expand(term: str) -> List[str]:
    """Expands "(a|b)" groups in a term into every combination.

    >>> expand("kauf(mann|frau) für büromanagement")
    ['kaufmann für büromanagement', 'kauffrau für büromanagement']
    """
    if term.startswith(("re:", "lemma:", "exact:")):
        return [term]
    parts = _ALTERNATIVES.split(term)
    # split() alternates literal text and group contents.
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return ["".join(combo) for combo in itertools.product(*choices)]


@dataclass(frozen=True)
class Term:
    """One expanded term: a literal phrase, a token regex or a lemma."""

    kind: str  # "phrase", "regex", "lemma" or "exact"
    value: str
    label: str
    id: str
    # "lexicon" (lexicon.yml) or "trainings" (the list of recognised trainings,
    # ausbildungsberufe.yml), which only the parser's entity ruler uses.
    source: str = "lexicon"


@dataclass
class Lexicon:
    """Parsed lexicon data with lookup helpers."""

    version: str
    terms: List[Term]
    level_cues: Dict[str, List[str]]
    school_prefix: str
    cues: Dict[str, List[str]]
    # (compiled regex, replacement) pairs applied before parsing
    # ("Dipl.-Kffr." -> "Diplom-Kauffrau").
    abbreviations: List[tuple] = field(default_factory=list)
    # Words that open a question (career_quiz/questions.py).
    questions: Dict[str, List[str]] = field(default_factory=dict)
    # ISO 639-1 code -> plain names of the language, for typo-tolerant matching.
    language_names: Dict[str, List[str]] = field(default_factory=dict)
    _regex_cache: Dict[str, re.Pattern] = field(default_factory=dict, repr=False)
    _phrase_index: Dict[str, Dict[tuple, str]] = field(default_factory=dict, repr=False)

    def normalise(self, text: str) -> str:
        """`text` with the usual abbreviations written out."""
        for pattern, replacement in self.abbreviations:
            text = pattern.sub(replacement, text)
        return text

    def single_word_terms(self, label: str) -> Dict[str, str]:
        """Literal one-word terms of `label` -> canonical id (first in file order wins)."""
        words: Dict[str, str] = {}
        for term in self.terms_for(label):
            if term.kind == "phrase" and " " not in term.value:
                words.setdefault(term.value, term.id)
        return words

    def terms_for(self, label: str) -> List[Term]:
        """All terms with the given label, in file order."""
        return [t for t in self.terms if t.label == label]

    def regex(self, term: Term) -> re.Pattern:
        """Compiled full-match regex of a "re:" term."""
        if term.value not in self._regex_cache:
            self._regex_cache[term.value] = re.compile(term.value)
        return self._regex_cache[term.value]

    def resolve(
        self,
        label: str,
        tokens: Sequence[str],
        lemmas: Sequence[str],
        tokenize: Callable[[str], List[str]],
    ) -> Optional[str]:
        """Returns the canonical id of a matched span.

        Literal phrases win over lemmas, lemmas over regexes, so that a specific
        title ("bankkauffrau") beats a catch-all ("...kauffrau"). Within one kind
        the first id in file order wins.
        """
        lowered = [t.lower() for t in tokens]
        index = self._phrase_index.get(label)
        if index is None:
            index = {}
            for term in self.terms_for(label):
                if term.kind == "phrase":
                    index.setdefault(tuple(tokenize(term.value)), term.id)
            self._phrase_index[label] = index
        if tuple(lowered) in index:
            return index[tuple(lowered)]
        candidates = self.terms_for(label)
        if len(lowered) == 1:
            for term in candidates:
                if term.kind == "exact" and tokens[0] == term.value:
                    return term.id
            for term in candidates:
                if term.kind == "lemma" and lemmas and lemmas[0] == term.value:
                    return term.id
            for term in candidates:
                if term.kind == "regex" and self.regex(term).fullmatch(lowered[0]):
                    return term.id
        return None

    def ruler_patterns(self, tokenize: Callable[[str], List[str]]) -> List[dict]:
        """EntityRuler patterns for every term, tokenised like the pipeline tokenises."""
        patterns = []
        for term in self.terms:
            token_patterns: List[Dict[str, Any]]
            if term.kind == "regex":
                token_patterns = [{"LOWER": {"REGEX": f"^(?:{term.value})$"}}]
            elif term.kind == "lemma":
                token_patterns = [{"LEMMA": term.value}]
            elif term.kind == "exact":
                token_patterns = [{"TEXT": term.value}]
            else:
                token_patterns = [{"LOWER": tok} for tok in tokenize(term.value)]
            patterns.append({"label": term.label, "pattern": token_patterns, "id": term.id})
        return patterns


def _terms(label: str, groups: Mapping[str, Iterable[str]], source: str = "lexicon") -> List[Term]:
    result = []
    for canonical, raw_terms in groups.items():
        for raw in raw_terms:
            for term in expand(str(raw)):
                if term.startswith("re:"):
                    result.append(Term("regex", term[3:], label, canonical, source))
                elif term.startswith("lemma:"):
                    result.append(Term("lemma", term[6:], label, canonical, source))
                elif term.startswith("exact:"):
                    result.append(Term("exact", term[6:], label, canonical, source))
                else:
                    result.append(Term("phrase", term, label, canonical, source))
    return result


def training_list_terms(data: Optional[dict]) -> List[Term]:
    """Terms of the list of recognised trainings (ausbildungsberufe.yml), by category."""
    groups: Dict[str, List[str]] = {}
    for entry in (data or {}).get("trainings", []):
        groups.setdefault(str(entry["category"]), []).extend(str(t).lower() for t in entry["terms"])
    return _terms(LABEL_TRAINING, groups, source="trainings")


def parse_lexicon(data: dict, trainings: Optional[dict] = None) -> Lexicon:
    """Builds a Lexicon from the YAML mapping (and the optional list of trainings).

    lexicon.yml's own titles come first, so where both name a title, its
    category wins.
    """
    terms: List[Term] = []
    terms += _terms(LABEL_TRAINING, data["training"])
    terms += training_list_terms(trainings)
    terms += _terms(LABEL_SCHOOL, {"school": data.get("school", [])})
    terms += _terms(LABEL_LANGUAGE, data["languages"])
    terms += _terms(LABEL_LEVEL, data["levels"])
    terms += _terms(LABEL_TASK, data["tasks"])
    return Lexicon(
        version=str(data["version"]),
        terms=terms,
        level_cues={k: [str(w) for w in v] for k, v in data.get("level_cues", {}).items()},
        school_prefix=str(data.get("school_prefix", "schul")),
        cues={k: [str(w).lower() for w in v] for k, v in data["cues"].items()},
        abbreviations=[
            (re.compile(str(a["pattern"]), re.IGNORECASE), str(a["replace"]))
            for a in data.get("abbreviations", [])
        ],
        questions={k: [str(w) for w in v] for k, v in data.get("questions", {}).items()},
        language_names={
            k: [str(w).lower() for w in v] for k, v in data.get("language_names", {}).items()
        },
    )


TRAININGS_FILE = "ausbildungsberufe.yml"


def load_lexicon(path: Optional[Path] = None) -> Lexicon:
    """Reads and parses lexicon.yml and, beside it, ausbildungsberufe.yml (not cached;
    see `lexicon()`).
    """
    path = path or settings.knowledge_dir() / "lexicon.yml"
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    trainings = None
    if (path.parent / TRAININGS_FILE).exists():
        with open(path.parent / TRAININGS_FILE, encoding="utf-8") as handle:
            trainings = yaml.safe_load(handle)
    return parse_lexicon(data, trainings)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The project lexicon, read once per process on first use."""
    return load_lexicon()


def simple_tokenize(text: str) -> List[str]:
    """Whitespace tokenizer used where no spaCy tokenizer is at hand (tests, tools)."""
    return text.lower().split()


def nlu_lookup_data(lex: Lexicon) -> dict:
    """Rasa NLU lookup tables and regexes (one per entity label) built from the lexicon.

    RegexFeaturizer turns them into features, so DIET learns "a training title or a
    language in the message" instead of memorising each title.
    """
    nlu = []
    for label in (LABEL_TRAINING, LABEL_LANGUAGE, LABEL_LEVEL, LABEL_TASK):
        # The long list of trainings stays out: the parser's ruler knows it, and the
        # intent classifier does not need a thousand more lookup entries per message.
        terms = [t for t in lex.terms_for(label) if t.source == "lexicon"]
        phrases = sorted({t.value for t in terms if t.kind == "phrase"})
        regexes = sorted({t.value for t in terms if t.kind == "regex"})
        if phrases:
            nlu.append({"lookup": label, "examples": "".join(f"- {p}\n" for p in phrases)})
        if regexes:
            # Rasa adds no word boundaries to regexes; without them a pattern that
            # starts with a character class is tried at every position (quadratic).
            pattern = r"\b(?:" + "|".join(f"(?:{r})" for r in regexes) + r")\b"
            nlu.append({"regex": f"{label}_pattern", "examples": f"- {pattern}\n"})
    return {"version": "3.1", "nlu": nlu}
