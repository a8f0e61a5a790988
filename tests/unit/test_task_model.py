"""The work-preference classifier (career_quiz/task_model.py): its examples file, the text
folding, the probabilities it gives, and the saved model preferred to training in
memory. How the parser weighs it against the cue words: test_parsing.py.
"""

from __future__ import annotations

import pytest

from career_quiz import task_model


@pytest.fixture
def examples_file(tmp_path):
    def write(text: str):
        path = tmp_path / "task_examples.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_examples_are_read_in_file_order(examples_file):
    path = examples_file("examples:\n  projects: [Projekte, 2026]\n  none: [Hallo]\n")
    assert task_model.load_examples(path) == (
        ["Projekte", "2026", "Hallo"],
        ["projects", "projects", "none"],
    )


def test_an_unknown_label_in_the_examples_is_an_error(examples_file):
    path = examples_file("examples:\n  sales: [Verkauf]\n")
    with pytest.raises(ValueError, match="unknown label 'sales'"):
        task_model.load_examples(path)


def test_the_examples_cover_every_label():
    _, labels = task_model.load_examples()
    assert set(labels) == set(task_model.TASK_LABELS) | {task_model.NONE_LABEL}


def test_texts_are_folded_as_people_type_them():
    assert task_model.normalise("Büro und Straße") == "buero und strasse"
    assert task_model.normalise("BÜRO") == task_model.normalise("buero")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Keine Buchhaltung, lieber Termine", ", lieber termine"),
        ("Zahlen mag ich nicht so", ""),
        ("Mit Verträgen will ich nichts zu tun haben, dafür Reisen", ", dafür reisen"),
        ("Lieber Assistenz als Fachabteilung", "lieber assistenz"),
        ("Am liebsten Buchhaltung und keine Telefonate", "am liebsten buchhaltung und"),
        ("Weniger Projekte, mehr Empfang", ", mehr empfang"),
        # Not refusals: a role after "lieber als", "nicht nur".
        ("Ich arbeite lieber als Assistentin", "ich arbeite lieber als assistentin"),
        ("nicht nur Zahlen, auch Projekte", "nicht nur zahlen , auch projekte"),
    ],
)
def test_what_a_text_refuses_is_left_out(text, expected):
    assert task_model.without_refusals(text) == expected


def test_a_refusal_is_left_out_for_the_classifier_too():
    assert task_model.normalise("Kein Büro, lieber Straße") == ", lieber strasse"


def test_probabilities_name_every_label_and_sum_to_one(task_classifier):
    probabilities = task_classifier.probabilities("Fuhrparkverwaltung und Reisekosten")
    assert set(probabilities) == set(task_model.TASK_LABELS) | {task_model.NONE_LABEL}
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in probabilities.values())


def test_the_classifier_learns_its_own_examples(task_classifier):
    texts, labels = task_model.load_examples()
    predicted = task_classifier.model.predict(texts)  # one batch: fast
    hits = sum(str(guess) == label for guess, label in zip(predicted, labels))
    assert hits / len(texts) >= 0.95


def test_a_saved_classifier_is_loaded_instead_of_training(tmp_path, monkeypatch):
    saved = task_model.train(["Termine planen", "Hallo"], ["assistance", "none"])
    monkeypatch.setenv("QUIZ_SPACY_MODEL", str(tmp_path / "de_backoffice"))
    assert task_model.default_model_path() == tmp_path / task_model.MODEL_FILE
    assert task_model.save(saved, tmp_path) == task_model.default_model_path()
    task_model.task_classifier.cache_clear()
    try:
        loaded = task_model.task_classifier()
    finally:
        task_model.task_classifier.cache_clear()
    # The tiny saved model, not the one trained on task_examples.yml: two labels only.
    assert set(loaded.probabilities("Termine planen")) == {"assistance", "none"}
