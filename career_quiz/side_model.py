"""The learned fallback for side-question topics: question text -> topic or "none".

Plain Python (no rasa). The patterns of data/knowledge/side_topics.yml name a topic by
its keywords, and unseen wording slips past them ("Wer ist diese zuständige Stelle?").
This classifier is trained on data/knowledge/side_examples.yml (many wordings per topic,
plus quiz answers and small talk as `none`) with TF-IDF over character n-grams inside
word boundaries and word uni- and bigrams, and a logistic regression, as
career_quiz/task_model.py does for the work preference. career_quiz/side_topics.py asks
it only where the patterns name no topic and the message is a question, and takes its
guess only at CONFIDENT or more (chosen by cross-validation, see `cross_validate`).

`make spacy` trains it and saves it beside the spaCy pipeline (`python -m
career_quiz.cli build-spacy`, about a second); without the file it is trained in memory
on first use. Nothing is read at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from career_quiz import settings, side_answers, text_classifier
from career_quiz.lexicon import fold_umlauts

NONE_LABEL = "none"
MODEL_FILE = "side_topic_classifier.joblib"
# A guess counts at this probability or more. Five-fold cross-validation on
# side_examples.yml (`cross_validate`, facts always trained on), after the session-37
# helpers' examples (about 30 more wordings per topic and sub-topic, 40 answers, 50
# out-of-scope questions): at 0.55, 93 % of the guesses taken were right, 50 % of the
# questions got one and 5.5 % of the answers were taken for a topic; at 0.5 coverage
# was 57 % but 8.6 % of the answers got a topic; at 0.6, 44 % and 3.9 %. (Session 36,
# at 0.5: 92 % right, 40 % coverage, 5 % of the answers.) A wrong topic costs more than
# the honest "keine verlässlichen Informationen", and an answer taken for a question
# loses the answer, so the fallback is cautious.
CONFIDENT = 0.55


def load_examples(path: Optional[Path] = None) -> Tuple[List[str], List[str]]:
    """Texts and labels from side_examples.yml, in file order."""
    path = path or settings.knowledge_dir() / "side_examples.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts: List[str] = []
    labels: List[str] = []
    for label, examples in data["examples"].items():
        for text in examples:
            texts.append(str(text))
            labels.append(str(label))
    return texts, labels


def fact_examples() -> Tuple[List[str], List[str]]:
    """Each fact of data/knowledge/side_facts.yml (text and keys) and each core sentence,
    labelled with its topic: the words a topic's answers use teach its vocabulary.
    """
    texts: List[str] = []
    labels: List[str] = []
    for name, topic in side_answers.topics().items():
        for text in (topic.core, *(f"{f.text} {f.keys}" for f in topic.facts)):
            texts.append(text)
            labels.append(name)
    return texts, labels


def training_data() -> Tuple[List[str], List[str]]:
    """The examples of side_examples.yml and the facts, as texts and labels."""
    texts, labels = load_examples()
    facts, topics = fact_examples()
    return texts + facts, labels + topics


def normalise(text: str) -> str:
    """Lowercase with umlauts and sharp s folded, as visitors often type them."""
    return fold_umlauts(" ".join((text or "").lower().split()))


def make_classifier() -> Any:
    """An untrained pipeline (career_quiz/text_classifier.py); liblinear (one-vs-rest)
    trains in about a second, lbfgs took over ten.
    """
    return text_classifier.make_pipeline(
        normalise, dict(C=10.0, max_iter=3000, class_weight="balanced", solver="liblinear")
    )


def train(texts: Sequence[str], labels: Sequence[str]) -> Any:
    """A classifier fitted on `texts` and `labels`."""
    return text_classifier.fit(make_classifier(), texts, labels)


def save(classifier: Any, folder: Path) -> Path:
    """Writes the classifier into `folder` and returns the file path."""
    return text_classifier.save(classifier, folder, MODEL_FILE)


class _Scorer:
    """The fitted pipeline's probabilities for one text, computed directly from its
    vocabularies, idf weights and coefficients: the same numbers as `predict_proba`
    (tests/unit/test_side_model.py checks it) in a fraction of the time, without
    scikit-learn's per-call validation and sparse stacking.
    """

    def __init__(self, pipeline: Any) -> None:
        import numpy as np

        union, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
        self.parts = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            vocabulary = vectorizer.vocabulary_
            self.parts.append((vectorizer.build_analyzer(), vocabulary, vectorizer.idf_, offset))
            offset += len(vocabulary)
        self.coef = np.asarray(model.coef_)
        self.intercept = np.asarray(model.intercept_, dtype=float)
        self.classes = [str(c) for c in model.classes_]

    def probabilities(self, text: str) -> List[float]:
        import numpy as np

        scores = self.intercept.copy()
        for analyzer, vocabulary, idf, offset in self.parts:
            counts: Dict[int, int] = {}
            for token in analyzer(text):
                index = vocabulary.get(token)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=int)
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=float))) * idf[columns]
            weights /= np.sqrt(weights @ weights)
            scores += self.coef[:, offset + columns] @ weights
        # One-vs-rest logistic regression: each class's sigmoid, normalised to sum 1.
        probabilities = 1.0 / (1.0 + np.exp(-scores))
        return list(probabilities / probabilities.sum())


@dataclass
class SideClassifier:
    """A fitted classifier: the most probable label of a text and its probability."""

    model: Any

    def __post_init__(self) -> None:
        """Prepares the direct scorer once per loaded model."""
        self._scorer = _Scorer(self.model)

    def probabilities(self, text: str) -> Dict[str, float]:
        """Label -> probability for one text (they sum to 1)."""
        return dict(zip(self._scorer.classes, self._scorer.probabilities(text)))

    def guess(self, text: str) -> Tuple[str, float]:
        """The most probable label of `text` and its probability."""
        probabilities = self.probabilities(text)
        label = max(probabilities, key=lambda name: probabilities[name])
        return label, probabilities[label]


def default_model_path() -> Path:
    """Where `make spacy` saves the classifier (beside the spaCy pipeline)."""
    return text_classifier.model_path(MODEL_FILE)


@lru_cache(maxsize=1)
def side_classifier() -> SideClassifier:
    """The saved classifier, loaded once per process; trained in memory when missing."""
    saved = text_classifier.load(default_model_path())
    return SideClassifier(saved if saved is not None else train(*training_data()))


def topic_of(text: str, minimum: float = CONFIDENT) -> Optional[str]:
    """The topic the classifier gives `text` with at least `minimum` probability; None
    for "none" or a weaker guess.
    """
    label, probability = side_classifier().guess(text)
    return label if label != NONE_LABEL and probability >= minimum else None


def cross_validate(thresholds: Sequence[float], folds: int = 5) -> List[Dict[str, float]]:
    """Per threshold: the share of topic questions that get a guess (`coverage`), the
    share of those guesses that are right (`accuracy`), and the share of `none`
    examples wrongly given a topic (`false_topic`). The examples are split in stratified
    folds (fixed seed); the facts are always in the training part.
    """
    from sklearn.model_selection import StratifiedKFold

    texts, labels = load_examples()
    facts, fact_labels = fact_examples()
    guesses: List[Tuple[str, str, float]] = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(texts, labels):
        fitted = SideClassifier(
            train(
                [texts[i] for i in train_idx] + facts,
                [labels[i] for i in train_idx] + fact_labels,
            )
        )
        for i in test_idx:
            label, probability = fitted.guess(texts[i])
            guesses.append((labels[i], label, probability))
    rows = []
    for threshold in thresholds:
        questions = [g for g in guesses if g[0] != NONE_LABEL]
        taken = [g for g in questions if g[1] != NONE_LABEL and g[2] >= threshold]
        nones = [g for g in guesses if g[0] == NONE_LABEL]
        wrong_none = [g for g in nones if g[1] != NONE_LABEL and g[2] >= threshold]
        rows.append(
            {
                "threshold": threshold,
                "coverage": len(taken) / max(1, len(questions)),
                "accuracy": sum(g[0] == g[1] for g in taken) / max(1, len(taken)),
                "false_topic": len(wrong_none) / max(1, len(nones)),
            }
        )
    return rows
