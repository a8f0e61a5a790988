"""career_quiz/lexicon.py: term expansion, and the lookups and regexes generated for NLU."""

from __future__ import annotations

from career_quiz.lexicon import expand


def test_expand_alternatives():
    assert expand("kauf(mann|frau) für büro(management|kommunikation)") == [
        "kaufmann für büromanagement",
        "kaufmann für bürokommunikation",
        "kauffrau für büromanagement",
        "kauffrau für bürokommunikation",
    ]
    assert expand("re:a[12]") == ["re:a[12]"]


def test_lookup_regexes_are_anchored_at_word_boundaries():
    # Rasa adds no \b to NLU regexes; unanchored, a pattern starting with a
    # character class is tried at every position of the text.
    from career_quiz.lexicon import load_lexicon, nlu_lookup_data

    regexes = [e for e in nlu_lookup_data(load_lexicon())["nlu"] if "regex" in e]
    assert {e["regex"] for e in regexes} >= {"training_pattern", "language_pattern"}
    for entry in regexes:
        pattern = entry["examples"].strip()[2:]
        assert pattern.startswith(r"\b(?:") and pattern.endswith(r")\b"), entry["regex"]
