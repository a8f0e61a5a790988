"""Asking back what was answered versus answering a question again, a level replaced,
and a training denied by name (career_quiz/parsing.py, data/knowledge/side_topics.yml).
"""

from __future__ import annotations

import pytest

from career_quiz.side_topics import message_topic


@pytest.mark.parametrize(
    "text",
    [
        "Welche Fremdsprachen hatte ich nochmal eingetragen?",
        "Was habe ich denn bei der Arbeit ausgewählt?",
        "Welche Antworten hab ich Ihnen gegeben?",
        "Was stand nochmal zu meinen Sprachen?",
        "Zeigen Sie mir bitte meine Antworten noch einmal",
        "Welche der drei Varianten war es denn für mich?",
        "Das Ganze bitte nochmal in wenigen Worten.",
        "Kurze Übersicht über meine Angaben?",
    ],
)
def test_asking_back_what_was_answered_is_a_summary(text):
    assert message_topic(text, "inform", 0.9) == "ask_summary"


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe Englisch angegeben, aber ich meinte Französisch.",
        "Kann ich ändern, was ich bei den Sprachen angegeben habe?",
        "Was muss ich im Antrag angeben?",
    ],
)
def test_a_statement_or_a_change_is_no_summary(text):
    assert message_topic(text, "inform", 0.9) != "ask_summary"


@pytest.mark.parametrize(
    "text",
    [
        "Kann ich die Frage zur Arbeit nochmal beantworten?",
        "Ich würde die Antwort zu den Sprachen gern neu angeben.",
    ],
)
def test_answering_one_question_again_goes_back(text):
    assert message_topic(text, "out_of_scope", 0.9) == "go_back"


@pytest.mark.parametrize(
    "text", ["Kann ich alle Fragen nochmal neu beantworten?", "Darf ich das Quiz neu ausfüllen?"]
)
def test_answering_everything_again_is_no_step_back(text):
    assert message_topic(text, "restart", 0.9) != "go_back"


def test_an_address_asks_for_the_result_by_mail():
    assert message_topic("schicken Sie es an max.muster@example.org", "inform", 0.9) == (
        "faq_email_result"
    )


@pytest.mark.parametrize(
    "text, topic",
    [
        ("ok ich will nicht mehr.", "goodbye"),
        ("Ich muss jetzt leider los", "goodbye"),
    ],
)
def test_leaving_in_other_words_is_a_goodbye(text, topic):
    assert message_topic(text, "inform", 0.9) == topic


def test_not_more_than_is_no_goodbye():
    assert message_topic("Ich kann nicht mehr als 25 Stunden arbeiten", "inform", 0.9) is None


# -- the parser ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Welche Sprachen hatte ich nochmal angegeben?", "Was hab ich zur Ausbildung gesagt?"]
)
def test_asking_back_is_no_going_back(parser, text):
    parsed = parser.parse(text, None)
    assert not parsed.go_back
    assert parsed.go_back_to is None


def test_answering_a_named_question_again_goes_back_to_it(parser):
    parsed = parser.parse("Kann ich die Sprachen nochmal ändern, die ich angegeben habe?", None)
    assert parsed.go_back and parsed.go_back_to == "languages"


@pytest.mark.parametrize(
    "text, language, level",
    [
        ("Ich meinte nicht Spanisch B2, sondern A2.", "es", "basic"),
        ("nicht Englisch gut, sondern verhandlungssicher", "en", "business"),
    ],
)
def test_a_level_replaced_keeps_the_language(parser, text, language, level):
    parsed = parser.parse(text, "task_preference")
    assert parsed.languages == {language: level}
    assert not parsed.languages_removed


def test_another_language_after_sondern_replaces_the_first(parser):
    parsed = parser.parse("nicht Englisch B2, sondern Französisch B2", "task_preference")
    assert parsed.languages == {"fr": "good"}
    assert parsed.languages_removed == ["en"]


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe BWL studiert, keine Ausbildung als Industriekauffrau.",
        "eigentlich Studium abgeschlossen, keine Industriekauffrau-Ausbildung",
    ],
)
def test_a_training_denied_by_name_is_removed(parser, text):
    parsed = parser.parse(text, "languages")
    assert parsed.training == ["degree"]
    assert parsed.training_removed == ["commercial_other"]


def test_doing_one_question_again_goes_back():
    text = "Ich würde gern die Frage nach den Tätigkeiten nochmal machen"
    assert message_topic(text, "out_of_scope", 0.8) == "go_back"


@pytest.mark.parametrize(
    "text",
    [
        "Moment, kurze Frage vorher: wie viele Leute arbeiten im Homeoffice?",
        "Eine Frage vorab: dauert die Ausbildung drei Jahre?",
    ],
)
def test_a_question_asked_first_is_no_going_back(parser, text):
    parsed = parser.parse(text, "training")
    assert not parsed.go_back
    assert parsed.question
