"""What a message is while a question is open and what the form does with it
(career_quiz/turns.py): plain Python, no servers. Question form: test_questions.py;
the confirmation line: test_summary.py.
"""

from __future__ import annotations

import pytest

from career_quiz import turns


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


# -- the form's decision (turns.decide), as a table ---------------------------

M = turns.Message
S = turns.QuizState
TRAINING, LANGUAGES = "training", "languages"


@pytest.mark.parametrize(
    "slot,state,message,outcome,prompt,misses,responses",
    [
        # A valid answer to the open question stands, whatever the intent says.
        (TRAINING, S(TRAINING), M("faq_variant_specialist", slots_set=True, answered=True),
         turns.KEEP, None, None, ()),
        # The form runs again after a digression: the question again, no miss counted...
        (TRAINING, S(TRAINING, 1, turns.WRONG), M("inform", new=False),
         turns.REASK, turns.ASK, 1, ()),
        # ...but nothing while the restart question is open.
        (TRAINING, S(TRAINING, 0, turns.SILENT), M("inform", new=False),
         turns.REASK, turns.SILENT, 0, ()),
        # "Zurück", by the parser or by the intent, unless the message also answers.
        (LANGUAGES, S(LANGUAGES), M("inform", go_back=True, go_back_to=TRAINING),
         turns.GO_BACK, None, None, ()),
        (LANGUAGES, S(LANGUAGES), M("go_back"), turns.GO_BACK, None, None, ()),
        (LANGUAGES, S(LANGUAGES), M("go_back", slots_set=True, answered=True),
         turns.KEEP, None, None, ()),
        # English: the notice, then the question with its buttons; no miss.
        (TRAINING, S(TRAINING, 1, turns.WRONG), M("inform", english=True),
         turns.STILL_OPEN, turns.ASK, 1, ("utter_english_notice",)),
        # Control intents go to the rules.
        (TRAINING, S(TRAINING), M("start_over"), turns.TO_RULES, None, None, ()),
        # Answers to other questions only: the open question again, no miss.
        (TRAINING, S(TRAINING, 1, turns.WRONG), M("inform", slots_set=True, other_answers=True),
         turns.STILL_OPEN, turns.ASK, 1, ()),
        # "Nein, weitermachen": the question again.
        (TRAINING, S(TRAINING, 0, turns.SILENT), M("continue_quiz"),
         turns.STILL_OPEN, turns.ASK, 0, ()),
        # Two fitting work preferences: which one?
        ("task_preference", S("task_preference"),
         M("inform", candidates=("assistance", "specialist")),
         turns.STILL_OPEN, turns.CLARIFY, 0, ()),
        # ...also when the words read as praise ("klingt cool, aber Leuten helfen
        # auch, beides gleich gern"): not the feedback rule.
        ("task_preference", S("task_preference"),
         M("feedback_positive", candidates=("projects", "assistance")),
         turns.STILL_OPEN, turns.CLARIFY, 0, ()),
        # "Keine Ahnung" at the language question: the buttons, counted as a miss.
        (LANGUAGES, S(LANGUAGES), M("dont_know", dont_know=True),
         turns.STILL_OPEN, turns.UNSURE, 1, ()),
        # ...and a question beside it is answered first.
        (LANGUAGES, S(LANGUAGES), M("faq_cefr", dont_know=True, asks=True),
         turns.STILL_OPEN, turns.UNSURE, 1, ("utter_faq_cefr",)),
        # "Ja" to the restart question inside the quiz: the restart action runs.
        (TRAINING, S(TRAINING, 0, turns.SILENT), M("affirm"),
         turns.FOLLOWUP, turns.SILENT, 0, ()),
        # A question: answered, then the question again, no miss.
        (LANGUAGES, S(LANGUAGES, 1, turns.WRONG), M("faq_verhandlungssicher", asks=True),
         turns.STILL_OPEN, turns.ASK, 1, ("utter_faq_verhandlungssicher",)),
        (LANGUAGES, S(LANGUAGES), M("inform", asks=True),
         turns.STILL_OPEN, turns.ASK, 0, ("utter_question_not_understood",)),
        # An FAQ topic named alone: answered, and counted as a miss.
        (TRAINING, S(TRAINING), M("faq_privacy"),
         turns.STILL_OPEN, turns.WRONG, 1, ("utter_faq_privacy",)),
        # Thanks or a greeting: answered, then the question as asked, no miss (not "Das
        # habe ich nicht als Sprachangabe erkannt" after "Danke!").
        (LANGUAGES, S(LANGUAGES), M("chitchat_thanks"),
         turns.STILL_OPEN, turns.ASK, 0, ("utter_chitchat_thanks_in_quiz",)),
        (TRAINING, S(TRAINING, 1, turns.WRONG), M("greet"),
         turns.STILL_OPEN, turns.ASK, 1, ("utter_greet_in_quiz",)),
        # An emoji alone where an answer is due counts as a miss (the third one skips); its
        # thanks says the quiz goes on, no farewell before the question (visit10 #10).
        (TRAINING, S(TRAINING, 1, turns.WRONG), M("chitchat_thanks", worded=False),
         turns.STILL_OPEN, turns.CHOICE, 2, ("utter_chitchat_thanks_in_quiz",)),
        # Misses: examples, then buttons, then the question is skipped.
        (TRAINING, S(TRAINING), M("out_of_scope"), turns.STILL_OPEN, turns.WRONG, 1, ()),
        (TRAINING, S(TRAINING, 1, turns.WRONG), M("inform"),
         turns.STILL_OPEN, turns.CHOICE, 2, ()),
        (TRAINING, S(TRAINING, 2, turns.CHOICE), M("inform"),
         turns.SKIP, None, None, ("utter_skipped_automatically",)),
        # A forged value for the open question is no answer: a miss.
        (TRAINING, S(TRAINING, 2, turns.CHOICE), M("inform", slots_set=True),
         turns.SKIP, None, None, ("utter_skipped_automatically",)),
        # The third miss may be a topic named alone: its answer, then the skip.
        (TRAINING, S(TRAINING, 2, turns.CHOICE), M("faq_privacy"),
         turns.SKIP, None, None, ("utter_faq_privacy", "utter_skipped_automatically")),
    ],
)  # fmt: skip
def test_decide(slot, state, message, outcome, prompt, misses, responses):
    before = state.as_slot()
    decision = turns.decide(slot, state, message)
    assert decision.outcome == outcome
    assert decision.responses == responses
    if prompt is None:
        assert decision.state is None
    else:
        assert (decision.state.prompt, decision.state.misses) == (prompt, misses)
        assert decision.state.slot == slot
    assert state.as_slot() == before  # the caller's state is not changed


def test_decide_names_the_targets():
    back = turns.decide(LANGUAGES, S(LANGUAGES), M("go_back", go_back_to=TRAINING))
    assert back.target == TRAINING
    reset = turns.decide(TRAINING, S(TRAINING, 0, turns.SILENT), M("affirm"))
    assert reset.target == "action_reset_quiz"
    clarify = turns.decide("task_preference", S("task_preference"), M(candidates=("a", "b")))
    assert clarify.state.candidates == ["a", "b"]


def test_a_reopened_question_stays_reopened():
    reopened = S(TRAINING, back=True)
    assert turns.decide(TRAINING, reopened, M("inform")).state.back
    assert turns.decide(TRAINING, reopened, M("inform", new=False)).state.back


# -- the restart question (turns.decide_restart) ------------------------------


@pytest.mark.parametrize(
    "state,message,in_quiz,clear,answers,outcome,responses,target,prompt",
    [
        # A clear request, a button, or nothing to lose: restart at once.
        (S(), M("start_over"), False, True, True, turns.RESTART, ("utter_start_over",), None, None),
        (S(), M("start_over"), True, False, False, turns.RESTART, ("utter_start_over",), None,
         None),
        # A guess with answers to lose: the question first. Outside the quiz, wait...
        (S(), M("start_over"), False, False, True, turns.CONFIRM,
         ("utter_confirm_start_over",), "action_listen", turns.SILENT),
        # ...inside it the form stays active and asks nothing.
        (S(TRAINING, 1, turns.WRONG), M("start_over"), True, False, True, turns.CONFIRM,
         ("utter_confirm_start_over",), None, turns.SILENT),
        # "Ja" to the question: restart.
        (S(TRAINING, 0, turns.SILENT), M("affirm"), True, False, True, turns.RESTART,
         ("utter_start_over",), None, None),
        # "Ja" without the question open is another guess.
        (S(TRAINING), M("affirm"), True, False, True, turns.CONFIRM,
         ("utter_confirm_start_over",), None, turns.SILENT),
        # "Zurück" taken for a restart after the quiz: go back instead.
        (S(), M("start_over", go_back=True), False, True, True, turns.FOLLOWUP, (),
         "action_go_back", None),
        # Inside the quiz the form handles "Zurück" itself; here it is a restart request.
        (S(), M("start_over", go_back=True), True, True, True, turns.RESTART,
         ("utter_start_over",), None, None),
    ],
)  # fmt: skip
def test_decide_restart(
    state, message, in_quiz, clear, answers, outcome, responses, target, prompt
):
    decision = turns.decide_restart(
        state, message, in_quiz=in_quiz, clear_request=clear, has_answers=answers
    )
    assert (decision.outcome, decision.responses, decision.target) == (outcome, responses, target)
    assert (decision.state.prompt if decision.state else None) == prompt


def test_the_restart_question_in_the_quiz_keeps_the_misses():
    decision = turns.decide_restart(
        S(TRAINING, 2, turns.CHOICE), M("start_over"), True, clear_request=False, has_answers=True
    )
    assert (decision.state.slot, decision.state.misses) == (TRAINING, 2)


@pytest.mark.parametrize(
    "turn,expected",
    [
        ({"message": "m1", "note": "Notiert: Bankkauffrau."}, True),
        ({"message": "m1", "note": None}, False),
        ({"message": "m0", "note": "Notiert: Bankkauffrau."}, False),  # an earlier message
        (None, False),
    ],
)
def test_answers_beside_a_question_continue_the_quiz(turn, expected):
    assert turns.answers_beside_question(turn, "m1") is expected


def test_held_answers_are_checked_against_the_contract():
    held = {
        "values": {
            "training": ["other"],
            "languages": ["xx-forged"],
            "recommended_variant": "specialist",
        }
    }
    assert turns.held_values(held) == {"training": ["other"]}
    assert turns.released_answers(held, None, False, True, {}) == {"training": ["other"]}
    # Nothing is taken while the quiz does not start, nor inside it or after a result.
    assert turns.released_answers(held, None, False, False, {}) == {}
    assert turns.released_answers(held, "languages", False, True, {}) == {}
    assert turns.released_answers(held, None, True, True, {}) == {}


# -- visit7 #8: keeping the earlier answer of a reopened question ---------------------------


def test_a_reopened_question_kept_as_it_was_lets_the_form_go_on():
    reopened = turns.QuizState("languages", back=True)
    keep = turns.Message(intent="deny", keeps=True)
    assert turns.decide("languages", reopened, keep).outcome == turns.KEEP
    # Not reopened: the same words are no answer to the open question.
    fresh = turns.decide("languages", turns.QuizState("languages"), keep)
    assert fresh.outcome == turns.STILL_OPEN and fresh.state.misses == 1
    # A new answer beside it wins: the parser stored it, the form validates it.
    answered = turns.Message(intent="inform", keeps=True, slots_set=True, answered=True)
    assert turns.decide("languages", reopened, answered).outcome == turns.KEEP


@pytest.mark.parametrize(
    "text, keeps",
    [
        ("nein alles gut, weiter", True),
        ("passt so", True),
        ("Bleibt wie gehabt, danke", True),
        ("nee doch nicht, lassen wir es so", True),
        ("ok weiter", True),
        ("nein", False),  # a lone "nein" answers the language question
        ("Englisch gut", False),
        ("alles gut, aber Englisch kann ich doch fließend", False),
        ("gut", False),
    ],
)
def test_words_that_keep_an_earlier_answer(parser, text, keeps):
    assert parser.keeps_answer(text) is keeps
