"""Answers to side questions, built from short facts (data/knowledge/side_facts.yml).

Plain Python (no rasa). A topic has a core sentence, a pointer where to read more, and
facts. The answer to a question is the core, the one or two facts most similar to the
question (TF-IDF over character n-grams, so "Homeoffice-Anteil" finds "Homeoffice" and
a typo still overlaps), and the pointer. Facts of related topics compete at a discount:
"Wie lange dauert das Fachgespräch?" is asked like a duration question but answered by
an exam fact.

rasa_addons/side_topics.py calls `compose()` for the message's topic(s); the response
`utter_<topic>` shows the result (domain/side_questions.yml, a variant conditioned on
the slot `side_answer_topic`). Nothing is read at import time; the index is built on
first use, once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from career_quiz import settings

# A fact is added when its similarity to the question reaches MIN_SCORE; the second one
# also needs SECOND_SHARE of the first one's score. Facts of a related topic count at
# RELATED_WEIGHT of their similarity.
MIN_SCORE = 0.12
SECOND_SHARE = 0.5
RELATED_WEIGHT = 0.85
MAX_FACTS = 2
# With two topics in one message, each gets its core and its best fact.
MAX_TOPICS = 2
NGRAMS = (3, 5)
# Words of any question: they say nothing about which fact is meant.
STOP_WORDS = frozenset(
    """
    und oder aber auch noch schon denn doch mal eigentlich so da dann also bitte eine
    ein einer einem einen der die das den dem des ich man sie es er wir mir mich mein
    meine ist sind war wäre wird werden kann können muss müssen darf soll habe hat haben
    gibt gibts gibt's es was wie wo wer wann welche welcher welches wieviel viel viele
    im in am an auf aus bei mit nach von vor zu zum zur für über unter als ob wenn dass
    nicht kein keine ja nein hier dort da genau eher etwa ganz empfohlen empfohlene
    empfohlenen empfehlung
    """.split()
)


@dataclass(frozen=True)
class Fact:
    """One fact sentence of a topic; `keys` are further words to find it by."""

    topic: str
    text: str
    keys: str = ""


@dataclass(frozen=True)
class Topic:
    """A topic's fixed sentences and its facts."""

    name: str
    core: str
    pointer: str
    related: Tuple[str, ...]
    facts: Tuple[Fact, ...]

    def static_text(self) -> str:
        """Core and pointer: the answer when no question text is at hand (a button)."""
        return f"{self.core} {self.pointer}"


def _clean(text: str) -> str:
    return " ".join(str(text or "").split())


def _fact(topic: str, entry: Any) -> Fact:
    if isinstance(entry, str):
        return Fact(topic, _clean(entry))
    return Fact(topic, _clean(entry["text"]), _clean(entry.get("keys", "")))


def load_topics(path: Optional[Path] = None) -> Dict[str, Topic]:
    """Reads side_facts.yml: topic name -> Topic."""
    path = path or settings.knowledge_dir() / "side_facts.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        name: Topic(
            name,
            _clean(entry["core"]),
            _clean(entry["pointer"]),
            tuple(entry.get("related") or ()),
            tuple(_fact(name, f) for f in entry.get("facts") or ()),
        )
        for name, entry in data["topics"].items()
    }


def _normalise(text: str) -> str:
    """Lowercase words without markup and question words, for the similarity."""
    low = (text or "").lower().replace("**", "").replace("-", " ")
    words = re.findall(r"[\wäöüß§%,.]+", low)
    return " ".join(w.strip(".,-") for w in words if w.strip(".,-") not in STOP_WORDS)


class FactIndex:
    """TF-IDF vectors of every fact (text and keys); picks the facts for a question."""

    def __init__(self, topics: Dict[str, Topic]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.topics = topics
        # A topic's core also answers questions on the topics it is related to.
        self.facts: List[Fact] = [
            f for t in topics.values() for f in (Fact(t.name, t.core), *t.facts)
        ]
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True, lowercase=False
        )
        docs = [_normalise(f"{f.text} {f.keys}") for f in self.facts]
        self._matrix = self._vectorizer.fit_transform(docs) if docs else None
        # One message is scored several times (topic choice, then the answer).
        self._similarity = lru_cache(maxsize=32)(self._similarity_uncached)

    def _similarity_uncached(self, question: str) -> Any:
        query = self._vectorizer.transform([_normalise(question)])
        return (self._matrix @ query.T).toarray().ravel()

    def scores(self, topic: str, question: str) -> List[Tuple[float, Fact]]:
        """Every fact of `topic` and its related topics with its weighted similarity,
        best first.
        """
        if self._matrix is None or topic not in self.topics:
            return []
        similarity = self._similarity(question)
        weights = {**{r: RELATED_WEIGHT for r in self.topics[topic].related}, topic: 1.0}
        own_core = self.topics[topic].core
        found = [
            (float(similarity[i]) * weights[f.topic], f)
            for i, f in enumerate(self.facts)
            if f.topic in weights and f.text != own_core
        ]
        return sorted(found, key=lambda pair: -pair[0])

    def topic_score(self, topic: str, question: str) -> float:
        """How well the best sentence of `topic` (its core, a fact, or a related topic's
        fact at a discount) fits `question`.
        """
        if self._matrix is None or topic not in self.topics:
            return 0.0
        similarity = self._similarity(question)
        weights = {**{r: RELATED_WEIGHT for r in self.topics[topic].related}, topic: 1.0}
        found = [
            float(similarity[i]) * weights[f.topic]
            for i, f in enumerate(self.facts)
            if f.topic in weights
        ]
        return max(found, default=0.0)

    def nearest_topic(self, question: str, minimum: float) -> Optional[str]:
        """The topic of the fact (or core) most similar to `question`, if it reaches
        `minimum`; else None.
        """
        if self._matrix is None or not _normalise(question):
            return None
        similarity = self._similarity(question)
        best = int(similarity.argmax())
        return self.facts[best].topic if float(similarity[best]) >= minimum else None

    def best_facts(self, topic: str, question: str, limit: int = MAX_FACTS) -> List[Fact]:
        """Up to `limit` facts that answer `question` on `topic` (possibly none)."""
        ranked = self.scores(topic, question)
        chosen: List[Fact] = []
        for score, fact in ranked:
            if len(chosen) >= limit or score < MIN_SCORE:
                break
            if chosen and score < SECOND_SHARE * ranked[0][0]:
                break
            chosen.append(fact)
        return chosen


@lru_cache(maxsize=1)
def topics() -> Dict[str, Topic]:
    """The project's side_facts.yml, read once per process on first use."""
    return load_topics()


@lru_cache(maxsize=1)
def index() -> FactIndex:
    """The fact index of the project's side_facts.yml, built once on first use."""
    return FactIndex(topics())


def has_facts(topic: Optional[str]) -> bool:
    """True when side_facts.yml answers `topic`."""
    return bool(topic) and topic in topics()


def answer(topic: str, question: str, facts: int = MAX_FACTS) -> str:
    """Core, the facts that fit `question` best, and the pointer of `topic`."""
    entry = topics()[topic]
    chosen = index().best_facts(topic, question, limit=facts)
    return " ".join([entry.core, *(f.text for f in chosen if f.text != entry.core), entry.pointer])


def compose(named: Sequence[Tuple[str, str]]) -> str:
    """The answer to one or two (topic, question part) pairs of one message.

    One topic gets its core, up to two facts and the pointer; each of two topics its core,
    its best fact and its pointer. Topics without facts are skipped; "" when none is left.
    """
    pairs: List[Tuple[str, str]] = []
    for topic, question in named:
        if has_facts(topic) and topic not in [t for t, _ in pairs]:
            pairs.append((topic, question))
    pairs = pairs[:MAX_TOPICS]
    if not pairs:
        return ""
    per_topic = MAX_FACTS if len(pairs) == 1 else 1
    return " ".join(answer(topic, question, facts=per_topic) for topic, question in pairs)
