"""Custom actions, run with rasa_sdk Tracker objects and services with a fake outbox."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAffirm,
    ActionAnswersBesideQuestion,
    ActionAskTaskPreference,
    ActionAskTraining,
    ActionExplainResult,
    ActionExtractAnswers,
    ActionRecommendVariant,
    ActionResetQuiz,
    ActionStartQuiz,
    ActionStoreFeedback,
    ValidateCareerQuizForm,
)
from career_quiz.bootstrap import bootstrap
from career_quiz.repository import result_key
from tests.helpers import FakeOutbox, domain_dict, make_tracker, sent

ANSWERS = {
    "training": ["bank_insurance"],
    "languages": ["cs:business"],
    "task_preference": "specialist",
}


def hasher(conversation_id):
    return f"hash-of-{conversation_id}"


@pytest.fixture
def outbox():
    return FakeOutbox()


@pytest.fixture
def services(outbox, parser):
    """The actions' services with the fake outbox and the session's parser."""
    return bootstrap(outbox=outbox, hasher=hasher, parser=parser)


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain_dict())
    return events, await sent(dispatcher.messages, tracker.slots)


# -- extraction ------------------------------------------------------------


async def test_extract_several_answers_before_the_quiz():
    tracker = make_tracker(text="Ich bin Bankkauffrau und spreche Tschechisch verhandlungssicher")
    events, messages = await run(ActionExtractAnswers(), tracker)
    assert events[:2] == [
        SlotSet("training", ["bank_insurance"]),
        SlotSet("languages", ["cs:business"]),
    ]
    # Rasa drops a slot-mapping action's messages: the line travels to the form's validation.
    assert messages == []
    assert turn_of(events)["note"] == "Notiert: Bankkauffrau; Tschechisch verhandlungssicher."


def turn_of(events):
    return next(e["value"] for e in events if e.get("name") == "quiz_turn")


def quiz_tracker(text, requested, intent="inform", ranking=None, slots=None):
    tracker = make_tracker(
        text=text,
        intent=intent,
        active_loop="career_quiz_form",
        slots={"requested_slot": requested, **(slots or {})},
    )
    if ranking:
        tracker.latest_message["intent_ranking"] = [
            {"name": name, "confidence": conf} for name, conf in ranking
        ]
    return tracker


async def test_extract_uses_the_question_asked():
    events, _ = await run(ActionExtractAnswers(), quiz_tracker("nur Deutsch", "languages"))
    assert events[0] == SlotSet("languages", [])
    assert turn_of(events) == {
        "message": "nur Deutsch",
        "asks": False,
        "candidates": [],
        "go_back": False,
        "go_back_to": None,
        "english": False,
        "dont_know": False,
        "note": "Notiert: keine Fremdsprachen.",
        "reply": None,
    }


async def test_extract_takes_an_answer_classified_as_faq():
    # "Fach-Backoffice" names an FAQ topic; with the question open it is an answer.
    tracker = quiz_tracker("Fach-Backoffice", "task_preference", intent="faq_variant_specialist")
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert SlotSet("task_preference", "specialist") in events


async def test_extract_answers_the_question_of_a_mixed_message():
    tracker = quiz_tracker(
        "Ich bin Bankkauffrau – brauche ich dafür ein Studium?",
        "training",
        ranking=[("inform", 0.7), ("faq_degree_needed", 0.25)],
    )
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert SlotSet("training", ["bank_insurance"]) in events
    assert turn_of(events)["note"].startswith("Notiert: Bankkauffrau")
    assert turn_of(events)["reply"] == "utter_faq_degree_needed"


async def test_extract_takes_the_dont_know_intent_as_answer():
    tracker = quiz_tracker("Da bin ich überfragt", "task_preference", intent="dont_know")
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events[0] == SlotSet("task_preference", "unsure")


async def test_extract_merges_a_correction_and_says_what_changed():
    tracker = make_tracker(text="Ich spreche auch Englisch", slots=dict(ANSWERS))
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events[0] == SlotSet("languages", ["cs:business", "en:good"])
    assert turn_of(events)["note"].startswith(
        "Geändert: Tschechisch verhandlungssicher; Englisch gut"
    )


async def test_extract_ignores_answers_inside_a_question_outside_the_quiz():
    events, _ = await run(ActionExtractAnswers(), make_tracker(text="Brauche ich ein Studium?"))
    assert events == []


# -- answers beside a side question outside the quiz ---------------------------


@pytest.mark.parametrize(
    "text,slots,starts",
    [
        ("Brauche ich ein Studium?", {}, False),
        # A value a question only names is no answer.
        ("Wie lange dauert die Ausbildung zur Bankkauffrau?", {}, False),
        # After the result: an addition or correction updates it, a mention does not.
        ("Englisch kann ich fließend. Was verdient man damit?", {**ANSWERS}, False),
        ("Ach, und Englisch spreche ich auch noch fließend. Ändert das was?", {**ANSWERS}, True),
    ],
)
async def test_answers_beside_a_question_outside_the_quiz_start_the_form(
    services, text, slots, starts
):
    if slots:
        slots = {**slots, "recommended_variant": "specialist"}
    tracker = make_tracker(slots=slots, text=text, intent="faq_degree_needed")
    # The answer extraction runs on every message (a slot mapping), then the topic's
    # response, then the check.
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    for event in extracted:
        tracker.slots[event["name"]] = event["value"]
    events, messages = await run(ActionAnswersBesideQuestion(), tracker)
    assert events == ([FollowupAction("career_quiz_form")] if starts else [])
    assert messages == []
    stored = {e["name"] for e in extracted} & {"training", "languages", "task_preference"}
    assert bool(stored) is starts  # no answer changes silently beside the question


async def _held(services, text, intent="faq_degree_needed"):
    """The extraction and the check after the answer, for `text` before the quiz."""
    tracker = make_tracker(text=text, intent=intent)
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    for event in extracted:
        tracker.slots[event["name"]] = event["value"]
    events, messages = await run(ActionAnswersBesideQuestion(), tracker)
    return tracker, extracted, events, messages


@pytest.mark.parametrize(
    "text,held",
    [
        ("Ich bin Bankkauffrau – brauche ich dafür ein Studium?", {"training": ["bank_insurance"]}),
        (
            "Ich bin examinierte Altenpflegerin und will ins Büro. Was verdient man da?",
            {"training": ["other"]},
        ),
        ("Englisch fließend, reicht das für eine Teamassistenz?", {"languages": ["en:fluent"]}),
    ],
)
async def test_answers_beside_a_question_before_the_quiz_are_held_and_the_quiz_offered(
    services, text, held
):
    tracker, extracted, events, messages = await _held(services, text)
    stored = {e["name"] for e in extracted} & {"training", "languages", "task_preference"}
    assert stored == set()  # the quiz does not start by itself
    assert tracker.slots["held_answers"]["values"] == held
    assert events == []  # no form: the visitor decides
    assert len(messages) == 1
    assert messages[0]["text"].startswith("Notiert: ")
    assert "übernehme ich" in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/start_quiz"]


async def test_an_answer_alone_before_the_quiz_is_stored_not_held(services):
    tracker = make_tracker(text="Ich bin Bankkauffrau")
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    assert SlotSet("training", ["bank_insurance"]) in extracted
    assert "held_answers" not in {e["name"] for e in extracted}


@pytest.mark.parametrize(
    "text,intent,prior_offer",
    [("/start_quiz", "start_quiz", False), ("ja gerne", "affirm", True)],
)
async def test_starting_the_quiz_takes_the_held_answers(services, text, intent, prior_offer):
    held = {
        "message": "earlier",
        "values": {"training": ["other"]},
        "note": "Notiert: Altenpflegerin.",
    }
    events = [
        {"event": "user", "text": "Ich bin Altenpflegerin. Was verdient man?"},
        {
            "event": "bot",
            "text": "…",
            "data": {"buttons": [{"title": "Quiz starten", "payload": "/start_quiz"}]},
        },
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
    ]
    tracker = make_tracker(
        text=text,
        intent=intent,
        slots={"held_answers": held},
        events=events if prior_offer else None,
    )
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    assert SlotSet("training", ["other"]) in extracted
    assert SlotSet("held_answers", None) in extracted
    # The offer named it already ("Notiert: Altenpflegerin. … übernehme ich"): no line.
    turns_set = [e["value"] for e in extracted if e.get("name") == "quiz_turn"]
    assert all(not t.get("note") for t in turns_set)


async def test_a_new_answer_outside_the_quiz_wins_over_the_held_one(services):
    held = {"message": "earlier", "values": {"training": ["other"]}, "note": "Notiert: Pflege."}
    tracker = make_tracker(text="Bankkauffrau", slots={"held_answers": held})
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    assert SlotSet("training", ["bank_insurance"]) in extracted
    assert SlotSet("held_answers", None) not in extracted  # nothing of it was taken


async def test_another_question_before_the_quiz_keeps_the_held_answers(services):
    held = {"message": "earlier", "values": {"training": ["other"]}, "note": "Notiert: Pflege."}
    tracker = make_tracker(
        text="Was verdient man?", intent="faq_salary", slots={"held_answers": held}
    )
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    assert {e["name"] for e in extracted} & {"training", "held_answers"} == set()


@pytest.mark.parametrize("requested", ["training", "languages", "task_preference"])
async def test_a_deletion_request_is_no_answer_at_any_question(services, requested):
    # Visitor finding (visit7): "Meine Daten löschen" at the work question was stored as
    # "Fachaufgaben" and the result computed; nothing was deleted.
    tracker = quiz_tracker("Meine Daten löschen", requested, intent="erase_data")
    events, _ = await run(ActionExtractAnswers(services), tracker)
    names = {e["name"] for e in events if e.get("event") == "slot"}
    assert names & {"training", "languages", "task_preference"} == set()


async def test_a_skipped_question_answered_later_is_no_longer_skipped():
    # visit11 #9: the summary read "Fremdsprachen: übersprungen" beside "Englisch gut".
    slots = {
        "training": ["office"],
        "languages": [],
        "task_preference": "assistance",
        "skipped_slots": ["languages"],
    }
    tracker = make_tracker(text="Englisch kann ich gut", slots=slots)
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert SlotSet("languages", ["en:good"]) in events
    assert SlotSet("skipped_slots", None) in events


async def test_extract_button_payload():
    tracker = make_tracker(text='/inform{"task_preference": "projects"}')
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert events[0] == SlotSet("task_preference", "projects")


async def test_skip_button_stores_unknown_and_remembers_the_skip():
    tracker = quiz_tracker('/inform{"skip": true}', "training")
    events, _ = await run(ActionExtractAnswers(), tracker)
    assert SlotSet("training", []) in events
    assert SlotSet("skipped_slots", ["training"]) in events
    assert turn_of(events)["note"] == "Notiert: Ausbildung: übersprungen."


@pytest.mark.parametrize(
    "payload",
    [
        '/inform{"recommended_variant": "project_management"}',
        '/inform{"variant_scores": {"project_management": 100}}',
        '/inform{"training": "<script>alert(1)</script>"}',
    ],
)
async def test_forged_payload_sets_no_slot(payload):
    events, _ = await run(ActionExtractAnswers(), make_tracker(text=payload))
    assert events == []


# -- form validation -------------------------------------------------------


def form_tracker(
    text,
    requested,
    slots=None,
    extracted=None,
    bot_replied=False,
    intent="inform",
    turn=None,
    state=None,
):
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {}},
    ]
    if bot_replied:
        events.append({"event": "bot", "text": "FAQ answer"})
    events.append({"event": "slot", "name": "requested_slot", "value": requested})
    events.append({"event": "action", "name": "career_quiz_form"})
    for name, value in (extracted or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
    all_slots = {
        "requested_slot": requested,
        **(slots or {}),
        **(extracted or {}),
        "quiz_turn": turn or {"asks": False, "candidates": []},
        "quiz_state": state,
    }
    return make_tracker(
        slots=all_slots, text=text, events=events, active_loop="career_quiz_form", intent=intent
    )


def state_of(events):
    return next(e["value"] for e in events if e.get("name") == "quiz_state")


async def test_validation_re_asks_with_examples_when_nothing_was_understood():
    events, _ = await run(ValidateCareerQuizForm(), form_tracker("Blumenkohl", "training"))
    assert SlotSet("training", None) in events
    assert state_of(events)["prompt"] == "wrong"
    _, messages = await run(
        ActionAskTraining(), make_tracker(slots={"quiz_state": state_of(events)})
    )
    assert "Bankkaufmann" in messages[0]["text"]


async def test_second_miss_offers_buttons_and_skip_third_skips():
    state = {"slot": "training", "misses": 1, "prompt": "wrong", "candidates": []}
    events, _ = await run(
        ValidateCareerQuizForm(), form_tracker("Blumenkohl", "training", state=state)
    )
    assert state_of(events)["prompt"] == "choice"
    _, messages = await run(
        ActionAskTraining(), make_tracker(slots={"quiz_state": state_of(events)})
    )
    assert messages[0]["buttons"][-1] == {
        "title": "Überspringen",
        "payload": '/inform{"skip": true}',
    }
    events, messages = await run(
        ValidateCareerQuizForm(), form_tracker("Blumenkohl", "training", state=state_of(events))
    )
    assert SlotSet("training", []) in events
    assert SlotSet("skipped_slots", ["training"]) in events
    assert "überspringe" in messages[0]["text"]


async def test_validation_answers_a_question_and_asks_again_without_counting_a_miss():
    tracker = form_tracker(
        "Was heißt verhandlungssicher?",
        "languages",
        intent="faq_verhandlungssicher",
        turn={"asks": True, "candidates": []},
    )
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert [m["response"] for m in messages] == ["utter_faq_verhandlungssicher"]
    assert SlotSet("languages", None) in events
    assert state_of(events) == {
        "slot": "languages",
        "misses": 0,
        "prompt": "ask",
        "candidates": [],
        "back": False,
    }


async def test_an_unknown_question_in_the_quiz_gets_the_apology_and_counts_no_miss():
    tracker = form_tracker(
        "Wie wird das Wetter morgen?", "languages", turn={"asks": True, "candidates": []}
    )
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert [m["response"] for m in messages] == ["utter_question_not_understood"]
    assert messages[0]["text"].startswith("Dazu habe ich keine verlässlichen Informationen")
    assert state_of(events)["misses"] == 0


async def test_an_answer_with_an_unknown_question_gets_the_note_and_the_apology():
    text = "Bankkauffrau – wie wird das Wetter morgen?"
    tracker = quiz_tracker(text, "training", ranking=[("inform", 0.99)])
    events, _ = await run(ActionExtractAnswers(), tracker)
    turn = turn_of(events)
    assert turn["reply"] == "utter_question_not_understood"
    tracker = form_tracker(text, "training", extracted={"training": ["bank_insurance"]}, turn=turn)
    _, messages = await run(ValidateCareerQuizForm(), tracker)
    assert messages[0]["text"].startswith("Notiert: ")
    assert messages[1]["text"].startswith("Dazu habe ich keine verlässlichen Informationen")


async def test_control_intents_go_to_the_rules():
    events, messages = await run(
        ValidateCareerQuizForm(), form_tracker("Neu starten", "training", intent="start_over")
    )
    assert events == [] and messages == []  # the form rejects; the restart rule runs


async def test_validation_asks_which_of_two_work_preferences():
    tracker = form_tracker(
        "Termine und Buchhaltung",
        "task_preference",
        turn={"asks": False, "candidates": ["assistance", "specialist"]},
    )
    events, _ = await run(ValidateCareerQuizForm(), tracker)
    assert state_of(events)["prompt"] == "clarify"
    _, messages = await run(
        ActionAskTaskPreference(), make_tracker(slots={"quiz_state": state_of(events)})
    )
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/inform{"task_preference": "assistance"}',
        '/inform{"task_preference": "specialist"}',
        '/inform{"task_preference": "unsure"}',
    ]
    assert "Welche Arbeit" not in messages[0]["text"]


async def test_validation_is_silent_after_a_digression():
    tracker = form_tracker("Was heißt verhandlungssicher?", "languages", bot_replied=True)
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert messages == []
    assert SlotSet("languages", None) not in events


async def test_validation_says_the_confirmation_and_the_answer_once():
    turn = {
        "message": "Bankkauffrau – brauche ich ein Studium?",
        "asks": True,
        "candidates": [],
        "note": "Notiert: Bankkauffrau.",
        "reply": "utter_faq_degree_needed",
    }
    tracker = form_tracker(
        "Bankkauffrau – brauche ich ein Studium?",
        "training",
        extracted={"training": ["bank_insurance"]},
        turn=turn,
    )
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert messages[0]["text"] == "Notiert: Bankkauffrau."
    assert messages[1]["response"] == "utter_faq_degree_needed"
    assert SlotSet("quiz_turn", {**turn, "spoken": True}) in events
    tracker = form_tracker(
        "Bankkauffrau – brauche ich ein Studium?",
        "training",
        extracted={"training": ["bank_insurance"]},
        turn={**turn, "spoken": True},
    )
    _, messages = await run(ValidateCareerQuizForm(), tracker)
    assert messages == []


async def test_validation_keeps_canonical_values():
    tracker = form_tracker("Bankkauffrau", "training", extracted={"training": ["bank_insurance"]})
    events, messages = await run(ValidateCareerQuizForm(), tracker)
    assert SlotSet("training", ["bank_insurance"]) in events
    assert messages == []


async def test_validation_rejects_forged_values():
    tracker = form_tracker("x", "training", extracted={"training": ["astronaut"]})
    events, _ = await run(ValidateCareerQuizForm(), tracker)
    assert SlotSet("training", None) in events


# -- recommendation, explanation, feedback ----------------------------------


async def test_recommend_sets_result_and_stores_it(outbox, parser):
    from career_quiz import recommender

    # A rubric with its own version: the row must carry the version that scored it.
    versioned = recommender.Rubric({**recommender.rubric().data, "version": "unit-rubric-7"})
    services = bootstrap(outbox=outbox, hasher=hasher, parser=parser, rubric=versioned)
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "Zahlen", "timestamp": 11.5, "message_id": "m-9"},
    ]
    tracker = make_tracker(slots=dict(ANSWERS), sender_id="user-42", events=events)
    events, messages = await run(ActionRecommendVariant(services), tracker)
    assert events[0] == SlotSet("recommended_variant", "specialist")
    assert events[1].get("name") == "variant_scores"
    scores = events[1]["value"]
    assert scores["specialist"] == max(scores.values())
    assert messages[0]["text"].startswith("**Empfehlung: Fach-Backoffice")
    # The three totals, best first, as one line (the widget draws it as bars).
    assert messages[1]["text"] == "Punkte: " + ", ".join(
        f"{recommender.rubric().title(v).split(' (')[0]} {scores[v]}"
        for v in sorted(scores, key=lambda v: -scores[v])
    )
    assert [b["payload"] for b in messages[2]["buttons"]] == [
        "/feedback_positive",
        "/feedback_negative",
        "/ask_why",
        "/show_next_steps",
        "/show_other_variants",
        "/start_over",
    ]
    [record] = outbox.results
    assert (record.conversation_hash, record.answers, record.scores) == (
        "hash-of-user-42",
        ANSWERS,
        scores,
    )
    assert (record.variant, record.rubric_version) == ("specialist", "unit-rubric-7")
    # The key names the user message: the same message recorded twice is one row.
    assert record.idempotency_key == result_key("hash-of-user-42", "11.5|m-9")


async def test_recommend_without_all_answers_sets_no_result(services, outbox):
    tracker = make_tracker(slots={"training": ["office"], "languages": None})
    events, messages = await run(ActionRecommendVariant(services), tracker)
    assert events == [SlotSet("recommended_variant", None), SlotSet("variant_scores", None)]
    assert "fehlen" in messages[0]["text"]
    assert outbox.results == []


async def test_recommend_still_answers_when_nothing_can_be_stored(parser, caplog):
    services = bootstrap(outbox=FakeOutbox(fail=True), hasher=hasher, parser=parser)
    events, messages = await run(ActionRecommendVariant(services), make_tracker(slots=ANSWERS))
    assert events[0] == SlotSet("recommended_variant", "specialist")
    assert messages[0]["text"].startswith("**Empfehlung")
    assert "neither stored nor queued" in caplog.text


async def test_explain_after_result():
    tracker = make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"})
    _, messages = await run(ActionExplainResult(), tracker)
    assert "Ihre Ausbildung im Bank- oder Versicherungswesen" in messages[0]["text"]


async def test_does_my_training_count_after_the_result_gets_the_results_reasons():
    # visit8 #10: "zählt mein Diplom nicht?" after the result got the text for before the
    # quiz ("zeigt Ihnen die Empfehlung am Ende des Quiz").
    slots = {**ANSWERS, "recommended_variant": "specialist"}
    tracker = make_tracker(slots=slots, text="Zählt mein Abschluss?", intent="faq_enough")
    events, messages = await run(ActionAnswersBesideQuestion(), tracker)
    assert events == [] and len(messages) == 1
    assert "Ihre Ausbildung im Bank- oder Versicherungswesen" in messages[0]["text"]


async def test_does_my_training_count_before_the_result_adds_nothing():
    tracker = make_tracker(slots={"training": ["office"]}, text="Reicht das?", intent="faq_enough")
    assert await run(ActionAnswersBesideQuestion(), tracker) == ([], [])


async def test_explain_before_result():
    _, messages = await run(ActionExplainResult(), make_tracker(slots={"training": ["office"]}))
    assert "sobald Sie die drei Fragen beantwortet haben" in messages[0]["text"]


@pytest.mark.parametrize(
    "intent,stored",
    [
        ("feedback_positive", "helpful"),
        ("affirm", "helpful"),
        ("feedback_negative", "not_helpful"),
        ("deny", "not_helpful"),
    ],
)
async def test_feedback_is_stored(services, outbox, intent, stored):
    tracker = make_tracker(
        slots={**ANSWERS, "recommended_variant": "specialist"}, intent=intent, sender_id="user-7"
    )
    _, messages = await run(ActionStoreFeedback(services), tracker)
    assert outbox.feedback == [("hash-of-user-7", stored)]
    assert "Rückmeldung" in messages[0]["text"]


async def test_feedback_before_result_stores_nothing(services, outbox):
    _, messages = await run(ActionStoreFeedback(services), make_tracker(intent="feedback_positive"))
    assert "Sobald Sie das Quiz abgeschlossen haben" in messages[0]["text"]
    assert outbox.feedback == []


# -- reset and questions ------------------------------------------------------


async def test_reset_clears_answers_and_result():
    events, messages = await run(
        ActionResetQuiz(), make_tracker(slots=dict(ANSWERS), text="Neu starten")
    )
    cleared = {e["name"] for e in events if e.get("event") == "slot"}
    assert cleared == {
        "training",
        "languages",
        "task_preference",
        "recommended_variant",
        "variant_scores",
        "requested_slot",
        "quiz_state",
        "quiz_turn",
        "skipped_slots",
        "held_answers",
        "answer_details",
    }
    assert all(e["value"] is None for e in events if e.get("event") == "slot")
    assert ActiveLoop(None) in events
    assert "von vorne" in messages[0]["text"]


async def test_reset_starts_a_new_session_and_then_the_form():
    # Rasa loads only the events since the latest session start, so a restart
    # bounds the work per message (issue 4); the form must run next.
    events, _ = await run(ActionResetQuiz(), make_tracker(slots=dict(ANSWERS), text="/start_over"))
    assert events[-2:] == [SessionStarted(), FollowupAction("career_quiz_form")]


@pytest.mark.parametrize("new_session", [True, False])
async def test_restarts_start_a_new_session_unless_turned_off(outbox, parser, new_session):
    # QUIZ_RESTART_NEW_SESSION=0 is the `no-session-restart` experiment (bench/experiment.py).
    services = bootstrap(outbox=outbox, parser=parser, restart_new_session=new_session)
    finished = make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"})
    for action, tracker in (
        (ActionResetQuiz(services), make_tracker(slots=dict(ANSWERS), text="/start_over")),
        (ActionStartQuiz(services), finished),
    ):
        events, _ = await run(action, tracker)
        assert SlotSet("training", None) in events and ActiveLoop(None) in events
        assert (SessionStarted() in events) is new_session
        assert (FollowupAction("career_quiz_form") in events) is new_session


async def test_a_guessed_restart_asks_first_and_loses_nothing():
    # "Lieber Neues lernen als immer dasselbe machen", taken for start_over.
    tracker = quiz_tracker(
        "Lieber Neues lernen als immer dasselbe machen",
        "task_preference",
        intent="start_over",
        slots={"training": ["office"], "languages": []},
    )
    events, messages = await run(ActionResetQuiz(), tracker)
    assert not any(e.get("name") == "training" for e in events)
    assert messages[0]["text"].startswith("Möchten Sie wirklich neu beginnen?")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/start_over", "/continue_quiz"]
    assert events[-1] == FollowupAction("career_quiz_form")
    # "Ja" then restarts.
    state = events[0]["value"]
    tracker = quiz_tracker(
        "ja",
        "task_preference",
        intent="affirm",
        slots={"training": ["office"], "quiz_state": state},
    )
    events, _ = await run(ActionResetQuiz(), tracker)
    assert SlotSet("training", None) in events


async def test_a_correction_that_keeps_the_variant_says_so_briefly(services):
    tracker = make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"})
    _, messages = await run(ActionRecommendVariant(services), tracker)
    assert messages[0]["text"].startswith("Ihre Empfehlung bleibt: **Fach-Backoffice")
    tracker = make_tracker(slots={**ANSWERS, "recommended_variant": "secretarial"})
    _, messages = await run(ActionRecommendVariant(services), tracker)
    # One heading (not "Neue Empfehlung: **Empfehlung: ..."), naming the previous variant.
    text = messages[0]["text"]
    assert text.startswith("**Neue Empfehlung: Fach-Backoffice**")
    assert "bisher Sekretariat" in text and text.count("Empfehlung") == 1
    # With the answers of the previous result at hand it says what changed.
    before = {**ANSWERS, "training": ["office"]}
    tracker = make_tracker(
        slots={
            **ANSWERS,
            "recommended_variant": "secretarial",
            "answer_details": {"answers": before},
        }
    )
    _, messages = await run(ActionRecommendVariant(services), tracker)
    assert "Sie haben Ihre Ausbildung geändert." in messages[0]["text"]


async def test_with_an_ad_on_file_the_feedback_question_comes_after_the_comparison(services):
    # An ad pasted in the middle of the quiz waits; at the result, action_compare_job_ad
    # follows action_recommend_variant (data/rules/job_ad.yml). The visitor found the
    # comparison after "War diese Empfehlung hilfreich für Sie?" and its buttons.
    from actions.job_ad import ActionCompareJobAd

    ad = {
        "ad_requirements": {
            "training": ["office", "commercial_other", "bank_insurance", "finance_hr_it"],
            "degree_required": False,
            "languages": ["en:fluent"],
        },
        "ad_variant": "secretarial",
        "ad_compare_pending": True,
    }
    answers = {
        "training": ["office"],
        "languages": ["en:business"],
        "task_preference": "assistance",
    }
    tracker = make_tracker(slots={**answers, **ad})
    events, result = await run(ActionRecommendVariant(services), tracker)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    _, comparison = await run(ActionCompareJobAd(), make_tracker(slots={**answers, **ad, **slots}))
    turn = result + comparison
    assert [m["response"] for m in turn].count("utter_result_actions") == 1
    assert turn[-1]["response"] == "utter_result_actions"
    assert "/feedback_positive" in [b["payload"] for b in turn[-1]["buttons"]]
    assert any("Ihr Profil im Abgleich" in (m["text"] or "") for m in turn[:-1])
    # Without an ad on file the result ends with the question itself, as before.
    _, alone = await run(ActionRecommendVariant(services), make_tracker(slots=answers))
    assert alone[-1]["response"] == "utter_result_actions"


async def test_a_correction_that_keeps_a_tie_says_the_tie_again(services):
    tie = {"training": ["none"], "languages": [], "task_preference": "unsure"}
    tracker = make_tracker(slots={**tie, "recommended_variant": "specialist"})
    _, messages = await run(ActionRecommendVariant(services), tracker)
    assert messages[0]["text"].startswith("**Zwei Varianten liegen gleichauf: Fach-Backoffice")
    assert "Ihre Empfehlung bleibt" not in messages[0]["text"]


async def test_start_quiz_keeps_early_answers_but_clears_a_finished_quiz():
    events, _ = await run(ActionStartQuiz(), make_tracker(slots={"training": ["office"]}))
    assert events == []
    events, _ = await run(
        ActionStartQuiz(), make_tracker(slots={**ANSWERS, "recommended_variant": "specialist"})
    )
    assert SlotSet("training", None) in events
    assert events[-2:] == [SessionStarted(), FollowupAction("career_quiz_form")]


async def test_questions_have_buttons():
    _, messages = await run(ActionAskTraining(), make_tracker())
    assert "Ausbildung" in messages[0]["text"]
    assert {"title": "Studium", "payload": '/inform{"training": "degree"}'} in messages[0][
        "buttons"
    ]
    _, messages = await run(ActionAskTaskPreference(), make_tracker())
    assert len(messages[0]["buttons"]) == 4


# -- "ja" to an offer, answers beside the fit question (visitor findings, 2026-12-03) ---


def _after_bot(buttons, text="ja", slots=None):
    """A tracker whose latest message `text` follows a bot message with `buttons`."""
    parse = {"text": text, "intent": {"name": "affirm", "confidence": 1.0}, "entities": []}
    events = [
        {"event": "user", "text": "Passt so ein Bürojob zu mir?", "parse_data": {}},
        {"event": "bot", "text": "Genau das finden wir heraus.", "data": {"buttons": buttons}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse},
    ]
    return make_tracker(slots=slots, text=text, intent="affirm", events=events)


START = [{"title": "Quiz starten", "payload": "/start_quiz"}]


async def test_yes_to_an_offer_to_start_the_quiz_starts_it():
    events, messages = await run(ActionAffirm(), _after_bot(START))
    assert events == [FollowupAction("career_quiz_form")]
    assert messages == []


@pytest.mark.parametrize(
    "buttons, slots",
    [
        ([{"title": "Ja, hilfreich", "payload": "/feedback_positive"}], {}),  # no offer
        ([], {}),
        (START, {**ANSWERS, "recommended_variant": "specialist"}),  # a result exists
    ],
)
async def test_yes_without_an_offer_or_after_a_result_gets_the_open_question(buttons, slots):
    events, messages = await run(ActionAffirm(), _after_bot(buttons, slots=slots))
    assert events == []
    assert [m["text"] for m in messages] == ["Alles klar. Womit kann ich Ihnen helfen?"]


async def test_the_fit_question_beside_all_three_answers_hands_over_to_the_form(services):
    from actions.job_ad import ActionAnswerFitQuestion

    text = (
        "ich bin eigentlich kauffrau für büromanagement, englisch kann ich so B2, ich "
        "organisiere gern events und meetings, was passt zu mir"
    )
    tracker = make_tracker(text=text, intent="ask_fit")
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    for event in extracted:
        tracker.slots[event["name"]] = event["value"]
    assert {"training", "languages", "task_preference"} <= set(tracker.slots)
    events, messages = await run(ActionAnswerFitQuestion(), tracker)
    assert events == [FollowupAction("career_quiz_form")]
    assert messages == []  # not "Genau das finden wir mit dem Quiz heraus"
    # Read again by the form, the message keeps its line: what was noted, not "Geändert".
    again, _ = await run(ActionExtractAnswers(services), tracker)
    turn = next(e["value"] for e in again if e["name"] == "quiz_turn")
    assert turn["note"].startswith("Notiert: ")


async def test_the_fit_question_alone_gets_the_offer(services):
    from actions.job_ad import ActionAnswerFitQuestion

    tracker = make_tracker(text="Passt so ein Bürojob zu mir?", intent="ask_fit")
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    for event in extracted:
        tracker.slots[event["name"]] = event["value"]
    events, messages = await run(ActionAnswerFitQuestion(), tracker)
    assert events == []
    assert messages[0]["text"].startswith("Genau das finden wir")


async def test_the_fit_question_after_the_result_gets_the_summary(services):
    from actions.job_ad import ActionAnswerFitQuestion

    slots = {**ANSWERS, "recommended_variant": "secretarial"}
    tracker = make_tracker(text="Nochmal kurz: was passt zu mir?", intent="ask_fit", slots=slots)
    events, messages = await run(ActionAnswerFitQuestion(), tracker)
    assert events == [FollowupAction("action_recap")]
    assert messages == []  # not the offer to start the quiz just finished


@pytest.mark.parametrize(
    "slots, text, step",
    [
        # Visitor finding (visit6 #7): after an IT result the general answer named the
        # MFA route; the result's own first step follows it now.
        (
            {
                "training": ["finance_hr_it"],
                "languages": ["en:good"],
                "task_preference": "specialist",
            },
            "Welche Weiterbildung passt für mich als nächstes?",
            "Bachelor Professional in IT",
        ),
        (
            {"training": ["office"], "languages": [], "task_preference": "assistance"},
            "Was für eine Fortbildung würden Sie mir empfehlen?",
            "Fachwirt/in für Büro- und Projektorganisation",
        ),
        # A general question gets the general answer alone.
        (
            {"training": ["office"], "languages": [], "task_preference": "assistance"},
            "Welche Weiterbildungen gibt es für Sekretärinnen?",
            None,
        ),
    ],
)
async def test_own_next_step_after_the_result_follows_the_general_answer(slots, text, step):
    variant = "specialist" if slots["task_preference"] == "specialist" else "secretarial"
    # The answers as typed (the advice reads the field from them), else buttons.
    it = slots["training"] == ["finance_hr_it"]
    typed = {"training": "IT-Systemkaufmann", "task_preference": "am liebsten IT-Support"}
    typed = typed if it else {}
    events = []
    for slot, value in slots.items():
        events += [{"event": "user", "text": typed.get(slot, "/inform")}]
        events += [{"event": "slot", "name": slot, "value": value}]
    latest = {"text": text, "intent": {"name": "faq_prospects", "confidence": 1.0}}
    events += [{"event": "user", "text": text, "parse_data": latest}]
    tracker = make_tracker(
        slots={**slots, "recommended_variant": variant},
        text=text,
        intent="faq_prospects",
        events=events,
    )
    events, messages = await run(ActionAnswersBesideQuestion(), tracker)
    assert events == []
    if step is None:
        assert messages == []
    else:
        assert len(messages) == 1 and step in messages[0]["text"]
        assert messages[0]["text"].startswith("**Für Sie (")


async def test_own_next_step_before_the_result_adds_nothing():
    tracker = make_tracker(text="Welche Weiterbildung passt für mich?", intent="faq_prospects")
    events, messages = await run(ActionAnswersBesideQuestion(), tracker)
    assert (events, messages) == ([], [])


async def test_an_answer_intent_with_a_question_before_the_quiz_stores_the_answer(services):
    # Visitor finding (visit7): read as an answer, the message starts the quiz at once,
    # so its training must be stored, not held.
    text = "Ich bin 58, Industriekaufmann, seit 30 Jahren im Einkauf. Lohnt sich ein Wechsel?"
    extracted, _ = await run(ActionExtractAnswers(services), make_tracker(text=text))
    assert SlotSet("training", ["commercial_other"]) in extracted


async def test_a_foreign_degree_asked_about_before_the_quiz_is_held(services):
    # Visitor finding (visit7): the degree was dropped and had to be typed again.
    text = "Ich habe in Polen Informatik studiert (Master). Wird das hier anerkannt?"
    tracker, _, _, messages = await _held(services, text, intent="faq_recognition")
    assert tracker.slots["held_answers"]["values"] == {"training": ["degree"]}
    assert messages and messages[0]["text"].startswith("Notiert: ")


async def test_a_second_question_before_the_quiz_adds_to_the_held_answers(services):
    earlier = {"message": "m0", "values": {"training": ["other"]}, "note": "Notiert: Pflege."}
    tracker = make_tracker(
        text="Englisch spreche ich fließend – was verdient man damit?",
        intent="faq_salary",
        slots={"held_answers": earlier},
    )
    extracted, _ = await run(ActionExtractAnswers(services), tracker)
    held = next(e["value"] for e in extracted if e.get("name") == "held_answers")
    assert held["values"] == {"training": ["other"], "languages": ["en:fluent"]}
