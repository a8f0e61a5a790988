"""Advice errors found in a tuning set (job_ads_fresh4, issue 16), in our own words: a
workplace read as a training, a school year abroad and the months without a job counted
as practice, "Ihre 1 Jahre Praxis", reasons that mixed noun phrases with clauses, and a
non-commercial training told it lacks "eine kaufmännische Ausbildung".
"""

from __future__ import annotations

from career_quiz import advice
from career_quiz.advice import Profile, read_details
from career_quiz.recommender import score

OFFICE = {"training": ["office"], "languages": ["en:good"], "task_preference": "assistance"}


def test_a_workplace_named_after_a_title_is_no_training(parser):
    text = "keine Ausbildung. seit zwei Jahren mach ich das Büro in einer Dachdeckerei"
    parsed = parser.parse(text, "training")
    assert "other" not in parsed.training
    assert parsed.no_training
    # A typo of the title itself is still corrected.
    assert parser.parse("dachdeckr", "training").training == ["other"]


def test_a_school_year_abroad_is_no_practice():
    texts = ["Bürokauffrau, Abschluss 2026", "Englisch fließend, war ein Jahr an einer High School"]
    assert read_details(texts, OFFICE)["practice_years"] == 0


def test_the_time_since_the_exam_without_a_job_is_no_practice():
    finished = "Umschulung zur Bürokauffrau, Prüfung 2025 bestanden"
    assert read_details([finished], OFFICE)["practice_years"] == 1
    jobless = finished + ", hab aber noch keine Stelle gefunden"
    assert read_details([jobless], OFFICE)["practice_years"] == 0


def test_one_year_of_practice_reads_as_german():
    profile = Profile.build(OFFICE, read_details(["Bürokauffrau seit einem Jahr"], OFFICE))
    assert profile.years == 1
    why = advice.render_why(score(OFFICE), profile)  # "Gewertet wurde: …" names every reason
    assert "Ihre einjährige Praxis" in why and "1 Jahre" not in why


def test_the_reasons_are_noun_phrases():
    profile = Profile.build(OFFICE, read_details(["Bürokauffrau"], OFFICE))
    result = advice.render_result(score(OFFICE), profile)
    assert "Ihre Freude am Unterstützen und Organisieren" in result
    assert "Sie unterstützen gern" not in result


def test_a_non_commercial_training_lacks_the_commercial_qualification():
    answers = {"training": ["other"], "languages": [], "task_preference": "specialist"}
    texts = ["gelernte Friseurin", "nur Deutsch", "Personalsachen, Lohnabrechnung"]
    profile = Profile.build(answers, read_details(texts, answers))
    assert profile.specialist_field == "hr_payroll"
    gap = advice.gaps("specialist", profile)
    assert gap == [
        "einen kaufmännischen Berufsabschluss mit Personalbezug, etwa "
        "Personaldienstleistungskaufmann/-frau"
    ]
    # Without any training the gap stays the training.
    none = {**answers, "training": ["none"]}
    profile = Profile.build(none, read_details(["keine Ausbildung"] + texts[1:], none))
    gap = advice.gaps("specialist", profile)
    assert "eine kaufmännische Ausbildung mit Personalbezug" in gap[0]
