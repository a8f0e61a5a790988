"""The learned fallback for side-question topics (career_quiz/side_model.py): its
examples file, what it is trained on, its guesses and the threshold, and where
career_quiz/side_topics.py asks it. Every sentence here is our own.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers, side_model
from career_quiz.side_topics import message_topic, side_topics


def test_examples_are_read_in_file_order(tmp_path):
    path = tmp_path / "side_examples.yml"
    path.write_text(
        "examples:\n  faq_salary: ['Was bringt das ein?']\n  none: [Bankkauffrau]\n",
        encoding="utf-8",
    )
    assert side_model.load_examples(path) == (
        ["Was bringt das ein?", "Bankkauffrau"],
        ["faq_salary", "none"],
    )


def test_every_example_label_is_a_side_topic_or_none():
    _, labels = side_model.load_examples()
    allowed = set(side_topics().names()) | {side_model.NONE_LABEL}
    assert set(labels) <= allowed
    assert side_model.NONE_LABEL in labels


def test_the_facts_are_trained_on_beside_the_examples():
    texts, labels = side_model.training_data()
    examples, _ = side_model.load_examples()
    assert len(texts) > len(examples)
    core = side_answers.topics()["faq_ihk"].core
    assert labels[texts.index(core)] == "faq_ihk"


def test_text_is_folded_as_visitors_type_it():
    assert side_model.normalise("  Größe  ÜBER ") == side_model.normalise("groesse ueber")


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Wie viel Geld kann man als Sekretärin im Jahr erwarten?", "faq_salary"),
        ("Kann ich im Büro auch nur halbtags arbeiten?", "faq_part_time"),
        ("Wo kann ich mich persönlich und kostenlos beraten lassen?", "faq_counselling"),
    ],
)
def test_a_clear_question_gets_its_topic(text, topic):
    assert side_model.topic_of(text) == topic


@pytest.mark.parametrize(
    "text", ["Industriekauffrau seit acht Jahren.", "Ich organisiere gern Termine."]
)
def test_a_quiz_answer_gets_no_topic(text):
    assert side_model.topic_of(text) is None


def test_the_guess_is_a_label_with_its_probability():
    label, probability = side_model.side_classifier().guess("Lohnt sich das finanziell?")
    assert label in side_model.side_classifier().model.classes_
    assert 0.0 < probability <= 1.0


def test_the_classifier_is_loaded_once():
    assert side_model.side_classifier() is side_model.side_classifier()


def test_the_saved_model_is_preferred_to_training_in_memory(tmp_path, monkeypatch):
    fitted = side_model.train(["Was verdient man?", "Bankkauffrau", "Hallo"], ["a", "none", "none"])
    side_model.save(fitted, tmp_path)
    monkeypatch.setattr(side_model, "default_model_path", lambda: tmp_path / side_model.MODEL_FILE)
    side_model.side_classifier.cache_clear()
    try:
        assert list(side_model.side_classifier().model.classes_) == ["a", "none"]
    finally:
        side_model.side_classifier.cache_clear()


def test_the_threshold_is_right_more_often_than_not_in_cross_validation():
    (row,) = side_model.cross_validate([side_model.CONFIDENT])
    assert row["accuracy"] >= 0.75
    assert row["coverage"] >= 0.15
    assert row["false_topic"] <= 0.15


QUESTION_NO_PATTERN_NAMES = "Wen kann ich persönlich fragen, wenn ich unsicher bin?"


def test_no_pattern_names_the_fallback_example():
    assert side_topics().topic(QUESTION_NO_PATTERN_NAMES) is None


@pytest.mark.parametrize("intent, confidence", [("inform", 0.95), ("nlu_fallback", 0.4)])
def test_the_fallback_names_a_question_the_patterns_miss(intent, confidence):
    # Read as a quiz answer or not placed at all: the learned fallback names the topic.
    assert message_topic(QUESTION_NO_PATTERN_NAMES, intent, confidence) == "faq_counselling"


def test_the_fallback_keeps_an_intent_the_classifier_is_sure_of():
    assert message_topic(QUESTION_NO_PATTERN_NAMES, "faq_variants", 0.95) is None


def test_a_statement_without_question_form_is_not_asked():
    assert message_topic("Ich arbeite gern persönlich mit Menschen", "inform", 0.95) is None


@pytest.mark.parametrize(
    "text",
    ["Wen kann ich persönlich fragen, wenn ich unsicher bin?", "Bankkauffrau", "", "§§§ 123"],
)
def test_the_direct_scorer_gives_the_pipelines_probabilities(text):
    classifier = side_model.side_classifier()
    expected = classifier.model.predict_proba([text])[0]
    got = classifier.probabilities(text)
    assert list(got) == [str(c) for c in classifier.model.classes_]
    assert list(got.values()) == pytest.approx(list(expected), abs=1e-9)
