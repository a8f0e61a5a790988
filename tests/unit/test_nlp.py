"""The project's German spaCy pipeline: built from the lexicon, saved, loaded."""

from __future__ import annotations

import spacy

from career_quiz.nlp import RULER_NAME, in_memory_pipeline, pipeline, save_pipeline


def test_saved_pipeline_loads_and_tags_entities(nlp, tmp_path):
    save_pipeline(nlp, tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == ["lemmatizer", RULER_NAME]
    doc = loaded("Ich bin Bankkauffrau und spreche Tschechisch verhandlungssicher")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Bankkauffrau", "training"),
        ("Tschechisch", "language"),
        ("verhandlungssicher", "level"),
    ]
    # Lemmas come from spacy-lookups-data.
    assert loaded("Ich habe studiert")[2].lemma_ == "studieren"


def test_both_gender_forms_and_old_titles_are_patterns(nlp):
    for text in [
        "Bankkaufmann",
        "Bankkauffrau",
        "Bürokaufmann",
        "Bürokauffrau",
        "Versicherungskaufmann",
        "Fachinformatikerin",
        "Sekretär",
        "Sekretärin",
    ]:
        assert [e.label_ for e in nlp(text).ents] == ["training"], text


def test_missing_model_falls_back_to_an_in_memory_pipeline(tmp_path):
    pipeline.cache_clear()
    try:
        nlp = pipeline(str(tmp_path / "does-not-exist"))
        assert RULER_NAME in nlp.pipe_names
        assert nlp is in_memory_pipeline()  # built once per process
    finally:
        pipeline.cache_clear()


def test_generated_lookups_file_is_up_to_date():
    from career_quiz.cli import LOOKUPS_FILE, render_lookups

    assert LOOKUPS_FILE.read_text(encoding="utf-8") == render_lookups(), (
        "data/nlu/lookups.yml is stale: run `python -m career_quiz.cli build-lookups`"
    )
