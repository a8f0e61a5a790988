"""What a message is while a question is open (turns.py), question form (questions.py)
and the confirmation line (summary.py): plain Python, no servers.
"""

from __future__ import annotations

import pytest

from career_quiz import turns
from career_quiz.lexicon import load_lexicon
from career_quiz.questions import QuestionCues, split_message
from career_quiz.summary import describe_updates


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
    "intent,answered,other,candidates,asks,kind",
    [
        ("faq_variant_specialist", True, False, False, False, turns.ANSWER),
        ("faq_degree_needed", True, False, False, True, turns.ANSWER),
        ("inform", False, False, True, False, turns.AMBIGUOUS),
        ("inform", False, True, False, False, turns.OTHER_ANSWER),
        ("start_over", False, False, False, False, turns.CONTROL),
        ("continue_quiz", False, False, False, False, turns.RESUME),
        ("faq_degree_needed", False, False, False, True, turns.DIGRESSION),
        ("inform", False, False, False, True, turns.UNKNOWN_QUESTION),
        ("chitchat_thanks", False, False, False, False, turns.DIGRESSION),
        ("faq_privacy", False, False, False, False, turns.DIGRESSION),
        ("out_of_scope", False, False, False, False, turns.MISS),
        ("nlu_fallback", False, False, False, False, turns.MISS),
        ("inform", False, False, False, False, turns.MISS),
    ],
)
def test_classify_turn(intent, answered, other, candidates, asks, kind):
    assert turns.classify_turn(intent, answered, other, candidates, asks) == kind


def test_misses_lead_to_examples_then_buttons_then_skip():
    state = turns.QuizState(slot="training")
    state = turns.after_miss(state)
    assert (state.misses, state.prompt) == (1, turns.WRONG)
    state = turns.after_miss(state)
    assert (state.misses, state.prompt) == (2, turns.CHOICE)
    assert turns.after_miss(state).misses == turns.MAX_MISSES


def test_state_of_another_question_starts_fresh():
    stored = turns.QuizState("training", 2, turns.CHOICE).as_slot()
    assert turns.QuizState.from_slot(stored, "training").misses == 2
    assert turns.QuizState.from_slot(stored, "languages").misses == 0
    assert turns.QuizState.from_slot("garbage", "languages").prompt == turns.ASK


def test_confirmation_names_what_was_stored():
    line = describe_updates({}, {"training": ["commercial_other"]})
    assert line == "Notiert: kaufmännische Ausbildung."
    line = describe_updates({}, {"languages": ["en:fluent", "fr:basic"]})
    assert line == "Notiert: Englisch fließend; Französisch Grundkenntnisse."
    assert describe_updates({}, {"languages": []}) == "Notiert: keine Fremdsprachen."
    assert describe_updates({}, {"training": []}) == "Notiert: Ausbildung: keine Angabe."
    assert describe_updates({}, {"training": []}, skipped=["training"]) == (
        "Notiert: Ausbildung: übersprungen."
    )


def test_confirmation_after_a_correction_says_changed():
    line = describe_updates({"task_preference": "assistance"}, {"task_preference": "projects"})
    assert line == "Geändert: am liebsten Projekte planen und koordinieren."
    assert describe_updates({}, {}) is None


def test_confirmation_uses_the_users_title(parser):
    parsed = parser.parse("Ich bin Industriekauffrau", "training")
    line = describe_updates({}, {"training": ["commercial_other"]}, parsed)
    # The visitor's title, not the quiz's category label beside it.
    assert line == "Notiert: Industriekauffrau."
