"""The text classifier both learned parts share: TF-IDF over character n-grams inside
word boundaries plus word uni- and bigrams, then a logistic regression (scikit-learn).

Plain Python (no rasa). career_quiz/task_model.py (work preference) and
career_quiz/side_model.py (side-question topics) differ only in their examples, their
text normalisation and the regression's settings; building, fitting, saving beside the
spaCy pipeline and loading live here once. scikit-learn and joblib are imported on
use, not at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Optional, Sequence

from career_quiz import settings


def make_pipeline(normalise: Callable[[str], str], regression: Dict[str, Any]) -> Any:
    """An untrained pipeline: char n-grams (3-5) + word n-grams (1-2) -> logistic
    regression with the keyword arguments `regression`.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalise,
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    sublinear_tf=True,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    preprocessor=normalise, analyzer="word", ngram_range=(1, 2), sublinear_tf=True
                ),
            ),
        ]
    )
    return Pipeline([("features", features), ("model", LogisticRegression(**regression))])


def fit(pipeline: Any, texts: Sequence[str], labels: Sequence[str]) -> Any:
    """`pipeline` fitted on `texts` and `labels`."""
    pipeline.fit(list(texts), list(labels))
    return pipeline


def model_path(file_name: str) -> Path:
    """Where `make spacy` saves a classifier: beside the spaCy pipeline."""
    return Path(settings.spacy_model()).parent / file_name


def save(classifier: Any, folder: Path, file_name: str) -> Path:
    """Writes the classifier into `folder` and returns the file path."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    joblib.dump(classifier, path)
    return path


def load(path: Path) -> Optional[Any]:
    """The classifier saved at `path`, or None when there is none."""
    if not path.exists():
        return None
    import joblib

    return joblib.load(path)
