"""Side questions, summaries and endings in wordings found in a tuning set (fresh13,
issue 16, eighth round): each case here is said in our own words, not the set's.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers
from career_quiz.side_topics import message_topic, side_topics


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # Recognition: waiting for the decision, papers incomplete, applying again,
        # help with the fees, failing the check.
        ("Wie lange wartet man normalerweise auf den Bescheid?", "faq_recognition_procedure"),
        ("Mein Zeugnis ist unvollständig, was kann ich tun?", "faq_recognition_procedure"),
        (
            "Wenn ich die fehlenden Teile nachhole, darf ich dann erneut beantragen?",
            "faq_recognition_procedure",
        ),
        ("Werden die Gebühren irgendwie gefördert?", "faq_recognition_procedure"),
        # Career prospects in everyday words.
        ("Was kommt nach der Projektassistenz als nächstes?", "faq_prospects"),
        ("gibt es aufstigsmöglichkeiten im sekretariat", "faq_prospects"),
        ("Trägt man als Assistentin auch mal echte Verantwortung?", "faq_prospects"),
        ("nur deutsch, kann ich trotzdem weiterzukommen hoffen?", "faq_prospects"),
        ("Kann das langfristig in Richtung Office Management gehen?", "faq_prospects"),
        ("Wie weit kommt man mit Buchhaltung?", "faq_prospects"),
        ("Bleibt man als Teamassistenz hängen?", "faq_prospects"),
        ("was geht nach fünf jahren noch, wenn man sich anstrengt?", "faq_prospects"),
        ("Kaffee kochen ist nicht alles, oder bekommt man da auch Verantwortung?", "faq_prospects"),
        # The exam early, the three years in full, a training in part time.
        ("Kann man mit sehr guten Noten früher zur Prüfung?", "faq_training_duration"),
        (
            "Muss ich die drei Jahre voll machen, obwohl ich schon gearbeitet habe?",
            "faq_training_duration",
        ),
        ("Geht die Lehre zur Industriekauffrau auch in Teilzeit?", "faq_training_duration"),
        # No training but years of work; an exam taken as an outsider.
        (
            "Ich habe keinen Abschluss, aber zehn Jahre Büro. Kann ich den Abschluss nachholen?",
            "faq_retraining_external",
        ),
        ("Geht Bankkaufmann auch als Externer?", "faq_retraining_external"),
        ("Was übernimmt ein Bildungsgutschein so?", "faq_retraining_voucher"),
        # Tests online, a level word as ads use it, pay by age or city.
        ("gibt es tests im internet, die mir helfen?", "faq_counselling"),
        (
            'Was ist mit "sehr gut" in einer Anzeige eigentlich genau gemeint?',
            "faq_verhandlungssicher",
        ),
        ("Verdiene ich weniger, weil ich erst 19 bin?", "faq_salary"),
        ("In München zahlen die doch sicher mehr, oder?", "faq_salary"),
        # Details of everyday work the facts do not hold: an honest "no information".
        ("Sind Piercings im Büro ein Problem?", "out_of_scope"),
        (
            "Wie alt ist man so im Schnitt als Sekretärin, wie alt sind die Kollegen?",
            "out_of_scope",
        ),
        ("Gibt es beim Bewerben einen Einstellungstest?", "out_of_scope"),
        ("Wie viele Mails schreibt man da?", "out_of_scope"),
        ("Arbeitet man in der Lohnbuchhaltung mit DATEV?", "out_of_scope"),
        ("Muss man als Projektkoordinatorin viele Dienstreisen machen?", "out_of_scope"),
        ("Ist man im Sekretariat auch abends erreichbar?", "out_of_scope"),
        ("Sitzt man als Assistenz meistens im Großraumbüro?", "out_of_scope"),
        ("Wie viele Mails bekommt eine Teamassistenz pro Tag?", "out_of_scope"),
        ("Bekommt man in solchen Jobs ein Jobrad?", "out_of_scope"),
        ("Muss man auch private Termine für den Chef machen?", "out_of_scope"),
        ("Muss man im Sekretariat Kaffee kochen?", "out_of_scope"),
    ],
)
def test_the_wording_names_its_topic(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


def test_failing_a_recognition_is_not_an_exam_pass_rate():
    text = "Kann die Anerkennung auch negativ ausfallen, also durchfallen?"
    assert message_topic(text, "inform", 0.6) != "out_of_scope"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("stopp, ich mag das nicht mehr", "goodbye"),
        ("Für heute ist Schluss", "goodbye"),
        ("das wird mir gerade zu viel", "goodbye"),
        ("Bringen Sie es bitte auf den Punkt", "ask_summary"),
        ("sagen Sie mir einfach, was dabei rauskommt", "ask_summary"),
        ("also was ist nun das richtige für mich?", "ask_summary"),
    ],
)
def test_endings_and_summaries_in_other_words(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


def test_a_diploma_asked_about_after_naming_it_is_the_visitors_own_case():
    assert side_topics().asks_own_case("zählt mein Diplom denn nicht?")


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (
            "Muss ich meinen Abschluss erst anerkennen lassen, bevor ich mich bewerbe?",
            "ohne Anerkennung",
        ),
        ("Zählt meine Berufserfahrung bei der Anerkennung mit?", "berücksichtigt"),
    ],
)
def test_the_recognition_answer_names_the_fact_asked_for(question, words):
    topic = message_topic(question, "inform", 0.6)
    assert words in side_answers.answer(topic, question)


@pytest.mark.parametrize(
    "text", ["okay danke, das war echt Schrott", "naja, war ja völlig nutzlos"]
)
def test_thanks_that_call_the_result_bad_are_criticism(text):
    # visit9 #15: "ok danke, war eh mist" got "Gern geschehen, das freut mich!".
    assert message_topic(text, "chitchat_thanks", 0.9) == "feedback_negative"


def test_a_task_called_bad_is_no_criticism_of_the_result():
    assert message_topic("Ablage ist Mist, lieber Zahlen", "inform", 0.6) != "feedback_negative"


def test_how_long_a_fachwirt_takes_is_no_apprenticeship_duration():
    # visit9 #10 asked it with "Ausbildung zum Fachwirt" (still open); named alone, the
    # further-training answer says there is no reliable figure.
    assert message_topic("Wie lange dauert eigentlich der Fachwirt?", "inform", 0.6) == (
        "faq_ihk_training"
    )
