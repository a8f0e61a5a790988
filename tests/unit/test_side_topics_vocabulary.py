"""Topic words for questions the classifier cannot place (data/knowledge/side_topics.yml):
each family in wording of its own, and neighbours that keep their topic.
"""

from __future__ import annotations

import pytest

from career_quiz.side_topics import message_topic


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Wie viel sollte ich beim Vorstellungsgespräch fordern?", "faq_salary"),
        ("Sind Handwerksbetriebe eigentlich auch in der IHK?", "faq_ihk"),
        (
            "Wie viel Prozent zählt die Fallaufgabe in der schriftlichen Abschlussprüfung?",
            ("faq_training_exam"),
        ),
        (
            "Übernimmt die Arbeitsagentur die Fahrtkosten während der Umschulung?",
            ("faq_retraining_voucher"),
        ),
        ("Muss der Bildungsträger zertifiziert sein?", "faq_retraining_voucher"),
        ("Wie lang ist ein Arbeitstag maximal erlaubt?", "faq_part_time"),
        ("Wie viele Stunden pro Woche arbeitet man bei der Bank nach Tarif?", "faq_part_time"),
        ("Wo gibt es seriöse Berufsbeschreibungen?", "faq_counselling"),
        ("Kann ich mich irgendwo persönlich beraten lassen?", "faq_counselling"),
        ("Welcher deutsche Abschluss entspricht meinem Diplom?", "faq_recognition"),
        ("Wie lange dauert die Prüfung der Zeugnisse bei der FOSA?", "faq_recognition_procedure"),
        ("Gibt es eine höhere Stufe als C2?", "faq_cefr"),
        ("Wie schreibe ich mein Englisch in den Lebenslauf, ohne Zertifikat?", None),
        # Whether languages are needed (since visit7 #9), with the second-language fact.
        ("Muss man in der Assistenz zwei Fremdsprachen haben?", "faq_languages_needed"),
        ("Kann ich als Teamassistentin irgendwann aufsteigen?", "faq_prospects"),
        ("Was ist die sinnvollste Fortbildung für mich?", "faq_prospects"),
        ("Komme ich als Bürokauffrau in die Personalabteilung?", "faq_prospects"),
        ("Lohnt sich später noch ein Studium?", "faq_prospects"),
        ("Ist die Firma Müller ein guter Arbeitgeber?", "out_of_scope"),
        ("Was passiert mit Bürojobs in einer Rezession?", "out_of_scope"),
    ],
)
def test_questions_in_everyday_words_find_their_topic(text, topic):
    found = message_topic(text, "out_of_scope", 0.5)
    if topic is None:
        assert found not in ("faq_salary", "faq_part_time")  # a CV question, not pay or hours
    else:
        assert found == topic


@pytest.mark.parametrize(
    "text",
    [
        "Ich will in die Buchhaltung",  # an answer, not a question on prospects
        "Englisch fließend, Spanisch gut",
        "Ich kann nicht mehr als 20 Stunden arbeiten",
    ],
)
def test_answers_keep_their_reading(text):
    assert message_topic(text, "inform", 0.95) is None


def test_a_lawyer_question_stays_out_of_scope():
    assert message_topic("Brauche ich einen Anwalt für meinen Arbeitsvertrag?", "inform", 0.5) == (
        "out_of_scope"
    )
