"""career_quiz/english.py: English messages get the bilingual notice (visitor finding
#19: a second English message and an English salary question got German replies).
"""

from __future__ import annotations

import pytest

from career_quiz.english import counts, is_english


@pytest.mark.parametrize(
    "text",
    [
        "Hi, do you speak English?",
        "How much does a project assistant earn?",
        "I studied business administration in Spain (Bachelor), I speak Spanish natively "
        "and English fluently. Is this job for me?",
        "Thank you, what does the result mean?",
        "what's the salary for this",
        "Can I do this quiz on my phone?",
    ],
)
def test_english_is_recognised_on_any_topic(text):
    assert is_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Englisch gut",
        "English fließend",
        "Englisch B2, Französisch A2, Spanisch A1",
        "Ich bin Executive Assistant to the CEO",
        "Ich habe als Office Manager in einem Start-up gearbeitet, das war super",
        "Was verdient man als Projektassistentin?",
        "Hallo",
        "",
        "Is",  # one word is not enough
    ],
)
def test_german_and_short_messages_are_not_english(text):
    assert not is_english(text)


def test_words_that_are_german_too_count_for_neither():
    assert counts("was also so") == (0, 0)
    assert counts("Is it in the office?") == (3, 0)  # "in" is German too


def test_an_english_goodbye_is_a_goodbye_and_an_english_question_gets_the_notice():
    from career_quiz.side_topics import message_topic

    assert message_topic("Thank you very much, bye!", "chitchat_thanks", 0.9) == "goodbye"
    assert message_topic("How much does a project assistant earn?", "faq_salary", 0.9) == (
        "english"
    )
    assert message_topic("I studied in Spain. Is this job for me?", "nlu_fallback", 0.4) == (
        "english"
    )
