"""What a tester's visitors read after the quiz (issue 15, visitor findings): the next
steps, gaps, field and wording must be true for each of them, on the plain-Python layer
(career_quiz/advice.py, parsing.py, summary.py, results.py). The visitors' answers are
written anew here, in other words than the tester's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest

from career_quiz import advice
from career_quiz.advice import Profile, read_details
from career_quiz.bootstrap import services
from career_quiz.recommender import VARIANTS, score
from career_quiz.results import ResultService
from career_quiz.summary import describe_updates
from tests.helpers import slots_for

ROOT = Path(__file__).resolve().parents[2]


def profile_of(texts: List[str], answers: Dict[str, Any]) -> Profile:
    return Profile.build(answers, read_details(texts, answers))


def all_texts(answers: Dict[str, Any], profile: Profile) -> str:
    rec = score(answers)
    return "\n".join(
        [
            advice.render_result(rec, profile),
            advice.render_all_steps(rec, profile),
            advice.render_why(rec, profile),
            advice.render_other_variants(rec, profile),
        ]
    )


@pytest.fixture(scope="module")
def parser():
    return services().parser


# -- #3 a school leaver gets an apprenticeship, not an Umschulung ----------------------

SCHOOL_LEAVER = (
    ["Habe noch nichts gelernt, ich bin in der zwölften Klasse und mache bald Abi"],
    {"training": ["none"], "languages": ["en:fluent"], "task_preference": "assistance"},
)


def test_school_leaver_is_sent_to_an_apprenticeship_not_to_a_retraining():
    texts, answers = SCHOOL_LEAVER
    profile = profile_of(texts, answers)
    assert profile.school_leaver
    text = all_texts(answers, profile)
    for wrong in ("Umschulung", "Bildungsgutschein", "Erwerbsleben", "berufsbegleitend"):
        assert wrong not in text, wrong
    first = advice.steps("secretarial", profile)[0].text
    assert "Ausbildung" in first and "drei Jahre" in first and "zwölf Monate" in first
    assert any("Berufsberatung" in s.text for s in advice.steps("secretarial", profile))
    # For projects the study is a route too; for the specialist field its training.
    assert "Studium" in advice.steps("project_management", profile)[0].text
    # Closing the gaps to a job ad names no funding for career changers either.
    towards = " ".join(s.text for s in advice.steps_towards("specialist", profile, "bank"))
    assert "Bankkauf" in towards and "Bildungsgutschein" not in towards


def test_someone_without_training_who_has_worked_is_still_a_career_changer():
    texts = ["Keine Ausbildung, ich arbeite seit sechs Jahren im Lager, Abitur habe ich"]
    answers = {"training": ["none"], "languages": [], "task_preference": "assistance"}
    profile = profile_of(texts, answers)
    assert not profile.school_leaver
    assert "Umschulung" in advice.steps("secretarial", profile)[0].text


# -- #5 a finished apprenticeship stays when a study was dropped ----------------------


def test_finished_apprenticeship_stays_when_the_study_beside_it_was_dropped(parser):
    text = "Ausbildung als Verkäufer, Studium abgebrochen"
    assert slots_for(parser, text, "training") == {"training": ["commercial_other"]}
    text = "Ausbildung zur Bürokauffrau, Jurastudium abgebrochen"
    assert slots_for(parser, text, "training") == {"training": ["office"]}
    # A study given up alone is still no training.
    assert slots_for(parser, "Jura studiert, aber abgebrochen", "training") == {
        "training": ["none"]
    }


# -- #6 a two-year apprenticeship needs two years of practice for the Fachwirt ---------


def test_fachwirt_buero_needs_two_years_after_a_two_year_apprenticeship():
    answers = {"training": ["commercial_other"], "languages": [], "task_preference": "projects"}
    seller = profile_of(["Ich bin gelernter Verkäufer"], answers)
    assert "short_training" in seller.groups
    assert advice.admission("fachwirt_buero", seller) == (False, 2)
    [step] = [s for s in advice.steps("project_management", seller) if s.path == "fachwirt_buero"]
    assert "zwei Jahren Praxis" in step.text and "einem Jahr" not in step.text
    # A three-year commercial apprenticeship: one year.
    retail = profile_of(["Kaufmann im Einzelhandel"], answers)
    assert advice.admission("fachwirt_buero", retail) == (False, 1)
    # One year of practice after the two-year training is not enough yet.
    junior = profile_of(["Verkäuferin, seit einem Jahr im Beruf"], answers)
    assert advice.admission("fachwirt_buero", junior) is None


# -- #7 the qualification has to match the area ----------------------------------------


def test_a_sales_training_does_not_formally_qualify_for_the_specialist_back_office():
    answers = {"training": ["commercial_other"], "languages": [], "task_preference": "projects"}
    seller = profile_of(["Verkäuferin in einer Drogerie"], answers)
    assert advice.gaps("specialist", seller)
    assert "Formal bringen Sie dafür alles mit" not in advice.gap_text("specialist", seller)


def test_office_clerk_who_names_two_fields_her_training_covers_has_no_gap():
    texts = ["Bürokauffrau, seit zwölf Jahren", "am liebsten Buchhaltung und Lohnabrechnung"]
    answers = {"training": ["office"], "languages": [], "task_preference": "specialist"}
    profile = profile_of(texts, answers)
    assert profile.specialist_field == "unsure"
    assert advice.gaps("specialist", profile) == []


def test_side_answer_says_the_specialist_training_must_match_the_area():
    text = (ROOT / "domain" / "side_questions.yml").read_text(encoding="utf-8")
    enough = " ".join(text.split("utter_faq_enough:")[1].split("utter_")[0].split())
    assert "passen" in enough and "Versicherungen und Finanzanlagen" in enough


# -- #9 language levels ----------------------------------------------------------------


def test_school_english_stays_basic_beside_a_vague_middle_word(parser):
    assert slots_for(parser, "schulenglisch, na ja, so mittel", "languages") == {
        "languages": ["en:basic"]
    }
    assert slots_for(parser, "Englisch aus der Schule, ganz okay", "languages") == {
        "languages": ["en:basic"]
    }
    # A clear level still counts ("Schulenglisch, inzwischen aber gut").
    assert slots_for(parser, "Schulenglisch, inzwischen aber gut", "languages") == {
        "languages": ["en:good"]
    }


def test_english_as_advanced_course_is_fluent(parser):
    assert slots_for(parser, "Französisch gut und Englisch Leistungskurs", "languages") == {
        "languages": ["fr:good", "en:fluent"]
    }


# -- #10 the insurance training's current name -----------------------------------------


def test_the_insurance_apprenticeship_has_its_name_since_2022_everywhere():
    # The apprenticeship is "… und Finanzanlagen" since 2022 (domain.md [68]); the
    # Fachwirt für Versicherungen und Finanzen keeps its name. Terms are lowercase.
    old = re.compile(
        r"Kauf(?:mann|frau|leute)[/-]*(?:frau)? für Versicherungen und Finanzen(?!anlagen)"
    )
    files = list((ROOT / "domain").glob("*.yml")) + list(
        (ROOT / "data" / "knowledge").glob("*.yml")
    )
    found = [
        f"{path.name}: {match.group(0)}"
        for path in files
        for match in old.finditer(" ".join(path.read_text(encoding="utf-8").split()))
    ]
    assert found == []


# -- #14 another specialist field after the result -------------------------------------


def test_a_new_specialist_field_updates_the_field_and_the_steps():
    answers = {
        "training": ["finance_hr_it"],
        "languages": ["en:good"],
        "task_preference": "specialist",
    }
    before_texts = ["Ausbildung in Finanzen, Personal oder IT", "Personal und Lohnabrechnung"]
    before = read_details(before_texts, answers)
    assert before["specialist_field"] == "hr_payroll"
    after_texts = before_texts + [
        "stimmt nicht, ich bin Fachinformatikerin und will in die IT, nicht ins Personal"
    ]
    after = read_details(after_texts, answers)
    assert after["specialist_field"] == "internal_it"
    service = ResultService(advice.rubric(), sink=None, hasher=str)
    result = service.recommend(answers, after, previous="specialist", previous_details=before)
    [text] = [m.text for m in result.messages if m.text and "Geändert" in m.text]
    assert "interne IT" in text and "Personal und Lohn" in text
    assert "Bachelor Professional in IT" in text and "Personalfachkaufmann" not in text
    # Typed button titles name no field; the visitor's own word decides.
    typed = ["Finanzen, Personal oder IT", "Fachaufgaben: Zahlen, Personal, IT, Verträge"]
    assert read_details(typed + ["Buchhaltung"], answers)["specialist_field"] == "accounting"
    # The same field again: one line, as before.
    same = service.recommend(answers, after, previous="specialist", previous_details=after)
    assert [m.response for m in same.messages][0] == "utter_recommendation_kept"


# -- #17 every result names a concrete, admissible step ---------------------------------


@pytest.mark.parametrize(
    "texts, answers",
    [
        (
            [
                "Bürokauffrau, seit zwölf Jahren",
                "Buchhaltung und Lohnabrechnung mache ich am liebsten",
            ],
            {"training": ["office"], "languages": [], "task_preference": "specialist"},
        ),
        (
            ["Buchhalterin, in Kasachstan gelernt, neun Jahre gearbeitet", "Buchhaltung"],
            {
                "training": ["finance_hr_it"],
                "languages": ["ru:native"],
                "task_preference": "specialist",
            },
        ),
        (
            ["Industriekaufmann, drei Jahre im Vertrieb", "Zahlen und Verträge"],
            {
                "training": ["commercial_other"],
                "languages": ["en:good"],
                "task_preference": "specialist",
            },
        ),
    ],
)
def test_every_result_names_a_concrete_step_beyond_reading_ads(texts, answers):
    profile = profile_of(texts, answers)
    found = advice.steps(score(answers).variant, profile)
    always = advice.knowledge()["always"]
    unsure = advice.knowledge()["lead_in"]["unsure"]
    concrete = [s for s in found if s.text not in (always, unsure)]
    assert concrete, [s.text for s in found]


def test_the_bank_or_insurance_button_gets_both_fields_courses_not_choose_a_field():
    # visit8 #14: buttons only, and the step said "Entscheiden Sie sich für ein
    # Fachgebiet (…, Bank oder Versicherung)" to someone trained in that field.
    answers = {
        "training": ["bank_insurance"],
        "languages": ["en:good"],
        "task_preference": "specialist",
    }
    steps = [s.text for s in advice.steps("specialist", profile_of([], answers))]
    assert advice.knowledge()["lead_in"]["unsure"] not in steps
    joined = " ".join(steps)
    assert "Bankfachwirt" in joined and "Versicherungen und Finanzen" in joined


def test_a_business_graduate_in_hr_is_not_told_she_simply_lacks_a_training():
    # visit8 #10: "Dafür brauchen Sie noch: eine kaufmännische Ausbildung mit
    # Personalbezug" to a Diplom-Kauffrau (FH) with HR focus.
    answers = {"training": ["degree"], "languages": ["en:fluent"], "task_preference": "specialist"}
    texts = ["Diplom-Kauffrau (FH), Schwerpunkt Personal", "Personalarbeit, Lohnabrechnung"]
    text = advice.gap_text("specialist", profile_of(texts, answers))
    assert "Stellenanzeige" in text and "Personaldienstleistungskaufmann" in text


def test_a_hairdresser_in_hr_is_still_told_the_training_hr_asks_for():
    answers = {"training": ["other"], "languages": [], "task_preference": "specialist"}
    text = advice.gap_text("specialist", profile_of(["Friseurin", "Personal"], answers))
    assert "Personaldienstleistungskaufmann" in text and "Stellenanzeige" not in text


def test_a_field_named_beside_the_bank_button_keeps_its_own_step():
    answers = {"training": ["bank_insurance"], "languages": [], "task_preference": "specialist"}
    steps = [s.text for s in advice.steps("specialist", profile_of(["Buchhaltung"], answers))]
    assert advice.knowledge()["lead_in"]["bank_insurance"] not in steps


def test_office_clerk_with_two_fields_gets_the_course_she_is_admitted_to_first():
    texts = [
        "Bürokauffrau, seit zwölf Jahren",
        "Buchhaltung und Lohnabrechnung mache ich am liebsten",
    ]
    answers = {"training": ["office"], "languages": [], "task_preference": "specialist"}
    profile = profile_of(texts, answers)
    first = advice.steps("specialist", profile)[0]
    assert first.path == "personalfachkaufmann" and not first.conditional


def test_a_bookkeeper_is_named_as_such_and_her_practice_counts_for_accounting():
    texts = ["Buchhalterin, in Kasachstan gelernt, neun Jahre gearbeitet", "Buchhaltung"]
    answers = {
        "training": ["finance_hr_it"],
        "languages": ["ru:native"],
        "task_preference": "specialist",
    }
    profile = profile_of(texts, answers)
    result = advice.render_result(score(answers), profile)
    # "Buchhalterin" is no German training (paths.yml other_titles): a qualification.
    assert "Ihre Qualifikation als Buchhalterin" in result
    assert "Finanzen, Personal oder IT" not in result
    assert advice.admission("bilanzbuchhalter", profile) == (True, 5)
    # Trained abroad: the comparison with a German occupation, not needed to apply.
    text = advice.render_all_steps(score(answers), profile)
    assert "IHK FOSA" in text and "nicht reglementiert" in text
    at_home = profile_of(["Buchhalterin, neun Jahre gearbeitet", "Buchhaltung"], answers)
    assert "FOSA" not in advice.render_all_steps(score(answers), at_home)


# -- #20 no contradictions --------------------------------------------------------------


def test_bank_clerk_who_likes_numbers_stays_in_the_bank_field():
    profile = profile_of(
        ["Sparkassenkauffrau", "am liebsten Zahlen"],
        {"training": ["bank_insurance"], "languages": [], "task_preference": "specialist"},
    )
    assert profile.specialist_field == "bank"
    result = advice.render_result(
        score({"training": ["bank_insurance"], "languages": [], "task_preference": "specialist"}),
        profile,
    )
    assert "Schwerpunkt Bank" in result and "Buchhaltung" not in result


def test_a_low_training_score_is_not_called_formally_complete():
    answers = {
        "training": ["finance_hr_it"],
        "languages": ["pl:native", "en:good"],
        "task_preference": "specialist",
    }
    profile = profile_of(
        ["Steuerfachangestellte", "Polnisch Muttersprache, Englisch gut", "Steuern"], answers
    )
    rec = score(answers)
    why = advice.render_why(rec, profile)
    secretarial = why.split("Sekretariat / Teamassistenz:")[1].split("\n")[1]
    assert "alles mit" not in secretarial and "typisch" in secretarial


def test_other_variants_describe_each_variant_once():
    answers = {
        "training": ["office"],
        "languages": ["en:good", "fr:basic"],
        "task_preference": "specialist",
    }
    profile = profile_of(["Kauffrau für Büromanagement", "Buchhaltung"], answers)
    text = advice.render_other_variants(score(answers), profile)
    for variant in VARIANTS:
        daily = advice.knowledge()["requirements"][variant]["daily"]
        assert daily not in text


# -- #21/#22/#25 wording ------------------------------------------------------------------


def test_the_training_is_noted_in_the_visitors_spelling_and_abbreviations_written_out(parser):
    parsed = parser.parse("Bürokauffrau, seit zwölf Jahren", "training")
    line = describe_updates({}, {"training": ["office"]}, parsed)
    assert line == "Notiert: Bürokauffrau."
    parsed = parser.parse("MFA", "training")
    line = describe_updates({}, {"training": ["other"]}, parsed)
    assert "MFA" not in line and "Fachangestellte" in line


def test_an_open_work_preference_is_noted_in_a_sentence():
    line = describe_updates({}, {"task_preference": "unsure"})
    assert "am liebsten noch offen" not in line and "noch offen" in line


def test_result_texts_agree_in_number_and_nest_no_brackets():
    answers = {
        "training": ["office"],
        "languages": ["en:basic", "es:basic"],
        "task_preference": "assistance",
    }
    profile = profile_of(["Bürokauffrau"], answers)
    text = all_texts(answers, profile)
    assert "fehlt Ihnen noch: gute" not in text
    assert not re.search(r"\([^()]*\([^()]*\)[^()]*\)", text), "nested brackets"
    changed = advice.render_result(
        score(answers), profile, previous="project_management", changed=[advice._t("changed_task")]
    )
    assert "Geändert hat sich Ihre Lieblingsaufgaben" not in changed
    assert "Lieblingsaufgaben geändert" in changed


# -- visit6 #4: an accountant from abroad ----------------------------------------------

ABROAD = {
    "training": ["finance_hr_it"],
    "languages": ["ar:native"],
    "task_preference": "specialist",
}


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin Buchhalter aus Syrien",
        "Buchhalterin, gelernt in Syrien",
        "Finanzbuchhalter aus dem Iran",
    ],
)
def test_an_accountant_from_abroad_is_no_german_trainee(text):
    profile = profile_of([text], ABROAD)
    assert profile.foreign_training
    result = advice.render_result(score(ABROAD), profile)
    # "Buchhalter" is a job, not a German training.
    assert "Ihre Qualifikation als" in result and "Ausbildung als" not in result
    assert "IHK FOSA" in advice.render_all_steps(score(ABROAD), profile)


def test_a_german_training_is_still_called_a_training():
    answers = {**ABROAD, "training": ["finance_hr_it"]}
    profile = profile_of(["Steuerfachangestellte aus Köln"], answers)
    assert not profile.foreign_training
    assert "Ihre Ausbildung als Steuerfachangestellte" in advice.render_result(
        score(answers), profile
    )


# -- visit6 #13: a university drop-out with office work -----------------------------------


def test_a_study_given_up_with_office_work_hears_of_the_ihk_waiver():
    answers = {"training": ["none"], "languages": [], "task_preference": "assistance"}
    texts = ["BWL abgebrochen, seit zwei Jahren im Büro"]
    details = {**read_details(texts, answers), "training_dropped": {"degree": "BWL"}}
    profile = Profile.build(answers, details)
    assert profile.dropped_study and profile.changer
    first = advice.steps("secretarial", profile)[0].text
    assert "Studienabbruch" in first and "Externenprüfung" in first
    # Without a study given up the Umschulung stays first.
    plain = Profile.build(answers, read_details(texts, answers))
    assert "Umschulung" in advice.steps("secretarial", plain)[0].text


# -- visit7 #4: level typos and school English named twice ---------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("englisch grundkentnisse", ["en:basic"]),
        ("Französisch Grundkenntnise", ["fr:basic"]),
        ("englisch so mittel, schulenglisch halt", ["en:basic"]),
        # The school word belongs to the language nearest to it, within its clause.
        ("englisch ok, französisch aus der schule", ["en:good", "fr:basic"]),
        ("Spanisch aus der Schule, Englisch gut", ["es:basic", "en:good"]),
        # One list, one school word.
        ("Englisch und Französisch aus der Schule", ["en:basic", "fr:basic"]),
    ],
)
def test_level_typos_and_school_knowledge_are_read_as_basic(parser, text, expected):
    assert slots_for(parser, text, "languages") == {"languages": expected}


@pytest.mark.parametrize("text", ["nur deutsh", "nur deutch", "deusch"])
def test_german_typed_with_a_typo_is_german_only(parser, text):
    assert slots_for(parser, text, "languages") == {"languages": []}


def test_a_typo_in_german_does_not_give_its_mother_tongue_to_english(parser):
    assert slots_for(parser, "deusch muttersprache, englisch gut", "languages") == {
        "languages": ["en:good"]
    }


# -- visit7 (minor): the three answers in a row ----------------------------------------------


@pytest.mark.parametrize(
    "text, task",
    [
        ("Bankkaufmann, nur Deutsch, Zahlen", "specialist"),
        ("Bürokauffrau, Englisch gut, Termine und Reisen", "assistance"),
        # Work described, not a third answer: no preference without a liking.
        ("Bankkauffrau, arbeite in der Buchhaltung, Englisch gut", None),
        ("Bankkauffrau, Englisch gut, Buchhaltung seit 5 Jahren", None),
    ],
)
def test_a_work_word_ending_the_three_answers_in_a_row_is_the_third(parser, text, task):
    assert slots_for(parser, text, "training").get("task_preference") == task


def test_a_language_code_with_a_level_names_no_field_of_work():
    # visit8 #3: "IT A2" (Italian) made the result's focus the internal IT.
    answers = {
        "training": ["office"],
        "languages": ["fr:good", "it:basic"],
        "task_preference": "specialist",
    }
    texts = [
        "Kauffrau für Büromanagement",
        "FR B1, IT A1",
        "Rechnungen prüfen und Dienstreisen abrechnen",
    ]
    assert "internal_it" not in advice.read_details(texts, answers)["fields"]


def test_the_internal_it_named_as_work_stays_a_field():
    answers = {"training": ["office"], "languages": ["en:good"], "task_preference": "specialist"}
    texts = ["Bürokauffrau", "Englisch B2", "am liebsten IT-Support für die Kollegen"]
    assert "internal_it" in advice.read_details(texts, answers)["fields"]


def _first_step(texts: List[str], answers: Dict[str, Any]) -> str:
    profile = profile_of(texts, answers)
    return advice.steps(score(answers).variant, profile)[0].text


def test_a_health_worker_admitted_to_the_health_fachwirt_reads_it_before_an_umschulung():
    # visit9 #12: the Umschulung came first, the Fachwirt she is admitted to last.
    answers = {"training": ["other"], "languages": [], "task_preference": "specialist"}
    first = _first_step(
        [
            "Zahnmedizinische Fachangestellte, vier Jahre in einer Zahnarztpraxis",
            "nur Deutsch",
            "Abrechnung",
        ],
        answers,
    )
    assert "Gesundheits- und Sozialwesen" in first
    assert "Umschulung" not in first


def test_a_school_based_training_needs_two_years_for_the_office_fachwirt():
    # visit9 #13: a Fremdsprachenkorrespondentin from a vocational school read "zugelassen
    # nach Ihrer Ausbildung und einem Jahr Praxis", the rule of a 3-year apprenticeship.
    answers = {"training": ["office"], "languages": ["en:fluent"], "task_preference": "assistance"}
    first = _first_step(["staatlich geprüfte Fremdsprachenkorrespondentin"], answers)
    assert "Büro- und Projektorganisation" in first
    assert "zwei Jahren Praxis" in first
