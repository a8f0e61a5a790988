"""Side questions, summaries and endings in wordings found in a tuning set (fresh15,
issue 16, tenth round): each case here is said in our own words, not the set's.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers
from career_quiz.side_topics import message_topic, reading


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # Moving up: into project lead, becoming the boss.
        ("Komme ich aus der Assistenz irgendwann Richtung Teamleitung?", "faq_prospects"),
        ("kann ich da irgendwann selbst Chefin werden", "faq_prospects"),
        # A single parent "ganz allein" asks about part time, not about working alone.
        ("Ich bin ganz allein mit zwei Kindern, geht Teilzeit im Büro?", "faq_part_time"),
        # A return after a family break with half a position is a part-time question.
        (
            "Nach acht Jahren Elternzeit will ich zurück, mit einer halben Stelle. Geht das?",
            ("faq_part_time"),
        ),
        # Age and a change into the office: retraining; pay by age stays salary.
        ("Bin Maurer, 51. Habe ich in meinem Alter noch eine Chance im Büro?", "faq_retraining"),
        ("Verdient man in meinem Alter im Büro weniger als Jüngere?", "faq_salary"),
        # A training done in full or shorter, asked in passing.
        (
            "Ich möchte eine Ausbildung beginnen – geht die bei mir auch kürzer?",
            ("faq_training_duration"),
        ),
        # A person to talk to, free of charge.
        (
            "Ich würde das gern mit ner Person besprechen. Wer bietet sowas kostenlos an?",
            ("faq_counselling"),
        ),
    ],
)
def test_the_wording_names_its_topic(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("na gut, das war's dann von meiner Seite", "goodbye"),
        (
            "Danke für alles, ich melde mich bei der Berufsberatung. Einen schönen Tag noch",
            ("goodbye"),
        ),
        ("Chat schliessen bitte", "goodbye"),
        ("noch mal kurz bitte: was ist mein nächster Schritt?", "ask_summary"),
        ("welcher der drei Bereiche ist das denn bei mir?", "ask_summary"),
        ("Ich habe den Faden verloren. Was genau ist nun mein Ergebnis?", "ask_summary"),
    ],
)
def test_endings_and_summaries_in_other_words(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


def test_the_examiners_are_named_when_asked_whether_teachers_examine():
    question = "Nehmen bei der IHK Lehrer die Prüfungen ab?"
    topic = message_topic(question, "inform", 0.6)
    assert topic == "faq_ihk"
    assert "ehrenamtlich" in side_answers.answer(topic, reading(question))


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # A longer English question the facts do not cover: the honest "no information"
        # (bilingual), not only the notice that the quiz is German.
        ("Do office jobs in Germany usually come with a company car?", "out_of_scope"),
        ("How long does it usually take to find a job as an office assistant?", "out_of_scope"),
        # Short ones, and questions about the visitor's own fit, keep the notice.
        ("hi, what is this?", "english"),
        ("I worked in a hotel in Peru. Would this job suit me?", "english"),
    ],
)
def test_an_english_question_without_facts_gets_the_honest_reply(text, topic):
    assert message_topic(text, "nlu_fallback", 0.4) == topic


@pytest.mark.parametrize(
    "text",
    [
        "Wie läuft ein Bewerbungsgespräch als Teamassistenz ab?",
        "Sitzt man im Sekretariat meistens allein?",
        "Muss ich für die Chefin auch private Besorgungen machen?",
        "Wie hoch ist die Absagequote bei Bewerbungen im Büro?",
    ],
)
def test_questions_without_facts_get_the_honest_reply(text):
    assert message_topic(text, "inform", 0.6) == "out_of_scope"


@pytest.mark.parametrize("text", ["Das geht Sie nichts an", "weiß ich nicht genau"])
def test_a_short_refusal_shaped_like_a_question_is_no_unknown_question(text):
    # A retrained classifier placed "geht Sie nichts an" nowhere; its question shape
    # ("geht Sie …") then got the out-of-scope reply instead of the quiz's skip.
    assert message_topic(text, "deny", 0.6) is None
