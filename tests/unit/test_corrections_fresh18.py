"""Corrections, kept quiz state and endings missed in a tuning set (fresh18, issue 16),
in our own words: what was clicked called wrong in other words, no training said at a
later question, the work preference changed after the result, questions without a
question word that were stored as answers, leaving a job read as taking an answer back,
and farewells and thanks the patterns did not know.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers
from career_quiz.asked_values import read_answers
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues
from career_quiz.side_topics import clause_topics, message_topic

OFFICE = {"training": ["office"], "languages": None, "task_preference": None}
DONE = {"training": ["office"], "languages": [], "task_preference": "assistance"}


def _read(parser, text, requested, has_result=False):
    cues = QuestionCues.from_data(load_lexicon().questions)
    topic = message_topic(text, None, 0.0)
    return read_answers(parser, text, requested, topic, cues, has_result=has_result)


@pytest.mark.parametrize(
    ("text", "training"),
    [
        ("Verklickt. Richtig wäre: Master of Science in Informatik.", ["degree"]),
        ("sorry vertippt, meinte groß und außenhandel", ["commercial_other"]),
        ("meinte Studium!! Bachelor Sozialpädagogik", ["degree"]),
        ("Hab beim Abschluss geflunkert, hab eigentlich gar keinen Abschluss", ["none"]),
        ("Oh, Fehler von mir: einen Berufsabschluss habe ich nicht.", ["none"]),
    ],
)
def test_the_training_clicked_is_replaced_at_the_language_question(parser, text, training):
    updates = merge_answers(OFFICE, parser.parse(text, "languages"), "languages")
    assert updates == {"training": training}


def test_a_lone_keine_beside_a_training_called_wrong_is_no_language_answer(parser):
    parsed = parser.parse(
        "bei der Ausbildung hab ich geflunkert, hab eigentlich keine", "languages"
    )
    assert not parsed.german_only and parsed.no_training


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("Organisieren schon, aber am liebsten Projekte planen und Budgets im Blick", "projects"),
        ("lieber mit Zahlen und Verträgen arbeiten, nicht Sekretariat", "specialist"),
        ("zu schnell geklickt, Projekte wäre richtig gewesen", "projects"),
        ("weiß es nicht genau, hab nur irgendwas angeklickt", "unsure"),
    ],
)
def test_the_work_preference_changed_after_the_result(parser, text, task):
    updates = merge_answers(DONE, _read(parser, text, None, has_result=True), None)
    assert updates == {"task_preference": task}


def test_not_wanting_the_secretariat_work_keeps_the_office_training(parser):
    parsed = parser.parse("mit IT und Verträgen arbeite ich lieber, nicht Sekretariat", None)
    assert "office" not in parsed.training_removed
    # At a training answer "nicht Büro" still takes the button back.
    assert (
        "office" in parser.parse("also nicht Büro, Industriekauffrau", "languages").training_removed
    )


@pytest.mark.parametrize(
    "text",
    [
        "verdienst in der buchhaltung so ungefähr? frag für meine freundin",
        "Kurze Frage vorab: bin alleinerziehend. Ist Teilzeit im Büro üblich?",
        "Wie viele arbeiten eigentlich im Homeoffice? Hab nur alte Zahlen gesehen",
        "Mein Mann würde gern weniger arbeiten",
    ],
)
def test_questions_and_others_wishes_at_the_work_question_store_nothing(parser, text):
    parsed = _read(parser, text, "task_preference")
    assert parsed.task is None and not parsed.task_candidates


def test_a_question_before_the_first_answer_stores_no_work(parser):
    text = "Kurz bevor ich antworte: ich hab einen Kurs in Lohnbuchhaltung gemacht, zählt der?"
    assert _read(parser, text, "training").task is None


def test_leaving_a_job_keeps_the_training(parser):
    parsed = _read(parser, "Bankkaufmann, seit 9 Jahren am Schalter. will da raus.", "training")
    assert parsed.training == ["bank_insurance"] and not parsed.no_training
    # "raus" still takes back an answer ("Spanisch da bitte raus").
    assert _read(parser, "Englisch gut, Spanisch da bitte raus", "languages").languages_removed


def test_a_job_without_a_training_is_no_training(parser):
    text = (
        "keine abgeschlossene Ausbildung, arbeite aber seit über 6 Jahren in Vollzeit als Bürokraft"
    )
    parsed = _read(parser, text, "training")
    assert parsed.no_training and "office" not in parsed.training


def test_not_knowing_said_with_das_is_unsure(parser):
    assert _read(parser, "ehrlich gesagt weiß ich das noch nicht", "task_preference").dont_know


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Bitte brechen Sie das hier ab, ich möchte keine Fragen mehr beantworten.", "goodbye"),
        ("ok danke, ich bespreche das mit meiner Beraterin. Auf Wiedersehn", "goodbye"),
        ("Hat mir geholfen, das hätte ich früher gebraucht. Danke und alles Gute", "goodbye"),
        ("vielen dnak!!", "chitchat_thanks"),
        ("welche der drei varianten wars nochmal bei mir? hab weggescrollt", "ask_summary"),
        ("was bleibt netto übrig bei steuerklasse 1?", "faq_salary"),
        ("was kriegt eine teamassistenz in bayern?", "faq_salary"),
        ("verdient man als frau weniger als die männer?", "faq_salary"),
        (
            "meine tochter will wissen wie lang die ausbildung zur bürokauffrau geht",
            "faq_training_duration",
        ),
        ("Industriekauffrau seit 4 Jahren. komm ich da noch weiter nach oben?", "faq_prospects"),
        ("bringt mich so eine Stelle später beruflich weiter?", "faq_prospects"),
        ("wie weit kann ich es im Büro bringen?", "faq_prospects"),
        (
            "gibt es über der Büroausbildung noch eine Stufe drüber, wie der Meister?",
            "faq_prospects",
        ),
        ("bin ich dann für immer auf Sekretariat festgelegt?", "faq_prospects"),
        ("nur Deutsch. kann ich mich trotzdem hocharbeiten?", "faq_prospects"),
    ],
)
def test_the_wording_gets_its_topic(text, topic):
    assert message_topic(text, "nlu_fallback", 0.3) == topic


def test_the_question_part_decides_the_topic_beside_an_answer():
    text = "Englisch fließend, war vier Jahre in Dublin. Bringt das was beim Gehalt?"
    assert message_topic(text, "inform", 0.9) == "faq_salary"
    # An answer before a question names no topic of its own.
    text = "Englisch gut, Polnisch Muttersprache. Und ist die IHK eine Behörde?"
    assert clause_topics(text) == []
