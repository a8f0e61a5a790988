"""Rasa SDK glue: read slots, call the plain-Python logic, utter, return events.

The decisions live in career_quiz/: what a message holds in parsing.py, what the form
does with it in turns.py, the result in results.py; the objects they need are built
in bootstrap.py. Nothing here runs at import time (the action server imports every
module in this package).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import corrections
from actions.advice import HELD_SLOT, canonical_answers, details_for, own_step, profile_for
from actions.job_ad import comparison_follows
from career_quiz import advice, bootstrap, results, turns
from career_quiz.answers import (
    ParsedAnswers,
    is_payload,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)
from career_quiz.asked_values import read_answers
from career_quiz.bootstrap import Services
from career_quiz.contract import (
    CLEANERS,
    QUIZ_SLOTS,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
    clean_languages,
    clean_task,
    clean_training,
)
from career_quiz.outbox import result_stamp
from career_quiz.recommender import score
from career_quiz.results import Said
from career_quiz.side_topics import (
    ENGLISH,
    SIDE_TOPIC_KEY,
    question_topic,
    unsplit_question,
)
from career_quiz.summary import describe_kept, describe_updates

logger = logging.getLogger(__name__)

FORM_NAME = "career_quiz_form"
RESULT_SLOTS = ("recommended_variant", "variant_scores")
# Helper slots: the open question's state (turns.QuizState), what the latest message
# held beyond its answers (parsed in action_extract_answers, read by the form's
# validation), and the questions the user skipped.
STATE_SLOT = "quiz_state"
TURN_SLOT = "quiz_turn"
SKIPPED_SLOT = "skipped_slots"
# HELD_SLOT (actions/advice.py): answers given before the quiz beside a question, until
# the quiz starts (turns.holds_answers).
HELPER_SLOTS = (STATE_SLOT, TURN_SLOT, SKIPPED_SLOT, HELD_SLOT)
# The value a skipped question is stored as ("unknown").
SKIPPED_VALUES = {SLOT_TRAINING: [], SLOT_LANGUAGES: [], SLOT_TASK: "unsure"}
# Small-talk intents (domain/faq.yml): never the answer to a question beside a quiz answer.
SMALL_TALK_PREFIX = "chitchat_"


class _UsesServices:
    """Mixin: the action's services (career_quiz/bootstrap.py), passed in or the shared ones.

    rasa_sdk creates every action without arguments, so the shared services are the
    default; tests pass their own.
    """

    def __init__(self, services: Optional[Services] = None) -> None:
        super().__init__()
        self._services = services

    @property
    def services(self) -> Services:
        """The services passed in, else the process's shared ones."""
        return self._services or bootstrap.services()


def _say(dispatcher: CollectingDispatcher, said: Said) -> None:
    if said.text is not None:
        dispatcher.utter_message(text=said.text)
    else:
        dispatcher.utter_message(response=said.response, **said.values)


def _requested_slot(tracker: Tracker) -> Optional[str]:
    if tracker.active_loop_name != FORM_NAME:
        return None
    slot = tracker.get_slot("requested_slot")
    return slot if slot in QUIZ_SLOTS else None


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


OUT_OF_SCOPE = "out_of_scope"
# "Reicht das?", "Zählt mein Studium?": after a result, its reasons answer it.
ENOUGH_INTENT = "faq_enough"


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


class ActionExtractAnswers(_UsesServices, Action):
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
        side_topic = tracker.latest_message.get(SIDE_TOPIC_KEY)
        has_result = bool(tracker.get_slot("recommended_variant"))
        if is_payload(text):
            parsed = parse_payload_entities(payload_entities(text))
        else:
            parsed = read_answers(
                self.services.parser,
                text,
                requested,
                side_topic,
                self.services.question_cues,
                has_result=has_result,
            )
        if _intent(tracker) in turns.PRIVACY_INTENTS and not is_payload(text):
            parsed = ParsedAnswers()  # a deletion request answers no quiz question
        kept = _keeps_reopened_answer(tracker, requested, text, self.services.parser)
        if kept:
            parsed = ParsedAnswers()  # "nein alles gut, weiter": the earlier answer stays
        if _intent(tracker) == "dont_know" and not (
            parsed.asks or parsed.insult or parsed.english or parsed.go_back or parsed.correction
        ):
            parsed.dont_know = True  # "Da bin ich überfragt" has no cue phrase, the intent says it
        current = {slot: tracker.get_slot(slot) for slot in QUIZ_SLOTS}
        updates = merge_answers(current, parsed, requested)
        intent = _intent(tracker)
        if updates and turns.holds_answers(requested, has_result, is_payload(text), intent):
            # Before the quiz, beside a question: held until the visitor starts the quiz
            # (action_answers_beside_question offers it).
            held = {
                "message": _message_id(tracker),
                # Added to what an earlier question before the quiz held.
                "values": {**turns.held_values(tracker.get_slot(HELD_SLOT)), **updates},
                "note": describe_updates(current, updates, parsed),
            }
            return corrections.details_events(tracker, parsed) + [SlotSet(HELD_SLOT, held)]
        held_before = tracker.get_slot(HELD_SLOT)
        starting = intent in turns.START_INTENTS or (
            intent == turns.AFFIRM_INTENT and turns.offered_quiz(tracker.events)
        )
        released = turns.released_answers(held_before, requested, has_result, starting, updates)
        updates = {**released, **updates}
        events: List[EventType] = [SlotSet(slot, value) for slot, value in updates.items()]
        if released:
            events.append(SlotSet(HELD_SLOT, None))
        events += corrections.details_events(tracker, parsed)
        events += corrections.restated_events(current, parsed, updates)
        skipped = [requested] if requested and parsed.skip and requested in updates else []
        if skipped and requested:
            events.append(SlotSet(SKIPPED_SLOT, _with(tracker.get_slot(SKIPPED_SLOT), requested)))
        before_skipped = list(tracker.get_slot(SKIPPED_SLOT) or [])
        answered = [s for s in before_skipped if s in updates and s not in skipped]
        if answered:
            # A question skipped and answered later is no longer skipped (visit11 #9: the
            # summary read "Fremdsprachen: übersprungen" beside "Englisch gut").
            still = [s for s in before_skipped if s not in answered]
            events.append(SlotSet(SKIPPED_SLOT, still or None))
        turn = _turn(tracker, parsed)
        turn["note"] = describe_updates(current, updates, parsed, skipped)
        if kept and requested:
            turn["note"], turn["keeps"] = describe_kept(requested, current[requested]), True
        if released:
            # The offer said the held answers are taken ("Notiert: Altenpflegerin. …
            # übernehme ich"): only this message's own answers are named again.
            turn["note"] = describe_updates(
                current, {k: updates[k] for k in updates if k not in released}, parsed, skipped
            )
        earlier = turns.turn_of(tracker.get_slot(TURN_SLOT), _message_id(tracker))
        if earlier and earlier.get("note") and not earlier.get("spoken") and not updates:
            # The same message read again by the form it handed over to (answers beside
            # a question outside the quiz): its values are stored already, so the line
            # that names them stays ("Notiert: ...", not "Geändert: ...").
            turn["note"] = earlier["note"]
        if requested and updates and parsed.question:
            turn["reply"] = (
                _question_response(tracker, parsed.question) or "utter_question_not_understood"
            )
        elif requested and updates:
            # A question the splitter missed, which the topic words found.
            topic = unsplit_question(side_topic, parsed.question)
            if topic and turns.is_digression_intent(topic):
                turn["reply"] = turns.digression_response(topic)
        if requested or turn["note"] or parsed.go_back:
            events.append(SlotSet(TURN_SLOT, turn))
        return events


def _keeps_reopened_answer(tracker: Tracker, requested: Optional[str], text: str, parser) -> bool:
    """True when a question reopened by "Zurück" has an answer and the message keeps it
    ("nein alles gut, weiter"; visit7 #8: it was an answer that could not be placed, and
    after the result the work question stored "weiß nicht").
    """
    if requested not in QUIZ_SLOTS or is_payload(text) or tracker.get_slot(requested) is None:
        return False
    state = turns.QuizState.from_slot(tracker.get_slot(STATE_SLOT), requested)
    return state.back and parser.keeps_answer(text)


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
        # An English question on a topic, or an ending, got its answer from its German
        # gloss (career_quiz/english.py): no notice beside it.
        "english": parsed.english and tracker.latest_message.get(SIDE_TOPIC_KEY) in (None, ENGLISH),
        "dont_know": parsed.dont_know,
        "note": None,
        "reply": None,
    }


def _say_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Utters the latest message's confirmation line and question answer, once."""
    turn = turns.turn_of(tracker.get_slot(TURN_SLOT), _message_id(tracker))
    if turn is None or turn.get("spoken"):
        return []
    if turn.get("note"):
        dispatcher.utter_message(text=str(turn["note"]))
    if turn.get("reply"):
        dispatcher.utter_message(response=str(turn["reply"]))
    return [SlotSet(TURN_SLOT, {**turn, "spoken": True})]


def _with(values: Any, value: str) -> List[str]:
    values = [v for v in values or [] if isinstance(v, str)]
    return values if value in values else values + [value]


class ValidateCareerQuizForm(_UsesServices, FormValidationAction):
    """What a message does while a question is open, and what to ask next.

    The answer parser has already run (action_extract_answers); this action keeps
    only canonical values, says the parser's confirmation line, and turns the
    decision of turns.decide (answer, digression, miss, skip, "Zurück" ...) into events.
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
        state = turns.QuizState.from_slot(tracker.get_slot(STATE_SLOT), requested)
        decision = turns.decide(requested, state, _message(tracker, extracted, requested))
        for response in decision.responses:
            dispatcher.utter_message(response=response)
        if decision.outcome == turns.TO_RULES:
            return []  # the form rejects; the rules restart, say goodbye or explain
        if decision.outcome == turns.FOLLOWUP:
            return [_state_event(decision.state), FollowupAction(str(decision.target))]
        events += said
        if decision.outcome == turns.KEEP:
            return events + [SlotSet(STATE_SLOT, None)]
        if decision.outcome == turns.GO_BACK:
            answered = tracker.get_slot(requested) is not None
            return events + corrections.go_back_in_form(
                dispatcher, requested, decision.target, answered
            )
        if decision.outcome == turns.SKIP:
            return events + _skip_events(tracker, requested)
        if decision.outcome == turns.REASK:
            back = decision.state is not None and decision.state.back
            pin = [SlotSet("requested_slot", requested)] if back else []
            return events + pin + [_state_event(decision.state)]
        return events + _still_open(requested, decision.state or turns.QuizState(requested))

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


def _message(tracker: Tracker, extracted: Dict[str, Any], requested: str) -> turns.Message:
    """The latest user message as the turn decision sees it (turns.decide)."""
    turn = tracker.get_slot(TURN_SLOT) or {}
    # What the parser read in this message (not in an earlier one).
    latest = turn if turn.get("message") == _message_id(tracker) else {}
    return turns.Message(
        intent=_intent(tracker),
        new=_user_message_unanswered(tracker),
        slots_set=any(s in extracted for s in QUIZ_SLOTS),
        answered=requested in extracted and _valid(requested, extracted[requested]),
        other_answers=any(s in extracted for s in QUIZ_SLOTS if s != requested),
        candidates=tuple(turn.get("candidates") or ()),
        asks=bool(turn.get("asks")),
        go_back=bool(latest.get("go_back")),
        go_back_to=latest.get("go_back_to"),
        english=bool(latest.get("english")),
        dont_know=bool(latest.get("dont_know")),
        keeps=bool(latest.get("keeps")),
        worded=any(ch.isalpha() for ch in tracker.latest_message.get("text") or ""),
    )


def _state_event(state: Optional[turns.QuizState]) -> EventType:
    return SlotSet(STATE_SLOT, state.as_slot() if state else None)


def _still_open(requested: str, state: turns.QuizState) -> List[EventType]:
    """The open question stays open: no answer stored, the state for the next ask.

    A question reopened by "Zurück" keeps its earlier answer and is named in
    `requested_slot` (the form would go on to the next question without an answer).
    """
    if state.back:
        return [SlotSet("requested_slot", requested), SlotSet(STATE_SLOT, state.as_slot())]
    return [SlotSet(requested, None), SlotSet(STATE_SLOT, state.as_slot())]


def _valid(slot: str, value: Any) -> bool:
    return CLEANERS[slot](value) is not None


def _skip_events(tracker: Tracker, slot: str) -> List[EventType]:
    """Skips a question after the third miss: stored as unknown, named in the explanation."""
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


class ActionRecommendVariant(_UsesServices, Action):
    """Scores the answers, tells the user the fitting variant and stores the result."""

    def name(self) -> Text:
        """Action name."""
        return "action_recommend_variant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sets recommended_variant and variant_scores (the only place that does)."""
        answers = canonical_answers(tracker)
        details = details_for(tracker, answers) if results.complete(answers) else {}
        before = tracker.get_slot("answer_details")
        result = self.services.results.recommend(
            answers,
            details,
            previous=tracker.get_slot("recommended_variant"),
            previous_answers=before.get("answers") if isinstance(before, dict) else None,
            previous_details=before if isinstance(before, dict) else None,
            # With an ad on file the comparison follows; the feedback question comes last.
            ask_feedback=not comparison_follows(tracker),
        )
        for said in result.messages:
            _say(dispatcher, said)
        recommendation = result.recommendation
        if recommendation is None:
            return [SlotSet(slot, None) for slot in RESULT_SLOTS]
        # Stored now, or queued in the outbox and retried; one row per result: the stamp
        # names the user message that led to it (a repeated run of this action on the
        # same message writes nothing new).
        self.services.results.record(
            tracker.sender_id, answers, recommendation, result_stamp(tracker.events)
        )
        return [
            SlotSet("recommended_variant", recommendation.variant),
            SlotSet("variant_scores", recommendation.scores),
            SlotSet("answer_details", details),
        ]


class ActionExplainResult(_UsesServices, Action):
    """Explains, answer by answer, how the recommendation came about."""

    def name(self) -> Text:
        """Action name."""
        return "action_explain_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Utters the explanation, or says that there is no result yet."""
        text = _why_text(tracker, self.services)
        if not text:
            dispatcher.utter_message(response="utter_no_result_yet")
            return []
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(response="utter_result_actions")  # the feedback stays at hand
        return []


def _why_text(tracker: Tracker, services: Services) -> Optional[str]:
    """How the recommendation came about, answer by answer; None without a result."""
    answers = canonical_answers(tracker)
    if not tracker.get_slot("recommended_variant") or not results.complete(answers):
        return None
    skipped = tracker.get_slot(SKIPPED_SLOT) or []
    profile = profile_for(tracker, answers)
    rubric = services.rubric
    return advice.render_why(score(answers, rubric), profile, skipped, rubric)


class ActionStoreFeedback(_UsesServices, Action):
    """Stores whether the recommendation helped."""

    def name(self) -> Text:
        """Action name."""
        return "action_store_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Attaches the feedback to the conversation's latest stored result."""
        turn = turns.turn_of(tracker.get_slot(TURN_SLOT), _message_id(tracker))
        if turn and turn.get("keeps"):
            # "passt so" at a question reopened by "Zurück" keeps that answer, no
            # feedback (the form runs next and says so).
            return []
        said = self.services.results.feedback(
            tracker.sender_id,
            _intent(tracker),
            has_result=bool(tracker.get_slot("recommended_variant")),
        )
        _say(dispatcher, said)
        return []


def _reset_events() -> List[EventType]:
    slots = QUIZ_SLOTS + RESULT_SLOTS + HELPER_SLOTS + (corrections.DETAILS_SLOT,)
    events: List[EventType] = [SlotSet(slot, None) for slot in slots]
    return events + [SlotSet("requested_slot", None), ActiveLoop(None)]


def _new_session_events(services: Services) -> List[EventType]:
    """Ends the Rasa session and starts the quiz form again in a fresh one.

    Rasa loads and replays only the events since the latest session start, so a
    restart keeps the cost of every later message independent of how long the
    conversation has been going. Slots reset with the session.
    QUIZ_RESTART_NEW_SESSION=0 keeps the same session (the `no-session-restart`
    experiment, bench/experiment.py, measures what this buys).
    """
    if not services.restart_new_session:
        return []
    return [SessionStarted(), FollowupAction(FORM_NAME)]


def _has_answers(tracker: Tracker) -> bool:
    return any(tracker.get_slot(s) is not None for s in QUIZ_SLOTS + ("recommended_variant",))


def _clear_restart_request(text: str, services: Services) -> bool:
    """True for a typed request that can only mean a restart ("Neu starten")."""
    words = " ".join(text.lower().replace("!", " ").replace(".", " ").split())
    return words in set(services.lexicon.cues.get("restart", []))


class ActionResetQuiz(_UsesServices, Action):
    """Forgets all answers and the result, so the quiz starts from the first question,
    or first asks whether to (the decision is turns.decide_restart).
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
        go_back = (
            isinstance(turn, dict)
            and bool(turn.get("go_back"))
            and turn.get("message") == _message_id(tracker)
        )
        state = turns.QuizState.from_slot(
            tracker.get_slot(STATE_SLOT), tracker.get_slot("requested_slot")
        )
        decision = turns.decide_restart(
            state,
            turns.Message(intent=_intent(tracker), go_back=go_back),
            in_quiz=tracker.active_loop_name == FORM_NAME,
            clear_request=is_payload(text) or _clear_restart_request(text, self.services),
            has_answers=_has_answers(tracker),
        )
        for response in decision.responses:
            dispatcher.utter_message(response=response)
        if decision.outcome == turns.FOLLOWUP:
            return [FollowupAction(str(decision.target))]
        if decision.outcome == turns.RESTART:
            return _reset_events() + _new_session_events(self.services)
        if decision.target:
            # Wait for the reply; the "Start over" rule would start the form right away.
            return [_state_event(decision.state), FollowupAction(decision.target)]
        # The form stays active and runs again without asking, so the next message
        # reaches the parser (data/rules/quiz.yml, "The restart question in the quiz").
        return [_state_event(decision.state), ActiveLoop(FORM_NAME), FollowupAction(FORM_NAME)]


def _take_up_answers(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> Optional[List[EventType]]:
    """Outside the quiz, the answers the latest message gave: when it changed answers, the
    form takes over (it says what was stored and asks on, or updates the result); when
    it held them before the quiz ("Ich bin Altenpflegerin – was verdient man im Büro?"),
    the quiz is offered and takes them when the visitor starts it. None for neither.
    """
    message = _message_id(tracker)
    if turns.answers_beside_question(tracker.get_slot(TURN_SLOT), message):
        return [FollowupAction(FORM_NAME)]
    held = turns.held_for(tracker.get_slot(HELD_SLOT), message)
    if held:
        dispatcher.utter_message(response="utter_offer_quiz_held", note=held.get("note") or "")
        return []
    return None


class ActionAnswersBesideQuestion(_UsesServices, Action):
    """After the answer to a side question outside the quiz: quiz answers given in the
    same message start the quiz (or update the result) as an answer alone would; a
    question about the visitor's own next step gets the result's first step.
    """

    def name(self) -> Text:
        """Action name (data/rules/digressions.yml runs it after each topic's answer)."""
        return "action_answers_beside_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Hands over to the form, which says what was stored and asks on (or updates
        the result), when the message changed answers (turns.answers_beside_question).
        """
        if tracker.active_loop_name == FORM_NAME:
            return []
        taken = _take_up_answers(dispatcher, tracker)
        if taken is not None:
            return taken
        if _intent(tracker) == ENOUGH_INTENT:
            # "Zählt mein Diplom nicht?" after the result: its reasons, answer by answer
            # (domain/side_questions.yml says so first); before it, the general text.
            why = _why_text(tracker, self.services)
            if why:
                dispatcher.utter_message(text=why)
                return []
        # "Welche Weiterbildung passt für mich als nächstes?" after the result: the
        # general answer, then the result's own first step.
        step = own_step(tracker)
        if step:
            dispatcher.utter_message(text=step)
        return []


class ActionNotUnderstood(Action):
    """A message the classifier could not place, outside the quiz: when it still changed
    quiz answers ("Ich habe doch studiert, Bachelor …, vergessen zu sagen" after the
    result, visit10 #7), the form says what changed and updates the result, as for an
    answer alone; when it held answers before the quiz, the quiz is offered with them.
    Otherwise "nicht verstanden" (utter_fallback; the site's figures count its messages).
    """

    def name(self) -> Text:
        """Action name (data/rules/quiz.yml, "Low NLU confidence outside the quiz")."""
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Hands over to the form, offers the quiz, or says it did not understand."""
        taken = _take_up_answers(dispatcher, tracker)
        if taken is not None:
            return taken
        dispatcher.utter_message(response="utter_fallback")
        return []


class ActionAffirm(Action):
    """A "ja" outside the quiz: the start of the quiz when the bot has just offered it
    (turns.offered_quiz) and there is no result yet; else "Alles klar. Womit kann ich
    Ihnen helfen?".
    """

    def name(self) -> Text:
        """Action name (data/rules/quiz.yml)."""
        return "action_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Hands over to the form after an offer, as the start button would."""
        if not tracker.get_slot("recommended_variant") and turns.offered_quiz(tracker.events):
            return [FollowupAction(FORM_NAME)]
        dispatcher.utter_message(response="utter_affirm_no_context")
        return []


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


class ActionStartQuiz(_UsesServices, Action):
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
        return _reset_events() + _new_session_events(self.services)


class _AskForSlot(_UsesServices, Action, ABC):
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
            names = self.services.labels["task"]
            buttons = [
                {"title": names[c], "payload": f'/inform{{"task_preference": "{c}"}}'}
                for c in state.candidates
                if c in names
            ] + [
                {
                    "title": self.services.notes["clarify_unsure"],
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
    """Loads the answer parser (spaCy pipeline and classifier) and the knowledge of the
    recommendation's details ahead of the first message; the action server calls it
    before it accepts requests.
    """
    bootstrap.services().parser  # noqa: B018  (built on first use)
    advice.preload()
