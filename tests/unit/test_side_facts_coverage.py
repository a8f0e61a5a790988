"""Specific side questions get the specific fact (data/knowledge/side_facts.yml,
career_quiz/side_answers.py): a figure, a paragraph, a named institution or source from
docs/domain.md, not only the topic's core sentence. The questions are our own wording.
"""

from __future__ import annotations

import re

import pytest

from career_quiz.side_answers import answer, focus, topics

# A sentence ends at ".", "!" or "?" after a letter ("7. bis 8. Jahr" goes on).
SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?])\s+(?=[A-ZÄÖÜ„])")


@pytest.mark.parametrize(
    "topic, question, expected",
    [
        # salary
        ("faq_salary", "Zahlen tarifgebundene Firmen besser?", "Weihnachtsgeld"),
        ("faq_salary", "Verdient man in einem Großkonzern mehr als in einer Mini-Firma?", "10 %"),
        ("faq_salary", "Gibt es bei Versicherungen Sonderzahlungen nach Tarif?", "130 %"),
        ("faq_salary", "Was bekommt eine Backoffice-Managerin so?", "37.400"),
        ("faq_salary", "Bis zu welchem Monat reichen die StepStone-Daten?", "November 2024"),
        # IHK
        ("faq_ihk", "Gehört ein Friseursalon zur IHK?", "Handwerkskammer"),
        ("faq_ihk", "Ist eine Steuerberaterkanzlei IHK-Mitglied?", "Freie Berufe"),
        ("faq_ihk", "Nach welchem Paragrafen lässt die IHK Externe zu?", "§ 45 BBiG"),
        ("faq_ihk", "Wer prüft ausländische Abschlüsse in IHK-Berufen?", "FOSA"),
        ("faq_ihk", "Ist Management-Assistentin ein geregelter IHK-Titel?", "private"),
        ("faq_ihk", "Was heißt es, wenn ein Kurs IHK-zertifiziert ist?", "keine IHK-Prüfung"),
        # further training
        ("faq_ihk_training", "Was ersetzt den IT-Projektleiter der IHK?", "Bachelor Professional"),
        ("faq_ihk_training", "Welches Jahr hat die Fachwirt-Verordnung fürs Büro?", "2012"),
        ("faq_ihk_training", "Welche IHK-Fortbildung passt für Bankkaufleute?", "Bankfachwirt"),
        ("faq_ihk_training", "Wer darf zur Prüfung Fremdsprachenkorrespondent?", "Nachweis"),
        ("faq_prospects", "Wie viele Projektstunden verlangt PMP ohne Studium?", "7.500"),
        ("faq_prospects", "Was steht in der Norm DIN 69905 über Projektassistenten?", "Weisung"),
        ("faq_prospects", "Gibt mir der Fachwirt das Recht zu studieren?", "allgemeinen"),
        (
            "faq_prospects",
            "Welche Fortbildung gibt es für Steuerfachangestellte?",
            "Steuerfachwirt",
        ),
        ("faq_prospects", "Wie aktuell sind die Angaben zum PMI?", "Handbuch"),
        ("faq_prospects", "Was ist eine Europasekretärin auf Englisch?", "European Management"),
        # training duration and exam
        ("faq_training_duration", "In welchem Paragrafen steht die Teilzeitausbildung?", "§ 7a"),
        (
            "faq_training_duration",
            "Kann man Buchhalterin als Ausbildung lernen?",
            "kein Ausbildungsberuf",
        ),
        ("faq_training_duration", "Seit welchem Jahr gibt es Büromanagement als Beruf?", "2014"),
        (
            "faq_training_duration",
            "Wie heißt der Informatikkaufmann heute?",
            "Digitalisierungsmanagement",
        ),
        (
            "faq_training_duration",
            "Wie viele Stunden hat der Betriebswirt im Gesundheitswesen?",
            "1.250",
        ),
        (
            "faq_training_exam",
            "Wie lange dauert die mündliche Prüfung im Fachgespräch?",
            "20 Minuten",
        ),
        ("faq_training_exam", "Wofür steht WiSo?", "Wirtschafts- und Sozialkunde"),
        ("faq_training_exam", "Wie viel zählt das Projekt in der IT-Prüfung?", "50 %"),
        ("faq_training_duration", "Wie lange dauert Teil 1 der Prüfung?", "120 Minuten"),
        # retraining, funding, external exam
        ("faq_retraining", "Welcher Paragraf im SGB III regelt die Umschulungsdauer?", "§ 180"),
        ("faq_retraining", "Bekomme ich den Bildungsgutschein nur als Arbeitsloser?", "bedroht"),
        ("faq_retraining_external", "Wird meine Berufszeit im Ausland angerechnet?", "angerechnet"),
        # part-time, home office
        ("faq_part_time", "Wie viele Stunden am Tag darf man maximal arbeiten?", "10 Stunden"),
        ("faq_part_time", "Wie viel Homeoffice gab es in der Corona-Pandemie im Büro?", "59 %"),
        ("faq_part_time", "Arbeitet man in der Unternehmensberatung oft daheim?", "73 %"),
        # counselling, recognition, languages
        ("faq_counselling", "Wo lese ich offizielle Berufsbeschreibungen nach?", "BERUFENET"),
        ("faq_recognition", "Wofür steht BQFG?", "Berufsqualifikationsfeststellungsgesetz"),
        (
            "faq_recognition",
            "Brauche ich einen deutschen Pass für die Anerkennung?",
            "Staatsangehörigkeit",
        ),
        ("faq_retraining_external", "Welches Gesetz regelt die Externenprüfung?", "§ 45 Abs. 2"),
        ("faq_ihk", "Bei welcher IHK melde ich mich extern zur Prüfung an?", "Wohnort"),
        ("faq_part_time", "Wie viel Homeoffice gibt es bei Versicherungen?", "70 %"),
        ("faq_cefr", "Gibt es über C2 noch eine Stufe?", "höchste"),
        ("faq_recognition_procedure", "Was kommt bei der Prüfung heraus?", "teilweise"),
        ("faq_cefr", "Welche zweite Sprache neben Englisch ist beliebt?", "Russisch"),
    ],
)
def test_a_specific_question_gets_its_fact(topic, question, expected):
    assert expected in answer(topic, question)


def test_a_question_after_a_statement_is_weighed_by_its_asking_sentence():
    text = "Spanisch Muttersprache, Englisch gut. Wie viele Prüfer hat die IHK?"
    assert focus(text) == "Wie viele Prüfer hat die IHK?"
    assert "150.000" in answer("faq_ihk", text)


def test_a_question_that_leans_on_the_statement_is_weighed_whole():
    assert focus("Englisch B2. Reicht das?") == "Englisch B2. Reicht das?"
    assert focus("Wie viele IHKs gibt es?") == "Wie viele IHKs gibt es?"
    assert focus("Englisch gut, b2. gibts da was, um das nachzuweisen?").startswith("Englisch")
    # "das" before a noun is an article, not a pointer back.
    assert focus("Englisch gut. Wie lang ist das Fachgespräch?") == "Wie lang ist das Fachgespräch?"


def test_facts_keep_answers_short():
    """Every fact stays one or two sentences."""
    for topic in topics().values():
        for fact in topic.facts:
            sentences = [s for s in SENTENCE_END.split(fact.text) if s.strip()]
            assert len(sentences) <= 2, fact.text
