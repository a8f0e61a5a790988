"""How a message splits into a statement and a question (career_quiz/questions.py):
plain Python, no servers.
"""

from __future__ import annotations

import pytest

from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues, sentences, split_message


@pytest.fixture(scope="module")
def cues():
    return QuestionCues.from_data(load_lexicon().questions)


@pytest.mark.parametrize(
    "text,statement,question",
    [
        (
            "Ich bin Bankkauffrau – brauche ich dafür ein Studium?",
            "Ich bin Bankkauffrau",
            "brauche ich dafür ein Studium?",
        ),
        (
            "Englisch fließend, reicht das für das Sekretariat?",
            "Englisch fließend",
            "reicht das für das Sekretariat?",
        ),
        ("Was heißt verhandlungssicher?", "", "Was heißt verhandlungssicher?"),
        ("Brauche ich ein Studium", "", "Brauche ich ein Studium"),
        ("Habe BWL studiert", "Habe BWL studiert", ""),
        ("Was ich gern mache, ist Buchhaltung", "Was ich gern mache, ist Buchhaltung", ""),
        ("Ist mir egal", "Ist mir egal", ""),
        ("Fach-Backoffice", "Fach-Backoffice", ""),
    ],
)
def test_split_message(cues, text, statement, question):
    split = split_message(text, cues)
    assert (split.statement, split.question) == (statement, question)


def test_question_mark_without_question_word_is_tentative(cues):
    split = split_message("Bankkauffrau?", cues)
    assert split.statement == "Bankkauffrau" and split.question == "" and split.tentative
    assert split.asks


@pytest.mark.parametrize(
    "text,question",
    [
        # A preposition before the interrogative.
        ("Ich habe Abitur. Bis wann kann man das beantragen?", "Bis wann kann man das beantragen?"),
        ("Mittlere Reife. Um wie viel geht das schneller?", "Um wie viel geht das schneller?"),
        # An interrogative, a verb the cues lack, and its subject; no "?".
        ("bin bankkauffrau. was kriegt man da so", "was kriegt man da so"),
        ("englisch gut. wo finde ich stellen", "wo finde ich stellen"),
        # "ach" before the question.
        ("Englisch gut. Ach und was heißt B2?", "Ach und was heißt B2?"),
        # A contracted verb first.
        ("Bin Verkäuferin. gibts da beratung?", "gibts da beratung?"),
    ],
)
def test_question_openers_beyond_the_cue_words(cues, text, question):
    assert split_message(text, cues).question == question


@pytest.mark.parametrize(
    "text",
    ["wann immer ich kann, organisiere ich termine", "wie gesagt ich bin bankkauffrau"],
)
def test_an_interrogative_in_a_statement_opens_no_question(cues, text):
    assert split_message(text, cues).question == ""


@pytest.mark.parametrize(
    "text",
    [
        "Dann habe ich wohl Englisch B2 und Französisch A1.",
        "also spreche ich Englisch gut",
        "dann mache ich am liebsten Buchhaltung",
    ],
)
def test_a_verb_after_a_fronted_adverb_is_a_statement(cues, text):
    # German puts the verb second: "Dann habe ich ..." states, "Habe ich ...?" asks.
    assert split_message(text, cues).question == ""


@pytest.mark.parametrize(
    "text,question",
    [
        ("dann brauche ich ein Studium?", "dann brauche ich ein Studium?"),
        ("Englisch gut. Und brauche ich ein Zertifikat", "Und brauche ich ein Zertifikat"),
    ],
)
def test_fronted_adverb_still_asks_with_a_question_mark_and_after_und(cues, text, question):
    assert split_message(text, cues).question == question


@pytest.mark.parametrize(
    "text,question",
    [
        # The period of an abbreviation ends no sentence: no statement is split off.
        (
            "wie lange dauert eig. eine kaufmännische lehre",
            "wie lange dauert eig. eine kaufmännische lehre",
        ),
        (
            "Welche Sprachen, z. B. Englisch, braucht man?",
            "Welche Sprachen, z. B. Englisch, braucht man?",
        ),
    ],
)
def test_an_abbreviation_ends_no_sentence(cues, text, question):
    split = split_message(text, cues)
    assert split.statement == ""
    assert split.question.replace(",", "") == question.replace(",", "")


@pytest.mark.parametrize(
    "text",
    [
        "Wenn ich die Ausbildung in Teilzeit mache, bekomme ich dann weniger Vergütung?",
        "falls ich Englisch sehr gut schreibe, welches Niveau ist das?",
    ],
)
def test_a_condition_clause_belongs_to_the_question(cues, text):
    assert split_message(text, cues).statement == ""


@pytest.mark.parametrize(
    "text,statement,question",
    [
        (
            "Bin Industriekauffrau – was verdient man denn so im Back Office?",
            "Bin Industriekauffrau",
            "was verdient man denn so im Back Office?",
        ),
        (
            "Bin gelernte Versicherungskauffrau, ist Homeoffice in der Branche drin?",
            "Bin gelernte Versicherungskauffrau",
            "ist Homeoffice in der Branche drin?",
        ),
        (
            "Habe BWL studiert, kann ich den Fachwirt machen?",
            "Habe BWL studiert",
            "kann ich den Fachwirt machen?",
        ),
    ],
)
def test_a_clause_without_its_subject_states_when_a_later_one_asks(cues, text, statement, question):
    split = split_message(text, cues)
    assert (split.statement, split.question) == (statement, question)


@pytest.mark.parametrize(
    "text", ["Bin ich da richtig, wenn ich Zahlen mag?", "Habe ich mit Englisch B2 Chancen?"]
)
def test_a_verb_before_its_subject_still_asks(cues, text):
    assert split_message(text, cues).statement == ""


@pytest.mark.parametrize(
    "text",
    [
        "englisch sehr gut, spreche ich fast täglich mit kunden",
        "Englisch gut, brauche ich im Job täglich",
    ],
)
def test_a_habit_told_after_an_answer_is_no_question(cues, text):
    # Visitor finding: the answer got "Dazu habe ich keine verlässlichen Informationen".
    assert split_message(text, cues).question == ""


def test_a_verb_first_clause_after_an_answer_still_asks_without_a_habit(cues):
    split = split_message("Ich bin Bankkauffrau, brauche ich ein Studium", cues)
    assert split.question == "brauche ich ein Studium"
    split = split_message("Englisch gut, brauche ich das täglich im Job?", cues)
    assert split.question == "brauche ich das täglich im Job?"


@pytest.mark.parametrize(
    "text, question",
    [
        # fresh9 wordings, said anew: a question after "…", a condition without a
        # comma before its verb, "sucht" first.
        (
            "weiß nicht recht… kann mir das jemand am Telefon erklären?",
            "kann mir das jemand am Telefon erklären?",
        ),
        (
            "wenn ich noch Büromanagement lerne muss ich dann wieder drei Jahre machen??",
            "wenn ich noch Büromanagement lerne muss ich dann wieder drei Jahre machen??",
        ),
        ("Zahlen mag ich. Sucht Siemens gerade Leute?", "Sucht Siemens gerade Leute?"),
    ],
)
def test_questions_after_an_ellipsis_a_condition_or_sucht(cues, text, question):
    assert split_message(text, cues).question == question


def test_a_sentence_with_a_question_mark_after_a_question_asks_on(cues):
    # fresh9, said anew: "ja oder nein?" after a question is no tentative answer.
    split = split_message("Was steht dann im Bescheid? Nur ja oder nein?", cues)
    assert not split.tentative and "ja oder nein" in split.question
    # Before the question it stays a tentative answer.
    assert split_message("Bankkauffrau? Was verdient man da?", cues).tentative


def test_a_statement_asked_to_be_confirmed_is_a_question(cues):
    # fresh9, said anew: "…, oder?" after a whole statement; "Unter welcher …?".
    split = split_message("Die Beratung gibt es auch am Telefon, oder? Unter welcher Nummer?", cues)
    assert split.question == "Die Beratung gibt es auch am Telefon, oder? Unter welcher Nummer?"
    assert not split.tentative
    # A hesitant answer with a tag stays one.
    assert split_message("Englisch gut, oder?", cues).tentative


def test_a_condition_without_a_main_clause_is_a_wish_not_a_question(cues):
    # fresh7 (a tuning set): "und wenn ich lieber Projekte will?" asks for a change.
    split = split_message(
        "und wenn ich statt Assistenz lieber Projekte will? ändere das bitte", cues
    )
    assert split.question == ""


def test_sentences_split_after_their_ends_but_not_after_an_abbreviation():
    text = "Ich mag z. B. Zahlen. Brauch ich dafür eine Anerkennung"
    assert sentences(text) == ["Ich mag z. B. Zahlen.", "Brauch ich dafür eine Anerkennung"]
