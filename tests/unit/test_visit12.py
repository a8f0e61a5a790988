"""What a new-visitor run (visit12, issue 16) found, in our own words: next steps a
visitor is not admitted to, practice years miscounted, a course or a redone training
read as a quiz answer, and follow-up questions that got no answer.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from career_quiz import advice
from career_quiz.advice import Profile, read_details
from career_quiz.answers import merge_answers
from career_quiz.side_topics import message_topic


def _steps(variant: str, texts: List[str], answers: Dict[str, Any]) -> str:
    profile = Profile.build(answers, read_details(texts, answers))
    return " ".join(step.text for step in advice.steps(variant, profile))


@pytest.mark.parametrize(
    "first",
    [
        "Ich bin seit zwölf Jahren Bäcker und möchte ins Büro wechseln",
        "Kellnerin seit 8 jahren. wäre ein bürojob möglich?",
    ],
)
def test_years_outside_the_office_do_not_offer_the_externenpruefung(first):
    answers = {"training": ["other"], "languages": [], "task_preference": "assistance"}
    text = _steps("secretarial", [first, "nur deutsch", "organisieren"], answers)
    assert "Externenprüfung" not in text
    assert "Umschulung" in text


def test_years_in_the_office_still_offer_the_externenpruefung():
    answers = {"training": ["none"], "languages": [], "task_preference": "assistance"}
    texts = ["ohne Ausbildung, arbeite aber seit sieben Jahren in der Verwaltung"]
    assert "Externenprüfung" in _steps("secretarial", texts, answers)


def test_years_in_a_shop_do_not_admit_to_the_accounting_course():
    answers = {"training": ["commercial_other"], "languages": [], "task_preference": "specialist"}
    texts = [
        "gelernte Verkäuferin im Einzelhandel, dort seit zehn Jahren",
        "nur deutsch",
        "lieber mit zahlen arbeiten",
    ]
    text = _steps("specialist", texts, answers)
    assert "Bilanzbuchhalter" not in text
    assert "Praxis in der Buchhaltung" in text


def test_years_since_the_training_ended_count_as_practice():
    answers = {"training": ["finance_hr_it"], "languages": [], "task_preference": "specialist"}
    texts = ["Steuerfachangestellter, vor zwei Jahren ausgelernt", "nur deutsch", "steuern"]
    details = read_details(texts, answers)
    assert details["practice_years"] == 2
    # Steuerfachwirt: the training and three years, so one more year [domain.md, 37].
    assert "nach einem weiteren Jahr" in _steps("specialist", texts, answers)


def test_years_ago_of_a_start_are_no_practice():
    details = read_details(["vor drei Jahren eine Ausbildung angefangen"], {"training": ["none"]})
    assert details["practice_years"] is None


def test_a_study_given_up_and_no_training_said_after_it_is_no_training(parser):
    parsed = parser.parse("Abitur, dann Medizin abgebrochen. Ausbildung habe ich keine", "training")
    assert merge_answers({}, parsed, "training")["training"] == ["none"]


def test_a_course_named_before_its_course_word_is_no_training(parser):
    text = "in der Zeitung stand was vom Office Assistent Lehrgang, gibts den noch?"
    parsed = parser.parse(text, None)
    assert parsed.training == []


def test_doing_the_training_again_is_no_request_to_go_back(parser):
    text = "muss ich die Ausbildung jetzt nochmal machen, weil sie umbenannt wurde?"
    parsed = parser.parse(text, "languages")
    assert not parsed.go_back
    assert parser.parse("kann ich die Ausbildung nochmal angeben?", "languages").go_back
    assert parser.parse("kann ich die Ausbildungsfrage nochmal machen?", "languages").go_back


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Ich bin Bürokaufmann – zählt das noch, obwohl der Beruf jetzt anders heißt?",
            "faq_training_duration",
        ),
        ("und was müsste ich jetzt konkret dafür tun?", "show_next_steps"),
        ("nützt mir mein Russisch da überhaupt was?", "faq_languages_needed"),
    ],
)
def test_follow_up_questions_get_their_topic(text, topic):
    assert message_topic(text, "out_of_scope", 0.9) == topic


def test_an_ad_retold_in_one_line_with_its_requirements_is_read_as_an_ad():
    from career_quiz import job_ad

    text = (
        "Hab ne Anzeige gesehen: eine Bausparkasse sucht jemanden fürs Backoffice, "
        "Ausbildung zur Bankkauffrau vorausgesetzt, fließendes Polnisch. Passt das zu mir?"
    )
    assert job_ad.retold_ad(text)
    analysis = job_ad.default_checker().analyse(text)
    assert analysis.requirements()["languages"] == ["pl:fluent"]


def test_next_steps_asked_inside_the_quiz_get_their_own_reply():
    from career_quiz import turns

    assert turns.is_digression_intent("show_next_steps")
    assert turns.digression_response("show_next_steps") == "utter_show_next_steps_in_quiz"


def test_a_question_on_one_course_gets_that_course_first_and_its_own_chamber():
    from career_quiz import side_answers

    text = side_answers.answer("faq_ihk_training", "darf ich den steuerfachwirt schon machen?")
    assert text.startswith("Steuerfachwirt/in")
    assert "Steuerberaterkammer" in text and "Ihre IHK" not in text
    # A general question still gets the topic's own opening.
    general = side_answers.answer("faq_ihk_training", "welche fortbildungen prüft die ihk?")
    assert general.startswith("Die IHK prüft")


@pytest.mark.parametrize(
    ("first", "training", "has_years"),
    [
        ("seit 20 Jahren Sachbearbeiterin in der Verwaltung, ohne Ausbildung", ["none"], True),
        ("Koch seit 15 Jahren, will ins Büro", ["other"], False),
    ],
)
def test_office_years_without_a_training_are_a_reason_and_kitchen_years_are_not(
    first, training, has_years
):
    from career_quiz.recommender import score

    answers = {"training": training, "languages": [], "task_preference": "assistance"}
    profile = Profile.build(answers, read_details([first, "nur deutsch", "organisieren"], answers))
    text = advice.render_result(score(answers), profile)
    assert ("Jahre Praxis" in text) is has_years


@pytest.mark.parametrize(
    "text", ["bin noch in der 11. Klasse", "ich bin Schülerin, Oberstufe", "geh in die 10te klasse"]
)
def test_a_pupil_has_no_training_yet_and_is_pointed_to_an_apprenticeship(parser, text):
    assert parser.parse(text, "training").no_training
    answers = {"training": ["none"], "languages": [], "task_preference": "unsure"}
    assert "Ausbildung" in _steps("secretarial", [text], answers)
    assert "Umschulung" not in _steps("secretarial", [text], answers)


def test_school_given_up_is_not_the_training_given_up(parser):
    parsed = parser.parse(
        "Industriekaufmann, hab in der 11. Klasse abgebrochen, dann Lehre", "training"
    )
    assert parsed.training == ["commercial_other"] and not parsed.training_dropped


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Lohnt sich da für mich noch was?", "show_next_steps"),
        ("was würden Sie mir raten?", "show_next_steps"),
        ("wer zahlt mir nach der Elternzeit einen Kurs?", "faq_retraining_voucher"),
        ("Was macht ein Personaldienstleistungskaufmann?", "faq_variant_specialist"),
        ("was macht man als bürokauffrau so?", "faq_variant_secretarial"),
    ],
)
def test_next_steps_funding_and_training_questions_get_their_topic(text, topic):
    assert message_topic(text, "nlu_fallback", 0.3) == topic


def test_the_part_time_answer_does_not_promise_homeoffice_everywhere():
    from career_quiz.side_answers import compose

    text = compose([("faq_part_time", "geht da auch homeoffice?")])
    assert "Arztpraxen selten" in text and "gibt es oft" not in text
