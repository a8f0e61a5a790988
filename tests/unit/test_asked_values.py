"""A question about a value is no answer (career_quiz/asked_values.py), real answers stay."""

from __future__ import annotations

import pytest

from career_quiz.answers import ParsedAnswers, merge_answers
from career_quiz.asked_values import asks, keep_quiz_state, read_answers
from career_quiz.lexicon import lexicon
from career_quiz.questions import QuestionCues
from career_quiz.side_topics import message_topic

FILLED = {"training": ["office"], "languages": [], "task_preference": "assistance"}


def _cues():
    return QuestionCues.from_data(lexicon().questions)


def _updates(parser, text, requested, current=None):
    parsed = parser.parse(text, requested)
    topic = message_topic(text, "inform", 0.9)
    kept = keep_quiz_state(parsed, text, requested, topic, _cues())
    return merge_answers(current or {}, kept, requested), kept


@pytest.mark.parametrize(
    "requested, text",
    [
        # Before and after the quiz: a question naming a training or a language.
        (None, "wie lang geht bankkaufmann mit abitur"),
        (None, "wie lange dauert eig. eine kaufmännische lehre"),
        (None, "bankausbildung mit realschule, wie lang"),
        (None, "Sie schreiben, man sollte Englisch gut können. Heißt das B2?"),
        # At one question, about another one's value.
        ("task_preference", "wie lang is die ausbildung für steuerfachangestellte"),
        ("task_preference", "Auf welchem Niveau liegt ein IHK Fachwirt, ist das wie ein Bachelor?"),
        (
            "training",
            "Ich bin mir nie sicher, ob mein Englisch B1 oder B2 ist. Woran erkenne ich das?",
        ),
        ("languages", "mein studium aus indien, bwl – wer bewertet das"),
        # About the open question's own value.
        ("training", "mein diplom ist aus der ukraine, wird das anerkannt?"),
        ("training", "hab in rumänien eine kaufmännische ausbildung gemacht, zählt das?"),
        ("training", "abschluss aus dem ausland, was soll ich hier im quiz angeben?"),
        ("languages", "Französisch hatte ich 5 Jahre in der Schule – ist das A2 oder schon B1?"),
    ],
)
def test_a_question_about_a_value_stores_nothing(parser, requested, text):
    current = FILLED if requested == "task_preference" or requested is None else {}
    updates, kept = _updates(parser, text, requested, dict(current))
    assert updates == {}
    assert kept.question  # answered as a side question


@pytest.mark.parametrize(
    "requested, text, expected",
    [
        ("training", "Ich bin Bankkauffrau – brauche ich dafür ein Studium?", "training"),
        (
            "training",
            "bankkaufmann, abgeschlossen 2015. wieviel verdient man im back office einer bank?",
            "training",
        ),
        (
            "languages",
            "englisch fließend, spanisch B1. und was verdient man dann so ungefähr?",
            "languages",
        ),
        (
            "languages",
            "Spanisch ist meine Muttersprache – verbessert das meine Chancen im Office?",
            "languages",
        ),
        (
            "task_preference",
            "zahlen liegen mir, buchhaltung wär super – und was verdient man da?",
            "task_preference",
        ),
        # Not a side question: a correction at another question.
        ("languages", "Ach nein, Korrektur: eigentlich bin ich gelernte Bankkauffrau.", "training"),
    ],
)
def test_an_answer_with_a_question_keeps_its_answer(parser, requested, text, expected):
    updates, _ = _updates(parser, text, requested)
    assert expected in updates


def test_the_other_answers_of_a_message_that_answers_the_open_question_stay(parser):
    updates, _ = _updates(
        parser, "Ich bin Bankkauffrau, Englisch fließend – was verdient man da?", "training"
    )
    assert updates["training"] == ["bank_insurance"]
    assert updates["languages"] == ["en:fluent"]


def test_a_statement_naming_a_topic_is_an_answer(parser):
    # No question in it: "Teamassistentin (IHK)" answers the training question.
    updates, _ = _updates(parser, "Teamassistentin (IHK)", "training")
    assert updates["training"] == ["office"]


def test_a_clause_opened_by_an_interrogative_asks():
    assert asks(ParsedAnswers(), "bankausbildung mit realschule, wie lang", _cues())
    assert asks(ParsedAnswers(), "und die fachwirt prüfung, wo meldet man sich da an", _cues())
    assert not asks(ParsedAnswers(), "Bankkauffrau, seit zehn Jahren im Beruf", _cues())


def test_a_payload_like_parse_without_a_topic_is_kept():
    parsed = ParsedAnswers(training=["office"])
    assert keep_quiz_state(parsed, "Bürokauffrau", None, None, _cues()) is parsed


def test_a_foreign_degree_stated_before_the_question_is_an_answer(parser):
    text = "Ich habe in Syrien meinen BWL-Bachelor abgeschlossen. Muss ich das anerkennen lassen?"
    updates, _ = _updates(parser, text, "training")
    assert updates["training"] == ["degree"]


@pytest.mark.parametrize(
    "text, topic",
    [
        ("wie lang geht bankkaufmann mit abitur", "faq_training_duration"),
        ("Lohnt sich das finanziell überhaupt? Ich verdiene gerade ca 2200 brutto", "faq_salary"),
    ],
)
def test_a_question_read_as_an_answer_gets_its_topic(text, topic):
    # The classifier may read these as quiz answers; their words name the topic.
    assert message_topic(text, "inform", 0.95) == topic


def test_a_confident_answer_without_a_question_keeps_its_intent():
    assert message_topic("Bankkauffrau, seit 2015 im Beruf", "inform", 0.95) is None


def test_a_training_named_beside_a_question_on_the_procedure_is_kept(parser):
    # "brauche ich eine Anerkennung, um ...?" asks about the procedure, not whether the
    # training just named counts; "zählt das?" would.
    text = "Ich bin Industriekauffrau aus Polen – muss ich eine Anerkennung beantragen?"
    updates, kept = _updates(parser, text, "training")
    assert updates.get("training") == ["commercial_other"]
    assert kept.question


def test_a_school_certificate_beside_a_side_question_is_its_premise(parser):
    text = "Ich habe Abitur. Wie lange dauert dann eine Ausbildung bei der Bank?"
    updates, kept = _updates(parser, text, "training")
    assert updates == {}
    assert kept.question


def test_no_training_stated_beside_a_side_question_is_an_answer(parser):
    text = "Ich habe Abitur, aber keine Ausbildung. Wie lange dauert eine Ausbildung?"
    updates, _ = _updates(parser, text, "training")
    assert updates.get("training") == ["none"]


def test_asking_the_level_of_a_language_just_named_stores_nothing(parser):
    updates, kept = _updates(
        parser, "ich kann italienisch ganz gut, wäre das schon B2?", "languages"
    )
    assert updates == {}
    assert kept.question


@pytest.mark.parametrize(
    "text,has_result,expected",
    [
        # Outside the quiz, a statement before a question answers (README's example).
        ("Ich bin Bankkauffrau – brauche ich dafür ein Studium?", False, ["bank_insurance"]),
        # Not when the question is about the value itself.
        # Before the quiz the values are held until it starts (turns.holds_answers), so
        # a question about them keeps them.
        ("mein diplom ist aus der ukraine – was muss ich machen", False, ["degree"]),
        # After the result, only as an addition.
        ("Ich bin Bankkauffrau – brauche ich dafür ein Studium?", True, []),
        ("ach und ich hab noch nen master in finance, ändert das was?", True, ["degree"]),
    ],
)
def test_a_statement_beside_a_question_outside_the_quiz(parser, text, has_result, expected):
    from career_quiz.lexicon import load_lexicon
    from career_quiz.questions import QuestionCues
    from career_quiz.side_topics import message_topic

    cues = QuestionCues.from_data(load_lexicon().questions)
    topic = message_topic(text, None, 0.0)
    parsed = read_answers(parser, text, None, topic, cues, has_result=has_result)
    assert parsed.training == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # "Umschulung" alone, in a question on retraining, is no training of the visitor.
        ("umschulung im betrieb oder beim bildungsträger – was ist besser?", None),
        # A training of one's own beside it is.
        ("Ausbildung als Köchin – lohnt sich eine Umschulung?", ["other"]),
    ],
)
def test_retraining_named_in_a_question_is_no_training(parser, text, expected):
    updates, _ = _updates(parser, text, "training")
    assert updates.get("training") == expected


def test_before_the_quiz_a_value_asked_about_is_kept_to_be_held(parser):
    text = "verhandlungssicheres englisch, kann ich das mit einem c1 zertifikat belegen?"
    topic = message_topic(text, None, 0.0)
    parsed = read_answers(parser, text, None, topic, parser.question_cues)
    assert parsed.languages == {"en": "business"}
    # After the result it changes nothing (not an addition or a correction).
    after = read_answers(parser, text, None, topic, parser.question_cues, has_result=True)
    assert not after.languages
