"""The work-preference classifier: free text -> assistance / specialist / projects / none.

Plain Python (no rasa_sdk). A word list cannot know every way people describe
their work, and German compounds ("Reisekostenabrechnung", "Fuhrparkverwaltung")
defeat one. This classifier is trained on data/knowledge/task_examples.yml with
character n-grams inside word boundaries, so the parts of a compound carry the
signal ("...abrechnung", "...verwaltung", "...planung"), plus word n-grams.

scikit-learn (already locked as a Rasa dependency) does the work: TF-IDF
features and a logistic regression, whose probabilities the parser combines
with the lexicon's cue words. `make spacy` trains and saves it next to the
spaCy pipeline (`python -m career_quiz.cli build-spacy`); training takes about a
second and is deterministic.

The classifier reads words, not negation: in "Keine Buchhaltung, lieber Termine" the
refused "Buchhaltung" would count for the specialist back office. `normalise` (used
for training and for reading alike) leaves out what a message refuses, by the rules
and words of the `refusals` section of task_examples.yml (see `without_refusals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from career_quiz import settings, text_classifier
from career_quiz.lexicon import fold_umlauts

# "none": a reply that describes no kind of work (small talk, a title, a language).
NONE_LABEL = "none"
TASK_LABELS = ("assistance", "specialist", "projects")
MODEL_FILE = "task_classifier.joblib"


def load_examples(path: Optional[Path] = None) -> Tuple[List[str], List[str]]:
    """Texts and labels from task_examples.yml, in file order."""
    path = path or settings.knowledge_dir() / "task_examples.yml"
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    texts, labels = [], []
    for label, examples in data["examples"].items():
        if label not in TASK_LABELS + (NONE_LABEL,):
            raise ValueError(f"task_examples.yml: unknown label {label!r}")
        for text in examples:
            texts.append(str(text))
            labels.append(label)
    return texts, labels


@dataclass(frozen=True)
class Refusals:
    """How a refusal is read (the `refusals` section of task_examples.yml)."""

    negations: frozenset
    not_negations: frozenset
    comparatives: frozenset
    clause_breaks: frozenset
    tail_words: frozenset


_TOKEN = re.compile(r"[\w][\w'-]*|[^\w\s]")


@lru_cache(maxsize=1)
def refusals() -> Refusals:
    """The refusal words of task_examples.yml, read once per process."""
    path = settings.knowledge_dir() / "task_examples.yml"
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle).get("refusals", {})
    return Refusals(
        *(
            frozenset(str(w).lower() for w in data.get(key, []))
            for key in ("negations", "not_negations", "comparatives", "clause_breaks", "tail_words")
        )
    )


def without_refusals(text: str, cues: Optional[Refusals] = None) -> str:
    """The lowercased words of `text` without what it refuses.

    In each clause (ended by a clause break): the words from a negation to the clause's
    end ("keine Zahlen, lieber Termine" -> "lieber Termine"); the whole clause when only
    tail words follow its negation ("Zahlen mag ich nicht so", "mit Verträgen will ich
    nichts zu tun haben"); and after a comparative, "als" and what follows it ("lieber
    Zahlen als Telefon" -> "lieber Zahlen"; "lieber als Assistentin" keeps its role).
    A negation followed by a not-negation ("nicht nur") refuses nothing.
    """
    cues = cues or refusals()
    words = _TOKEN.findall(text.lower())
    keep = [True] * len(words)
    start = 0
    for end in [i for i, w in enumerate(words) if w in cues.clause_breaks] + [len(words)]:
        _drop_refused(words, keep, start, end, cues)
        start = end + 1
    return " ".join(w for w, k in zip(words, keep) if k)


def _drop_refused(words: List[str], keep: List[bool], start: int, end: int, cues: Refusals):
    """Marks the refused words of the clause words[start:end] in `keep`."""
    compared = start > 0 and words[start - 1] in cues.comparatives  # "lieber" ends a clause
    for i in range(start, end):
        word = words[i]
        if word in cues.negations and not (i + 1 < end and words[i + 1] in cues.not_negations):
            rest = words[i + 1 : end]
            first = start if all(w in cues.tail_words for w in rest) else i
            keep[first:end] = [False] * (end - first)
            return
        if word == "als" and compared and words[i - 1] not in cues.comparatives:
            keep[i:end] = [False] * (end - i)
            return
        compared = compared or word in cues.comparatives


def normalise(text: str) -> str:
    """Lowercase with umlauts and sharp s folded, as users often type them, without
    what the text refuses (`without_refusals`).
    """
    return fold_umlauts(without_refusals(text))


def make_classifier():
    """An untrained pipeline (career_quiz/text_classifier.py: char n-grams + word
    n-grams -> logistic regression).
    """
    return text_classifier.make_pipeline(
        normalise, dict(C=8.0, max_iter=2000, class_weight="balanced")
    )


def train(texts: Sequence[str], labels: Sequence[str]):
    """A classifier fitted on `texts` and `labels`."""
    return text_classifier.fit(make_classifier(), texts, labels)


def save(classifier, folder: Path) -> Path:
    """Writes the classifier into `folder` and returns the file path."""
    return text_classifier.save(classifier, folder, MODEL_FILE)


@dataclass
class TaskClassifier:
    """A fitted classifier with a probability lookup per label."""

    model: object

    def probabilities(self, text: str) -> Dict[str, float]:
        """Label -> probability for one text (the labels sum to 1)."""
        proba = self.model.predict_proba([text])[0]  # type: ignore[attr-defined]
        classes = self.model.classes_  # type: ignore[attr-defined]
        return {str(label): float(p) for label, p in zip(classes, proba)}


def default_model_path() -> Path:
    """Where `make spacy` saves the classifier (beside the spaCy pipeline)."""
    return text_classifier.model_path(MODEL_FILE)


@lru_cache(maxsize=1)
def task_classifier() -> TaskClassifier:
    """The saved classifier, loaded once per process; trained in memory when missing."""
    saved = text_classifier.load(default_model_path())
    return TaskClassifier(saved) if saved is not None else in_memory_classifier()


@lru_cache(maxsize=1)
def in_memory_classifier() -> TaskClassifier:
    """The classifier trained in memory on task_examples.yml, once per process."""
    return TaskClassifier(train(*load_examples()))
