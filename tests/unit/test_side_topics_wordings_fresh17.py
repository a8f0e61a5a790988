"""Side-question and ending wordings missed in a tuning set (fresh17, issue 16), in our
own words: a sign-off, a last "ende", a summary asked briefly, the voucher's validity
and providers, the cost of recognition, and which fact of a topic answers.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers
from career_quiz.side_topics import message_topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("passt schon, ende", "goodbye"),
        ("muss los, danke für alles. lg", "goodbye"),
        ("sag mir bitte kurz was da rauskam", "ask_summary"),
        ("ok und welche variante jetzt?", "ask_summary"),
        ("wie lange ist so ein Bildungsgutschein gültig?", "faq_retraining_voucher"),
        ("bei welchem träger kann ich den gutschein einlösen", "faq_retraining_voucher"),
        ("wer zahlt eigentlich die anerkennung von meinem abschluss?", "faq_recognition_procedure"),
    ],
)
def test_the_wording_gets_its_topic(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


def test_a_sign_off_beside_an_answer_is_no_goodbye():
    assert message_topic("Industriekauffrau, lg", "inform", 0.9) != "goodbye"


@pytest.mark.parametrize(
    ("topic", "text", "fact"),
    [
        ("faq_retraining_voucher", "verfällt der gutschein irgendwann?", "befristet"),
        ("faq_retraining_voucher", "welche kursanbieter nehmen den gutschein an?", "AZAV"),
        ("faq_retraining", "darf das amt die umschulung ablehnen?", "Kann-Leistung"),
    ],
)
def test_the_fact_asked_for_is_in_the_answer(topic, text, fact):
    assert fact in side_answers.answer(topic, text)
