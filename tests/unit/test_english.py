"""career_quiz/english.py: English messages get the bilingual notice (visitor finding
#19: a second English message and an English salary question got German replies).
"""

from __future__ import annotations

import pytest

from career_quiz.english import counts, is_english
from career_quiz.side_topics import message_topic


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
    assert message_topic("I studied in Spain. Is this job for me?", "nlu_fallback", 0.4) == (
        "english"
    )
    # The chat's language is asked about: the notice is the answer.
    assert message_topic("Can we do this in English?", "faq_cefr", 0.6) == "english"
    assert message_topic("Do you understand German?", "nlu_fallback", 0.4) == "english"


@pytest.mark.parametrize(
    "text", ["is English possible here?", "Could I type in english instead?", "English allowed?"]
)
def test_asking_whether_english_is_possible_is_about_the_chats_language(text):
    from career_quiz.english import asks_for_english

    assert asks_for_english(text)


@pytest.mark.parametrize(
    "text", ["is english required for the job?", "how good must my english be"]
)
def test_asking_about_english_for_the_job_is_not_about_the_chat(text):
    from career_quiz.english import asks_for_english

    assert not asks_for_english(text)


@pytest.mark.parametrize(
    "text, topic",
    [
        # Visitor finding #19 got the notice alone; the answer now comes beside it.
        ("How much does a project assistant earn?", "faq_salary"),
        ("How long does the apprenticeship take?", "faq_training_duration"),
        ("Is the IHK something like a government office?", "faq_ihk"),
        ("Can I talk to a real person about my career options?", "faq_counselling"),
        ("A1, A2, B1... what do these levels mean?", "faq_cefr"),
        ("Is this job a dead end or can I move up?", "faq_prospects"),
        ("what is a Bildungsgutschein?", "faq_retraining"),
        ("thanks a lot!", "chitchat_thanks"),
        ("What was my result again?", "ask_summary"),
    ],
)
def test_an_english_question_on_a_known_topic_is_read_on_its_german_gloss(text, topic):
    from career_quiz.side_topics import message_topic, reading

    assert message_topic(text, "nlu_fallback", 0.4) == topic
    assert reading(text) != text  # its answer is built from the gloss


def test_the_gloss_puts_known_words_into_german_and_keeps_the_others():
    from career_quiz.english import gloss

    assert gloss("How long does the recognition take?") == "wie lange dauert anerkennung dauert?"
    assert gloss("Thanks a lot, Frau Weber!") == "vielen dank, frau weber!"
    # Whole words only: "pay" is no part of "paycheck", "a" none of "Aachen".
    assert gloss("paycheck in Aachen") == "paycheck in aachen"


def test_a_german_message_is_read_as_it_is():
    from career_quiz.side_topics import reading

    assert reading("Was verdient man als Projektassistentin?") == (
        "Was verdient man als Projektassistentin?"
    )
    assert reading("Hello, I am looking for a job") == "Hello, I am looking for a job"


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh9, said anew: a German title in brackets; thanks before a question; a
        # level word in quotes.
        (
            "How long is the apprenticeship (Kauffrau für Büromanagement) in Germany?",
            "faq_training_duration",
        ),
        (
            "Thank you. Which level is 'business fluent' on the CEFR scale?",
            "faq_verhandlungssicher",
        ),
    ],
)
def test_english_questions_with_german_names_or_thanks_first(text, topic):
    assert is_english(text)
    assert message_topic(text, "out_of_scope", 0.6) == topic


def test_a_contraction_is_no_quote():
    from career_quiz.english import gloss

    glossed = gloss("What's the difference between 'fluent' and 'business fluent'?")
    assert glossed.startswith("was ist") and "fließend" in glossed
