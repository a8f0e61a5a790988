"""Side questions in wordings the first patterns did not know (issue 16, fourth round):
a question about the visitor's own case, a complaint that names a topic, the question
part of a mixed message deciding between two topics, word families, and the facts of
the language level asked about. All sentences are our own.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers
from career_quiz.side_topics import (
    NOT_ASKED,
    OWN_CASE,
    message_topic,
    question_topic,
    side_topics,
)


@pytest.mark.parametrize(
    "text",
    [
        "Erfülle ich denn die Voraussetzungen für den Bilanzbuchhalter?",
        "Reicht meine Ausbildung als Hotelfachfrau?",
        "Zählt mein abgebrochenes Jurastudium?",
        "Werde ich damit zur Prüfung zugelassen?",
    ],
)
def test_a_question_on_the_own_case_points_to_the_result(text):
    assert message_topic(text, "faq_salary", 0.5) == OWN_CASE


def test_an_own_case_question_on_a_foreign_qualification_keeps_its_topic():
    text = "Zählt meine Ausbildung aus Rumänien hier?"
    assert message_topic(text, "inform", 0.6) == "faq_recognition"


def test_the_own_case_question_part_of_a_mixed_message():
    assert question_topic("Reicht meine Berufserfahrung?", None) == OWN_CASE


@pytest.mark.parametrize(
    "text",
    ["Ich hab gar nicht nach dem Gehalt gefragt", "Danach habe ich doch nicht gefragt!"],
)
def test_a_complaint_that_names_a_topic_is_no_question_on_it(text):
    assert message_topic(text, "faq_salary", 0.9) == NOT_ASKED


def test_the_question_part_decides_between_the_topics_of_a_mixed_message():
    # The answer part names a language level; the question asks for further training.
    text = "Französisch verhandlungssicher. Welche Weiterbildung passt später zu mir?"
    assert message_topic(text, "inform", 0.9) == "faq_prospects"


def test_a_question_part_that_points_back_keeps_the_whole_message():
    text = "Ich habe ein IHK-Zertifikat als Lohnbuchhalterin, ist das ein Abschluss?"
    assert side_topics().topic(text) == "faq_ihk"
    assert message_topic(text, "faq_ihk", 0.3) == "faq_ihk"


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Zahlen Konzerne im Büro eigentlich besser?", "faq_salary"),
        ("Gibt es bei Banken Sonderzahlungen?", "faq_salary"),
        ("Wird mir meine Lehre als Verkäuferin angerechnet?", "faq_training_duration"),
        ("Wie viel Prozent macht das Fachgespräch aus?", "faq_training_exam"),
        ("Ist der Bildungsgutschein befristet?", "faq_retraining_voucher"),
        ("Was kann beim Anerkennungsverfahren herauskommen?", "faq_recognition_procedure"),
        ("Wer ist die zuständige Stelle für meine Lehre?", "faq_ihk"),
        ("Wie gut muss mein Spanisch im Export sein?", "faq_cefr"),
        ("Berät die Arbeitsagentur in Leipzig auch Berufstätige?", "faq_counselling"),
        ("Wie hoch ist die Arbeitslosenquote im Büro?", "out_of_scope"),
    ],
)
def test_word_families_name_their_topic(text, topic):
    assert side_topics().topic(text) == topic


def test_steering_projects_is_no_tax_question():
    text = "Ich würde gern Projekte steuern. Wird mein Diplom aus Polen anerkannt?"
    assert side_topics().topic(text) == "faq_recognition"


def test_a_tax_question_is_still_out_of_scope():
    assert side_topics().topic("Wie viel Steuern zahlt man als Azubi?") == "out_of_scope"


@pytest.mark.parametrize(
    "question, level",
    [
        ("Was heißt eigentlich B1?", "B1 heißt"),
        ("Italienisch A2 und Englisch C2. Was bedeutet C1 genau?", "C1 heißt"),
    ],
)
def test_the_fact_on_the_level_asked_about_comes_first(question, level):
    facts = side_answers.index().best_facts("faq_cefr", question)
    assert facts and facts[0].text.startswith(level)


def test_two_levels_asked_get_their_two_facts_and_no_other_level():
    facts = side_answers.index().best_facts("faq_cefr", "Worin unterscheiden sich A2 und B1?")
    starts = sorted(f.text[:2] for f in facts)
    assert starts == ["A2", "B1"]


@pytest.mark.parametrize(
    "text, question",
    [
        ("Bürokauffrau. Bezahlen die Behörden besser?", "Bezahlen die Behörden besser?"),
        (
            "Ich bin Kellner, seit Jahren. Schaff ich noch den Wechsel?",
            "Schaff ich noch den Wechsel?",
        ),
        (
            "Bankkaufmann. Nebenbei: bildet die IHK auch Prüfer aus?",
            "bildet die IHK auch Prüfer aus?",
        ),
    ],
)
def test_a_question_opens_with_a_verb_the_cues_do_not_list(text, question):
    from career_quiz.questions import split_message
    from career_quiz.side_topics import _cues

    split = split_message(text, _cues())
    assert split.question == question
    assert not split.tentative


@pytest.mark.parametrize(
    "text",
    ["Bankkauffrau der Sparkasse?", "Weiß ich nicht, Englisch vielleicht?", "Industriekauffrau?"],
)
def test_a_hesitant_answer_stays_an_answer(text):
    from career_quiz.questions import split_message
    from career_quiz.side_topics import _cues

    split = split_message(text, _cues())
    assert split.question == ""
    assert split.tentative


def test_a_question_part_that_points_back_takes_the_topic_of_the_whole_message():
    # The NLU component weighed "ist das ... anerkannt?" on the whole message.
    assert question_topic("ist das ein anerkannter Abschluss?", "faq_ihk") == "faq_ihk"


def test_a_question_part_of_its_own_keeps_its_topic():
    question = "Wird mein Diplom aus Polen anerkannt?"
    assert question_topic(question, "faq_salary") == "faq_recognition"


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Mich würde interessieren, ob man im Personalbereich gut verdient", "faq_salary"),
        ("ich frage mich ob sekretariat auch halbtags geht", "faq_part_time"),
        ("Erzählen Sie mir mehr über die Fortbildung zum Fachwirt", "faq_ihk_training"),
    ],
)
def test_an_indirect_question_is_a_question_not_a_work_answer(text, topic):
    from career_quiz.questions import split_message
    from career_quiz.side_topics import _cues

    split = split_message(text, _cues())
    assert split.statement == ""
    assert split.question
    assert message_topic(text, "inform", 0.95) == topic


def test_a_statement_about_interests_stays_an_answer():
    from career_quiz.questions import split_message
    from career_quiz.side_topics import _cues

    assert split_message("Mich interessieren Zahlen und Bilanzen", _cues()).question == ""
