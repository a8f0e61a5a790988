"""Rasa SDK glue: read slots, call the plain-Python logic, utter, return events.

The logic lives in parsing.py, recommender.py and repository.py; nothing here
runs at import time (the action server imports every module in this package).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import corrections
from actions.advice import details_for, profile_for
from career_quiz import advice, settings, turns
from career_quiz.answers import (
    ParsedAnswers,
    is_payload,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)
from career_quiz.asked_values import keep_quiz_state
from career_quiz.contract import (
    QUIZ_SLOTS,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
    clean_languages,
    clean_task,
    clean_training,
)
from career_quiz.lexicon import lexicon
from career_quiz.messages import labels, notes
from career_quiz.outbox import Outbox, outbox_for, result_key_for
from career_quiz.parsing import MessageParser
from career_quiz.questions import QuestionCues
from career_quiz.recommender import rubric, score
from career_quiz.repository import ResultRepository, engine_for
from career_quiz.side_topics import SIDE_TOPIC_KEY, asks_instead_of_answering, question_topic
from career_quiz.summary import describe_updates

logger = logging.getLogger(__name__)

FORM_NAME = "career_quiz_form"
RESULT_SLOTS = ("recommended_variant", "variant_scores")
# Helper slots: the open question's state (turns.QuizState), what the latest message
# held beyond its answers (parsed in action_extract_answers, read by the form's
# validation), and the questions the user skipped.
STATE_SLOT = "quiz_state"
TURN_SLOT = "quiz_turn"
SKIPPED_SLOT = "skipped_slots"
HELPER_SLOTS = (STATE_SLOT, TURN_SLOT, SKIPPED_SLOT)
# The value a skipped question is stored as ("unknown").
SKIPPED_VALUES = {SLOT_TRAINING: [], SLOT_LANGUAGES: [], SLOT_TASK: "unsure"}
# Small-talk intents (domain/faq.yml): never the answer to a question beside a quiz answer.
SMALL_TALK_PREFIX = "chitchat_"
FEEDBACK_BY_INTENT = {
    "feedback_positive": "helpful",
    "affirm": "helpful",
    "feedback_negative": "not_helpful",
    "deny": "not_helpful",
}


@lru_cache(maxsize=1)
def _parser() -> MessageParser:
    from career_quiz.nlp import pipeline
    from career_quiz.task_model import task_classifier

    return MessageParser(pipeline(), lexicon(), task_classifier().probabilities)


def _question_cues() -> QuestionCues:
    return QuestionCues.from_data(lexicon().questions)


def _repository() -> ResultRepository:
    return ResultRepository(engine_for(settings.database_url()), settings.hash_salt())


def _outbox() -> Outbox:
    """Every write to the results database goes through the local outbox (outbox.py):
    queued durably first, delivered in order, retried while the database is down.
    """
    return outbox_for(
        settings.outbox_path(), settings.database_url(), settings.outbox_retry_seconds()
    )


def _answers(tracker: Tracker) -> Dict[str, Any]:
    """The quiz answers in canonical form; a value that fails validation reads as None."""
    return {
        "training": clean_training(tracker.get_slot("training")),
        "languages": clean_languages(tracker.get_slot("languages")),
        "task_preference": clean_task(tracker.get_slot("task_preference")),
    }


def _requested_slot(tracker: Tracker) -> Optional[str]:
    if tracker.active_loop_name != FORM_NAME:
        return None
    slot = tracker.get_slot("requested_slot")
    return slot if slot in QUIZ_SLOTS else None


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


OUT_OF_SCOPE = "out_of_scope"


def _question_response(tracker: Tracker, question: str = "") -> Optional[str]:
    """The FAQ response for the question part of a mixed message.

    The classifier saw the whole message ("Ich bin Bankkauffrau – brauche ich
    dafür ein Studium?"), so the answer part may win. A topic the question part
    names by its words (career_quiz/side_topics.py: "reicht das?") comes first; then
    the best-ranked topic intent with some confidence. Small talk is no answer to a
    question asked beside a quiz answer ("Ich bin ein Chatbot" to "reicht das?").
    """
    topic = question_topic(question, tracker.latest_message.get(SIDE_TOPIC_KEY))
    if topic and turns.is_digression_intent(topic):
        return turns.digression_response(topic)
    ranking = tracker.latest_message.get("intent_ranking") or []
    if not ranking:
        ranking = [tracker.latest_message.get("intent") or {}]
    found = [
        str(entry.get("name"))
        for entry in ranking
        if turns.is_digression_intent(entry.get("name"))
        and not str(entry.get("name")).startswith(SMALL_TALK_PREFIX)
        and float(entry.get("confidence") or 0) >= 0.05
    ]
    # A topic the bot can answer beats "no reliable information" ("Ich bin Bankkauffrau –
    # brauche ich dafür ein Studium?" ranks out_of_scope close to faq_degree_needed).
    for name in sorted(found, key=lambda n: n == OUT_OF_SCOPE):
        return turns.digression_response(name)
    return None


class ActionExtractAnswers(Action):
    """Parses the latest user message and merges its quiz answers into the slots."""

    def name(self) -> Text:
        """Action name used in the slot mappings."""
        return "action_extract_answers"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Returns SlotSet events for the answers the message gives.

        Also returns, in `quiz_turn`, the line that says what was stored and, inside
        the quiz, the response to a question asked in the same message; the form's
        validation says both (see `_turn`).
        """
        text = tracker.latest_message.get("text") or ""
        requested = _requested_slot(tracker)
        if is_payload(text):
            parsed = parse_payload_entities(payload_entities(text))
        else:
            parsed = _parser().parse(text, requested)
        side_topic = tracker.latest_message.get(SIDE_TOPIC_KEY)
        if asks_instead_of_answering(side_topic, parsed.question, text):
            parsed = ParsedAnswers(question=text)  # a side question the splitter missed
        elif not is_payload(text):
            # "wie lang geht bankkaufmann mit abitur": a value asked about is no answer.
            parsed = keep_quiz_state(parsed, text, requested, side_topic, _question_cues())
        if _intent(tracker) == "dont_know" and not (
            parsed.asks or parsed.insult or parsed.english or parsed.go_back or parsed.correction
        ):
            parsed.dont_know = True  # "Da bin ich überfragt" has no cue phrase, the intent says it
        current = {slot: tracker.get_slot(slot) for slot in QUIZ_SLOTS}
        updates = merge_answers(current, parsed, requested)
        events: List[EventType] = [SlotSet(slot, value) for slot, value in updates.items()]
        events += corrections.details_events(tracker, parsed)
        events += corrections.restated_events(current, parsed, updates)
        skipped = [requested] if requested and parsed.skip and requested in updates else []
        if skipped and requested:
            events.append(SlotSet(SKIPPED_SLOT, _with(tracker.get_slot(SKIPPED_SLOT), requested)))
        turn = _turn(tracker, parsed)
        turn["note"] = describe_updates(current, updates, parsed, skipped)
        if requested and updates and parsed.question:
            turn["reply"] = (
                _question_response(tracker, parsed.question) or "utter_question_not_understood"
            )
        if requested or turn["note"] or parsed.go_back:
            events.append(SlotSet(TURN_SLOT, turn))
        return events


def _message_id(tracker: Tracker) -> str:
    latest = tracker.latest_message
    return str(latest.get("message_id") or latest.get("text") or "")


def _turn(tracker: Tracker, parsed: ParsedAnswers) -> Dict[str, Any]:
    """What the message held besides answers; the form's validation says it.

    Rasa drops bot messages of a slot-mapping action, so the confirmation line
    and the answer to a question in the same message travel in this slot to
    validate_career_quiz_form, which every answer reaches.
    """
    return {
        "message": _message_id(tracker),
        "asks": parsed.asks,
        "candidates": list(parsed.task_candidates),
        "go_back": parsed.go_back,
        "go_back_to": parsed.go_back_to,
        "english": parsed.english,
        "dont_know": parsed.dont_know,
        "note": None,
        "reply": None,
    }


def _say_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Utters the latest message's confirmation line and question answer, once."""
    turn = tracker.get_slot(TURN_SLOT)
    if (
        not isinstance(turn, dict)
        or turn.get("spoken")
        or turn.get("message") != _message_id(tracker)
    ):
        return []
    if turn.get("note"):
        dispatcher.utter_message(text=str(turn["note"]))
    if turn.get("reply"):
        dispatcher.utter_message(response=str(turn["reply"]))
    return [SlotSet(TURN_SLOT, {**turn, "spoken": True})]


def _with(values: Any, value: str) -> List[str]:
    values = [v for v in values or [] if isinstance(v, str)]
    return values if value in values else values + [value]


class ValidateCareerQuizForm(FormValidationAction):
    """Decides what a message is while a question is open, and what to ask next.

    The answer parser has already run (action_extract_answers); this action
    keeps only canonical values and, when the open question got no answer,
    answers a question or small talk, or counts a failed attempt (turns.py).
    """

    def name(self) -> Text:
        """Form validation action name."""
        return "validate_career_quiz_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates the extracted slots and sets the open question's state."""
        extracted = tracker.slots_to_validate()
        events = await super().run(dispatcher, tracker, domain)
        events = [e for e in events if e.get("name") != TURN_SLOT]
        said = _say_turn(dispatcher, tracker)
        requested = tracker.get_slot("requested_slot")
        if requested not in QUIZ_SLOTS:
            return events + said
        events += said
        state = turns.QuizState.from_slot(tracker.get_slot(STATE_SLOT), requested)
        if not _user_message_unanswered(tracker):
            # Back from a digression or a confirmation: the question again (unless a
            # confirmation question is still open).
            if state.prompt != turns.SILENT:
                state.prompt = turns.ASK
            pin = [SlotSet("requested_slot", requested)] if state.back else []
            return events + pin + [SlotSet(STATE_SLOT, state.as_slot())]
        turn = tracker.get_slot(TURN_SLOT) or {}
        # What the parser read in this message (not in an earlier one).
        latest = turn if turn.get("message") == _message_id(tracker) else {}
        answers = any(s in extracted for s in QUIZ_SLOTS)
        if not answers and (latest.get("go_back") or _intent(tracker) == "go_back"):
            # "Zurück": the previous question again, the other answers stay.
            return events + corrections.go_back_in_form(
                dispatcher, requested, latest.get("go_back_to")
            )
        if not answers and latest.get("english"):
            corrections.english_notice(dispatcher)
            state.prompt = turns.ASK
            return events + _still_open(requested, state)
        if turns.is_control_intent(_intent(tracker)) and not answers:
            return []  # the form rejects; the rules restart, say goodbye or explain
        answered = requested in extracted and _valid(requested, extracted[requested])
        kind = turns.classify_turn(
            _intent(tracker),
            answered=answered,
            other_answers=any(s in extracted for s in QUIZ_SLOTS if s != requested),
            candidates=bool(turn.get("candidates")),
            asks=bool(turn.get("asks")),
        )
        if kind == turns.ANSWER:
            return events + [SlotSet(STATE_SLOT, None)]
        if kind == turns.OTHER_ANSWER:
            state.prompt = turns.ASK
        elif kind == turns.RESUME:
            state.prompt = turns.ASK
        elif kind == turns.AMBIGUOUS:
            state.prompt, state.candidates = turns.CLARIFY, list(turn["candidates"])
        elif latest.get("dont_know") and requested == SLOT_LANGUAGES:
            # "Keine Ahnung" at the language question: not "no languages"; the buttons.
            state = turns.after_miss(state)
            state.prompt = turns.UNSURE
        elif state.prompt == turns.SILENT and _intent(tracker) == "affirm":
            # "Ja" to "Möchten Sie wirklich neu beginnen?"
            return [SlotSet(STATE_SLOT, state.as_slot()), FollowupAction("action_reset_quiz")]
        elif kind in (turns.DIGRESSION, turns.UNKNOWN_QUESTION):
            if kind == turns.DIGRESSION:
                dispatcher.utter_message(response=turns.digression_response(_intent(tracker) or ""))
            else:
                dispatcher.utter_message(response="utter_question_not_understood")
            if turn.get("asks"):
                state.prompt = turns.ASK  # a question is no failed answer
            else:
                state = turns.after_miss(state)  # a topic named alone answers nothing
        else:
            state = turns.after_miss(state)
        if state.misses >= turns.MAX_MISSES:
            return events + _skip_events(dispatcher, tracker, requested)
        return events + _still_open(requested, state)

    def validate_training(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accepts a list of canonical training values."""
        return {"training": clean_training(value)}

    def validate_languages(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accepts a list of "<code>:<level>" entries."""
        return {"languages": clean_languages(value)}

    def validate_task_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accepts one canonical task preference."""
        return {"task_preference": clean_task(value)}

    def validate_quiz_turn(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Internal: kept as set by action_extract_answers."""
        return {TURN_SLOT: value if isinstance(value, dict) else None}

    def validate_skipped_slots(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Internal: only quiz slot names."""
        return {SKIPPED_SLOT: [v for v in value or [] if v in QUIZ_SLOTS] or None}


def _still_open(requested: str, state: turns.QuizState) -> List[EventType]:
    """The open question stays open: no answer stored, the state for the next ask.

    A question reopened by "Zurück" keeps its earlier answer and is named in
    `requested_slot` (the form would go on to the next question without an answer).
    """
    if state.back:
        return [SlotSet("requested_slot", requested), SlotSet(STATE_SLOT, state.as_slot())]
    return [SlotSet(requested, None), SlotSet(STATE_SLOT, state.as_slot())]


_VALIDATORS = {
    SLOT_TRAINING: clean_training,
    SLOT_LANGUAGES: clean_languages,
    SLOT_TASK: clean_task,
}


def _valid(slot: str, value: Any) -> bool:
    return _VALIDATORS[slot](value) is not None


def _skip_events(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> List[EventType]:
    """Skips a question after the third miss: stored as unknown, named in the explanation."""
    dispatcher.utter_message(response="utter_skipped_automatically")
    return [
        SlotSet(slot, SKIPPED_VALUES[slot]),
        SlotSet(SKIPPED_SLOT, _with(tracker.get_slot(SKIPPED_SLOT), slot)),
        SlotSet(STATE_SLOT, None),
    ]


def _user_message_unanswered(tracker: Tracker) -> bool:
    """True when the bot has not replied to the latest user message yet.

    After a digression (an FAQ answer) the form re-asks its question without a
    new user message; that must not count as an unclear answer.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return False
        if event.get("event") == "user":
            return True
    return False


class ActionRecommendVariant(Action):
    """Scores the answers, tells the user the fitting variant and stores the result."""

    def name(self) -> Text:
        """Action name."""
        return "action_recommend_variant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sets recommended_variant and variant_scores (the only place that does)."""
        answers = _answers(tracker)
        if any(value is None for value in answers.values()):
            dispatcher.utter_message(response="utter_quiz_missing_answers")
            return [SlotSet(slot, None) for slot in RESULT_SLOTS]
        recommendation = score(answers)
        previous = tracker.get_slot("recommended_variant")
        details = details_for(tracker, answers)
        if previous == recommendation.variant:
            # A correction that keeps the variant: one line, not the whole text again.
            dispatcher.utter_message(
                response="utter_recommendation_kept",
                title=rubric().title(previous),
                score=recommendation.scores[previous],
            )
        else:
            before = tracker.get_slot("answer_details")
            changed = advice.changed_parts(
                before.get("answers") if isinstance(before, dict) else None, answers
            )
            profile = advice.Profile.build(answers, details)
            text = advice.render_result(recommendation, profile, previous, changed)
            dispatcher.utter_message(text=text)
            # The three totals as one line: text for rasa shell, bars in the web widget.
            dispatcher.utter_message(text=advice.render_scores(recommendation))
        dispatcher.utter_message(response="utter_result_actions")
        try:
            # Stored now, or queued in the outbox and retried; one row per result: the key
            # names the user message that led to it (a repeated run of this action on the
            # same message writes nothing new).
            conversation_hash = _repository().conversation_hash(tracker.sender_id)
            _outbox().submit_result(
                conversation_hash,
                answers,
                recommendation.scores,
                recommendation.variant,
                recommendation.rubric_version,
                idempotency_key=result_key_for(conversation_hash, tracker.events),
            )
        except Exception:
            # The visitor still gets the result; this is a bug or a broken disk.
            logger.critical("Quiz result neither stored nor queued", exc_info=True)
        return [
            SlotSet("recommended_variant", recommendation.variant),
            SlotSet("variant_scores", recommendation.scores),
            SlotSet("answer_details", details),
        ]


class ActionExplainResult(Action):
    """Explains, answer by answer, how the recommendation came about."""

    def name(self) -> Text:
        """Action name."""
        return "action_explain_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the explanation, or says that there is no result yet."""
        answers = _answers(tracker)
        if not tracker.get_slot("recommended_variant") or any(
            value is None for value in answers.values()
        ):
            dispatcher.utter_message(response="utter_no_result_yet")
            return []
        skipped = tracker.get_slot(SKIPPED_SLOT) or []
        profile = profile_for(tracker, answers)
        dispatcher.utter_message(text=advice.render_why(score(answers), profile, skipped))
        dispatcher.utter_message(response="utter_result_actions")  # the feedback stays at hand
        return []


class ActionStoreFeedback(Action):
    """Stores whether the recommendation helped."""

    def name(self) -> Text:
        """Action name."""
        return "action_store_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Attaches the feedback to the conversation's latest stored result."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        feedback = FEEDBACK_BY_INTENT.get(intent or "")
        if feedback is None or not tracker.get_slot("recommended_variant"):
            dispatcher.utter_message(response="utter_feedback_no_result")
            return []
        try:
            # After any result of this conversation still queued in the outbox.
            _outbox().submit_feedback(_repository().conversation_hash(tracker.sender_id), feedback)
        except Exception:
            logger.critical("Feedback neither stored nor queued", exc_info=True)
        if feedback == "helpful":
            dispatcher.utter_message(response="utter_feedback_thanks_positive")
        else:
            dispatcher.utter_message(response="utter_feedback_thanks_negative")
        return []


def _reset_events() -> List[EventType]:
    slots = QUIZ_SLOTS + RESULT_SLOTS + HELPER_SLOTS + (corrections.DETAILS_SLOT,)
    events: List[EventType] = [SlotSet(slot, None) for slot in slots]
    return events + [SlotSet("requested_slot", None), ActiveLoop(None)]


def _new_session_events() -> List[EventType]:
    """Ends the Rasa session and starts the quiz form again in a fresh one.

    Rasa loads and replays only the events since the latest session start, so a
    restart keeps the cost of every later message independent of how long the
    conversation has been going. Slots reset with the session.
    QUIZ_RESTART_NEW_SESSION=0 keeps the same session (the `no-session-restart`
    experiment, bench/experiment.py, measures what this buys).
    """
    if not settings.restart_new_session():
        return []
    return [SessionStarted(), FollowupAction(FORM_NAME)]


def _has_answers(tracker: Tracker) -> bool:
    return any(tracker.get_slot(s) is not None for s in QUIZ_SLOTS + ("recommended_variant",))


def _clear_restart_request(text: str) -> bool:
    """True for a typed request that can only mean a restart ("Neu starten")."""
    words = " ".join(text.lower().replace("!", " ").replace(".", " ").split())
    return words in set(lexicon().cues.get("restart", []))


class ActionResetQuiz(Action):
    """Forgets all answers and the result, so the quiz starts from the first question.

    Nothing is lost on a guess: a typed message that the classifier took for a
    restart first gets a confirmation question, unless it is a clear request
    ("Neu starten"), a button, or there is nothing to lose.
    """

    def name(self) -> Text:
        """Action name."""
        return "action_reset_quiz"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Clears quiz and result slots and ends an active quiz form, or asks first."""
        text = tracker.latest_message.get("text") or ""
        turn = tracker.get_slot(TURN_SLOT)
        if (
            tracker.active_loop_name != FORM_NAME
            and isinstance(turn, dict)
            and turn.get("go_back")
            and turn.get("message") == _message_id(tracker)
        ):
            return [FollowupAction("action_go_back")]  # "Zurück" taken for a restart
        state = turns.QuizState.from_slot(
            tracker.get_slot(STATE_SLOT), tracker.get_slot("requested_slot")
        )
        confirmed = state.prompt == turns.SILENT and _intent(tracker) == "affirm"
        if (
            confirmed
            or is_payload(text)
            or _clear_restart_request(text)
            or not _has_answers(tracker)
        ):
            dispatcher.utter_message(response="utter_start_over")
            return _reset_events() + _new_session_events()
        dispatcher.utter_message(response="utter_confirm_start_over")
        if tracker.active_loop_name != FORM_NAME:
            # Wait for the reply; the "Start over" rule would start the form right away.
            return [
                SlotSet(STATE_SLOT, {"slot": None, "prompt": turns.SILENT}),
                FollowupAction("action_listen"),
            ]
        state.prompt = turns.SILENT
        # The form stays active and runs again without asking, so the next message
        # reaches the parser (data/rules/quiz.yml, "The restart question in the quiz").
        return [
            SlotSet(STATE_SLOT, state.as_slot()),
            ActiveLoop(FORM_NAME),
            FollowupAction(FORM_NAME),
        ]


class ActionContinueQuiz(Action):
    """Handles "Nein, weitermachen" after the restart question, outside the quiz."""

    def name(self) -> Text:
        """Action name."""
        return "action_continue_quiz"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Keeps everything and says so."""
        dispatcher.utter_message(response="utter_continue_quiz")
        return [SlotSet(STATE_SLOT, None)]


class ActionStartQuiz(Action):
    """Before the quiz form starts: clears a finished quiz, keeps answers given so far."""

    def name(self) -> Text:
        """Action name."""
        return "action_start_quiz"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Resets only when a result exists, so "Quiz starten" then means a new quiz."""
        if not tracker.get_slot("recommended_variant"):
            return []
        dispatcher.utter_message(response="utter_new_quiz")
        return _reset_events() + _new_session_events()


class _AskForSlot(Action, ABC):
    """Abstract: asks one quiz question (the form calls action_ask_<slot>).

    What it says depends on the question's state (turns.py): the question, a
    re-ask with examples, buttons with "Überspringen", a clarifying question, or
    nothing while a confirmation question is open.
    """

    @property
    @abstractmethod
    def slot(self) -> Text:
        """The quiz slot this action asks for."""

    def name(self) -> Text:
        """Action name the form looks up for the slot."""
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the question in the form the state asks for."""
        state = turns.QuizState.from_slot(tracker.get_slot(STATE_SLOT), self.slot)
        if state.prompt == turns.SILENT:
            return []
        if state.prompt == turns.WRONG:
            dispatcher.utter_message(response=f"utter_wrong_{self.slot}")
        elif state.prompt == turns.CHOICE:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}_choice")
        elif state.prompt == turns.UNSURE and corrections.ask_unsure(dispatcher, self.slot):
            pass
        elif state.prompt == turns.CLARIFY and state.candidates:
            names = labels()["task"]
            buttons = [
                {"title": names[c], "payload": f'/inform{{"task_preference": "{c}"}}'}
                for c in state.candidates
                if c in names
            ] + [
                {
                    "title": notes()["clarify_unsure"],
                    "payload": '/inform{"task_preference": "unsure"}',
                }
            ]
            # Rasa appends these buttons to those of the response (it has none).
            dispatcher.utter_message(response=f"utter_ask_{self.slot}_clarify", buttons=buttons)
        else:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return []


class ActionAskTraining(_AskForSlot):
    """Asks for training or degree."""

    slot = "training"


class ActionAskLanguages(_AskForSlot):
    """Asks for foreign languages and levels."""

    slot = "languages"


class ActionAskTaskPreference(_AskForSlot):
    """Asks which work the user likes best."""

    slot = "task_preference"


def warm_up() -> None:
    """Loads the answer parser (spaCy pipeline and classifier) ahead of the first
    message; the action server calls it before it accepts requests.
    """
    _parser()
