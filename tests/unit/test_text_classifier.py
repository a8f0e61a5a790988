"""The shared text classifier (career_quiz/text_classifier.py): build, fit, save, load."""

from __future__ import annotations

from career_quiz import text_classifier

TEXTS = ["Termine planen und Reisen buchen", "Lohnabrechnung und Buchhaltung", "Hallo"]
LABELS = ["assistance", "specialist", "none"]


def _fitted():
    pipeline = text_classifier.make_pipeline(str.lower, {"C": 10.0, "max_iter": 500})
    return text_classifier.fit(pipeline, TEXTS, LABELS)


def test_a_fitted_pipeline_ranks_a_known_wording_first():
    fitted = _fitted()
    assert list(fitted.classes_) == sorted(LABELS)
    assert fitted.predict(["Buchhaltung bitte"])[0] == "specialist"
    assert fitted.named_steps["model"].C == 10.0  # the regression's settings are used


def test_a_saved_classifier_loads_with_the_same_probabilities(tmp_path):
    fitted = _fitted()
    path = text_classifier.save(fitted, tmp_path / "sub", "x.joblib")
    assert path == tmp_path / "sub" / "x.joblib" and path.exists()
    loaded = text_classifier.load(path)
    assert (loaded.predict_proba(TEXTS) == fitted.predict_proba(TEXTS)).all()


def test_a_missing_file_loads_as_none(tmp_path):
    assert text_classifier.load(tmp_path / "missing.joblib") is None


def test_classifiers_are_saved_beside_the_spacy_pipeline(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIZ_SPACY_MODEL", str(tmp_path / "de_backoffice"))
    assert text_classifier.model_path("a.joblib") == tmp_path / "a.joblib"
