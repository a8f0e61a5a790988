"""The summary on request (career_quiz/recap.py): nothing answered, during the quiz, and
after the result. The action that sends it: test_recap_action.py.
"""

from __future__ import annotations

from career_quiz.recap import EMPTY, FULL, PARTIAL, build_recap


def test_recap_without_answers_offers_the_quiz():
    assert build_recap({}, None).response == EMPTY


def test_recap_during_the_quiz_lists_the_answers_so_far():
    recap = build_recap({"training": ["bank_insurance"], "languages": ["en:fluent"]}, None)
    assert recap.response == PARTIAL
    assert recap.values["answers"] == (
        "Ausbildung: Ausbildung bei Bank oder Versicherung; Fremdsprachen: Englisch fließend"
    )


def test_recap_after_the_result_names_answers_recommendation_and_next_step():
    answers = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    recap = build_recap(answers, "secretarial", {"secretarial": 91}, skipped=["languages"])
    assert recap.response == FULL
    assert recap.values["score"] == 91
    assert recap.values["title"] and recap.values["next_step"]
    assert "Fremdsprachen: übersprungen" in recap.values["answers"]


def _filled(recap):
    """The utter_recap text as Rasa fills it in (domain/recap.yml)."""
    import yaml

    from tests.helpers import ROOT

    domain = yaml.safe_load((ROOT / "domain" / "recap.yml").read_text(encoding="utf-8"))
    return domain["responses"][recap.response][0]["text"].format(**recap.values)


def test_recap_of_a_tie_says_the_tie_as_the_result_did():
    # No training, German only, "weiß nicht": the result said "Zwei Varianten liegen
    # gleichauf: Fach-Backoffice und Projektassistenz / Projektkoordination (je 15 …)",
    # the summary named Fach-Backoffice alone.
    from career_quiz import advice
    from career_quiz.recommender import score

    answers = {"training": ["none"], "languages": [], "task_preference": "unsure"}
    rec = score(answers)
    first, second = advice.tied(rec.scores)
    points = rec.scores[first]
    # With the stored scores, and scored again without them (older slots).
    for scores in (rec.scores, None):
        text = _filled(build_recap(answers, rec.variant, scores))
        assert (
            f"- Empfehlung: zwei Varianten gleichauf, **Fach-Backoffice und Projektassistenz"
            f" / Projektkoordination** (je {points} von 100 Punkten)"
        ) in text, text
        assert "Buchhaltung, Personal" not in text  # not the one variant's full title
    # Without a tie: the one variant, as before.
    single = {"training": ["office"], "languages": ["en:fluent"], "task_preference": "assistance"}
    rec = score(single)
    assert len(advice.tied(rec.scores)) == 1
    text = _filled(build_recap(single, rec.variant, rec.scores))
    assert f"- Empfehlung: **Sekretariat / Teamassistenz** ({rec.scores[rec.variant]} von" in text


def test_recap_names_the_training_as_the_visitor_did():
    # Visitor finding (visit6): "Ausbildung bei Bank oder Versicherung" for a Bankkauffrau.
    answers = {
        "training": ["bank_insurance", "degree"],
        "languages": [],
        "task_preference": "specialist",
    }
    details = {"training_titles": ["Bankkauffrau"], "answers": dict(answers)}
    recap = build_recap(answers, "specialist", None, None, details)
    assert recap.values["answers"].startswith("Ausbildung: Bankkauffrau, ")
    assert "Bank oder Versicherung" not in recap.values["answers"]
    # Details of other answers (the training changed since) name nothing.
    changed = {**answers, "training": ["office"]}
    recap = build_recap(changed, "secretarial", None, None, details)
    assert "Bankkauffrau" not in recap.values["answers"]
