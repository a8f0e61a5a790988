"""Answers to side questions, built from short facts (data/knowledge/side_facts.yml).

Plain Python (no rasa). A topic has a core sentence, a pointer where to read more, and
facts. The answer to a question is the core, the one or two facts most similar to the
question (TF-IDF over character n-grams, so "Homeoffice-Anteil" finds "Homeoffice" and
a typo still overlaps), and the pointer. Facts of related topics compete at a discount:
"Wie lange dauert das Fachgespräch?" is asked like a duration question but answered by
an exam fact.

An answer stays on what was asked (visitor findings #16, #23): a fact of another topic
than the one asked comes only when it answers a part of the question that nothing said
before answers (no further-training rules inside a salary answer); a fact that repeats
the core or a fact already chosen (the same sentence in other words, or the same
amounts) is skipped; equally good facts go in file order (the newest salary figures
first); and a question that names nothing but the term the core explains ("Was genau
ist die IHK?") gets the core alone, not facts chosen by the topic's name.

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
# A fact this similar to the core or to a chosen fact says the same again.
REPEAT_SIMILARITY = 0.5
# Facts within LEAD_SHARE of the best score count as equally good: the first listed leads.
LEAD_SHARE = 0.9
# A further fact must name a word of the question (all but its last STEM letters, at
# least STEM) that nothing said before names.
STEM = 4
# Amounts such as "40.000" or "1.133": a fact whose amounts were all given is a repeat.
FIGURE = re.compile(r"\d{1,3}(?:\.\d{3})+")
# A language level (GER) named in a question: the facts whose keys name the same level
# gain LEVEL_BONUS, those on other levels lose it ("Was bedeutet C1?" wants the C1
# line, not the C2 line that shares the word "Bedeutung"). In a message of several
# sentences the level of the asking sentence counts ("Französisch C1 und Spanisch A2.
# Was bedeutet C1?").
LEVEL = re.compile(r"\b([abc][12])\b")
LEVEL_BONUS = 0.3
_ASKING_SENTENCE = re.compile(r"[^.!?]*\?")
# An asking sentence that points back to what the message said before it.
_POINTS_BACK = re.compile(r"\b(das|dies|es|dafür|damit|davon|reicht|genügt|genug)\b")
# Words of an asking sentence that lean on what the message said before it; "das" does
# unless a noun follows ("Wie lang ist das Fachgespräch?").
_LEANING = re.compile(
    r"\b(reicht|genügt|genug|dafür|damit|davon|dazu)\b|\b(das|dies|dieses)\b(?!\s+[A-ZÄÖÜ])"
)
# An asking sentence needs this many words of its own to be read alone (focus).
FOCUS_WORDS = 2
# A question on how long something takes ("Wie lange dauert es, Englisch von Null auf B2
# zu lernen?") wants a fact that names a duration: such facts gain DURATION_BONUS.
ASKS_DURATION = re.compile(
    r"\bwie ?lange?\b|\bwie ?viele (jahre|monate|wochen|stunden)\b|\bdauer|\bwie schnell\b"
)
DURATION = re.compile(
    r"\b(\d+([,.]\d+)?|zwei|drei|vier|fünf|sechs|zwölf|anderthalb|eineinhalb)"
    r"(\s*(bis|–|-)\s*\d+)?\s*(jahre?n?|monate?n?|wochen|stunden|minuten|unterrichtseinheiten)\b",
    re.IGNORECASE,
)
DURATION_BONUS = 0.15
# In a message that states something and then asks ("Italienisch Muttersprache, Englisch
# gut. Wie viele Prüfer hat die IHK?"), the asking sentence weighs FOCUS_SHARE of the
# similarity, the whole message the rest: the languages named do not pick the fact.
FOCUS_SHARE = 0.6
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
    """One fact sentence of a topic; `keys` are further words to find it by;
    `audience`, when given, are word beginnings of which a question must name one for
    the fact to be chosen (a fact for one group of people).
    """

    topic: str
    text: str
    keys: str = ""
    audience: Tuple[str, ...] = ()
    # A fact about one named course answers alone when it fits best: no topic core
    # before it ("Die IHK prüft mehrere …" before the Steuerfachwirt, visit12 #15), and
    # its own pointer, when it has one, instead of the topic's (the Steuerberaterkammer
    # admits to the Steuerfachwirt, not the IHK, visit12 #6).
    leads: bool = False
    pointer: str = ""

    def for_question(self, question: str) -> bool:
        """True when the fact may answer `question`: it is for everyone, or the
        question names its audience ("Welche Fortbildung passt für MFA?").
        """
        if not self.audience:
            return True
        words = re.findall(r"\w+", (question or "").lower())
        return any(w.startswith(a) for w in words for a in self.audience)


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
    audience = tuple(str(entry.get("audience") or "").lower().split())
    return Fact(
        topic,
        _clean(entry["text"]),
        _clean(entry.get("keys", "")),
        audience,
        bool(entry.get("leads")),
        _clean(entry.get("pointer", "")),
    )


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
        whole = self._plain_similarity(question)
        asked = focus(question)
        if asked == question:
            return whole
        return FOCUS_SHARE * self._plain_similarity(asked) + (1 - FOCUS_SHARE) * whole

    def _plain_similarity(self, text: str) -> Any:
        query = self._vectorizer.transform([_normalise(text)])
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
        levels = asked_levels(question)
        duration = asks_duration(question)
        found = [
            (
                float(similarity[i]) * weights[f.topic]
                + _level_bonus(f, levels, duration)
                + (DURATION_BONUS if duration and DURATION.search(f.text) else 0.0),
                f,
            )
            for i, f in enumerate(self.facts)
            if f.topic in weights and f.text != own_core and f.for_question(question)
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
        """Up to `limit` facts that answer `question` on `topic` (possibly none).

        The first is the best (`_lead_first`). A further one must reach SECOND_SHARE of
        the best score and not repeat what was said (`repeats`); of those, one that
        answers a further part of the question (`_adds`) comes first, else a fact of
        `topic` itself; another topic's fact only when it answers a further part. A
        question that only names the term the core explains gets no facts.
        """
        if topic not in self.topics or _only_names_topic(question, self.topics[topic].core):
            return []
        core = self.topics[topic].core
        ranked = [
            pair
            for pair in self._lead_first(topic, question, self.scores(topic, question))
            if pair[0] >= MIN_SCORE
        ]
        chosen: List[Fact] = []
        while ranked and len(chosen) < limit:
            said = [core, *(_said(f) for f in chosen)]
            pick: Optional[Fact] = None
            for score, fact in ranked:
                if fact in chosen or (chosen and score < SECOND_SHARE * ranked[0][0]):
                    continue
                adds = bool(chosen) and _adds(question, fact, said)
                if chosen and not adds:
                    continue  # one fact per part asked: the answer stays short
                if self.repeats(fact, [core, *(f.text for f in chosen)]):
                    continue
                pick = fact
                if adds or not chosen:
                    break
            if pick is None:
                break
            chosen.append(pick)
        return chosen

    def _lead_first(
        self, topic: str, question: str, ranked: List[Tuple[float, Fact]]
    ) -> List[Tuple[float, Fact]]:
        """`ranked` with the fact that should lead moved to the front.

        Of the facts of `topic` within LEAD_SHARE of the best score, the first listed
        leads: side_facts.yml lists a topic's facts most important first (the newest
        salary figures before the old ones). A related topic's fact leads only when it
        answers a part of `question` that the best fact of `topic` does not.
        """
        own = [pair for pair in ranked if pair[1].topic == topic and pair[0] >= MIN_SCORE]
        if not ranked or not own:
            return ranked
        near = [pair for pair in own if pair[0] >= LEAD_SHARE * ranked[0][0]]
        if near:
            order = {id(f): i for i, f in enumerate(self.facts)}
            lead = min(near, key=lambda pair: order[id(pair[1])])
        elif _adds(question, ranked[0][1], [self.topics[topic].core, _said(own[0][1])]):
            return ranked
        else:
            lead = own[0]
        return [lead, *(pair for pair in ranked if pair is not lead)]

    def repeats(self, fact: Fact, said: Sequence[str]) -> bool:
        """True when `fact` says again what one of the sentences `said` says: similar
        words (REPEAT_SIMILARITY), or figures that were all given already.
        """
        figures = set(FIGURE.findall(fact.text))
        given = {f for text in said for f in FIGURE.findall(text)}
        if figures and figures <= given:
            return True
        if self._matrix is None or not said:
            return False
        vectors = self._vectorizer.transform([_normalise(t) for t in (fact.text, *said)])
        similarity = (vectors[1:] @ vectors[0].T).toarray().ravel()
        return bool(similarity.max() >= REPEAT_SIMILARITY)


def asked_levels(question: str) -> frozenset:
    """The language levels (A1 to C2) a question asks about: those of its sentences that
    end in "?"; those of the whole message when no sentence asks or the asking one points
    back ("Englisch B2. Reicht das?"), not when it asks about something else ("Englisch
    B2. Was bedeutet eigentlich 'IHK-Zertifikat'?").
    """
    low = (question or "").lower()
    asking = " ".join(_ASKING_SENTENCE.findall(low))
    if LEVEL.findall(asking) or (asking and not _POINTS_BACK.search(asking)):
        return frozenset(LEVEL.findall(asking))
    return frozenset(LEVEL.findall(low))


def focus(question: str) -> str:
    """The asking sentences of `question` (ending in "?") when the message also says
    something before them, they name FOCUS_WORDS words and none leans on the statement;
    else the whole message ("Englisch B2. Reicht das?" leans on it, so all of it counts).
    """
    text = question or ""
    asking = " ".join(s.strip() for s in _ASKING_SENTENCE.findall(text))
    if not asking or len(asking) >= len(text.strip()) or _LEANING.search(asking):
        return text
    return asking if len(_normalise(asking).split()) >= FOCUS_WORDS else text


def asks_duration(question: str) -> bool:
    """True when the asking part of `question` asks how long something takes."""
    low = (question or "").lower()
    asking = " ".join(_ASKING_SENTENCE.findall(low)) or low
    return bool(ASKS_DURATION.search(asking))


def _level_bonus(fact: Fact, levels: frozenset, duration: bool = False) -> float:
    """LEVEL_BONUS for a fact on a level asked about (its keys name it; for a question on
    how long it takes, also its text: "Bis B2 braucht man ... 600–800
    Unterrichtseinheiten"); minus as much for a fact whose keys name other levels only
    (no C2 line for "Unterschied zwischen B2 und C1?").
    """
    if not levels:
        return 0.0
    named = f"{fact.text} {fact.keys}" if duration else fact.keys
    if levels & set(LEVEL.findall(named.lower())):
        return LEVEL_BONUS
    return -LEVEL_BONUS if LEVEL.findall(fact.keys.lower()) else 0.0


def _stems(text: str) -> List[str]:
    return [w[: max(STEM, len(w) - STEM)] for w in _normalise(text).split() if len(w) >= STEM]


def _said(fact: Fact) -> str:
    return f"{fact.text} {fact.keys}"


def _adds(question: str, fact: Fact, said: Sequence[str]) -> bool:
    """True when `fact` names a word of `question` (its stem, `_stems`) that none of the
    sentences `said` (the core, then the facts chosen) names, or a language level asked
    about that no chosen fact names: a further fact must answer a further part of the
    question.
    """
    own = _normalise(f"{fact.text} {fact.keys}")
    before = _normalise(" ".join(said))
    if any(stem in own and stem not in before for stem in _stems(question)):
        return True
    # A language level asked about ("Worin unterscheiden sich A2 und B1?") whose line no
    # chosen fact gave (`said` starts with the core, which lists every level).
    given = set(LEVEL.findall(_normalise(" ".join(said[1:]))))
    return bool(asked_levels(question) & set(LEVEL.findall(own)) - given)


def _only_names_topic(question: str, core: str) -> bool:
    """True when every word of `question` (without question words) is in the term the
    core explains (its bold part): "Was genau ist die IHK?" asks what the core says, and
    nothing picks a fact. "Was kann man mit A2?" names a detail and gets its fact.
    """
    words = _normalise(question).split()
    named = set(_normalise(" ".join(re.findall(r"\*\*(.+?)\*\*", core))).split())
    return bool(words) and all(w.strip("?!") in named for w in words)


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
    lead = chosen[0] if chosen and chosen[0].leads else None
    core = [] if lead else [entry.core]
    pointer = (lead.pointer if lead else "") or entry.pointer
    return " ".join([*core, *(f.text for f in chosen if f.text != entry.core), pointer])


def _first_answers_both(pairs: Sequence[Tuple[str, str]]) -> bool:
    """True when the first topic's facts fit the second question part at least as well
    as the second topic's own facts do.
    """
    (first, _), (second, question) = pairs[0], pairs[1]
    return index().topic_score(first, question) >= index().topic_score(second, question)


def compose(named: Sequence[Tuple[str, str]]) -> str:
    """The answer to one or two (topic, question part) pairs of one message.

    One topic gets its core, up to two facts and the pointer; each of two topics its core,
    its best fact and its pointer. Topics without facts are skipped; "" when none is left.
    A second topic whose question part the first topic answers as well is not added.
    """
    pairs: List[Tuple[str, str]] = []
    for topic, question in named:
        if has_facts(topic) and topic not in [t for t, _ in pairs]:
            pairs.append((topic, question))
    pairs = pairs[:MAX_TOPICS]
    if not pairs:
        return ""
    if len(pairs) == 2 and _first_answers_both(pairs):
        # "Kann ich eine Umschulung machen? Und wer bezahlt das?" asks who pays for the
        # retraining, not about salaries.
        pairs = [(pairs[0][0], f"{pairs[0][1]} {pairs[1][1]}")]
    per_topic = MAX_FACTS if len(pairs) == 1 else 1
    return " ".join(answer(topic, question, facts=per_topic) for topic, question in pairs)
