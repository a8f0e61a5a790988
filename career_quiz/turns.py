"""What a message means while a quiz question is open, and what the bot asks next.

Plain Python (no rasa_sdk). The answer parser reads every message first; the
intent classifier only decides what a message that answers nothing is:

* an answer to the open question, or to another one, is an answer, whatever
  FAQ topic it names;
* a question (question form) or small talk is a digression: answered, then the
  same question follows, and it does not count as a failed attempt;
* a few control intents (restart, goodbye, feedback, "Warum?") go to the rules;
* anything else could not be placed. After the first such answer the bot
  re-asks with examples, after the second it offers buttons and "Überspringen",
  and after a third it skips the question, so no question is asked a third
  time in a row.

`decide` is the form's whole decision for one message (the validation action only
turns its `Decision` into events); `decide_restart` is the restart question's
("Möchten Sie wirklich neu beginnen?").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from career_quiz import dialogue
from career_quiz.contract import CLEANERS, SLOT_LANGUAGES

# Intents that take the user back to the open question ("Nein, weitermachen").
RESUME_INTENTS = frozenset({"continue_quiz"})
# Small talk inside the quiz ("Danke!", "Hallo"): answered, then the question again as
# it was asked, not as after an answer that could not be placed.
SOCIAL_INTENTS = frozenset(
    {"greet", "chitchat_thanks", "chitchat_how_are_you", "chitchat_bot_challenge"}
)
GO_BACK_INTENT = "go_back"  # "Zurück": the previous question again
AFFIRM_INTENT = "affirm"  # "Ja" to the restart question
# The classifier's catch-all ("Blumenkohl"): answered only when asked as a question;
# on its own it is an answer that could not be placed.
CATCH_ALL_INTENT = "out_of_scope"
# English outside the quiz: the bilingual notice, and answers in it held like beside a
# question (visit12 #11: stored silently, then "Quiz starten" showed a result at once).
ENGLISH_INTENT = "english"

# What the ask action says (the `prompt` of the quiz state).
ASK = "ask"  # the question with its buttons
WRONG = "wrong"  # could not place the answer: examples
CHOICE = "choice"  # second time: buttons and "Überspringen"
CLARIFY = "clarify"  # two work preferences fit: which one?
UNSURE = "unsure"  # "Keine Ahnung" (language question): the buttons, without reproach
SILENT = "silent"  # a confirmation question is open; ask nothing

MAX_MISSES = 3


@dataclass
class QuizState:
    """Per open question: failed attempts so far and what to ask next."""

    slot: Optional[str] = None
    misses: int = 0
    prompt: str = ASK
    candidates: List[str] = field(default_factory=list)
    # Asked again after "Zurück": the question has an answer already, which stays until
    # a new one replaces it (the form would skip an answered question, so it is named).
    back: bool = False

    @classmethod
    def from_slot(cls, value: Any, slot: Optional[str]) -> "QuizState":
        """The state stored in the `quiz_state` slot, fresh when it belongs to another question."""
        if not isinstance(value, dict) or value.get("slot") != slot:
            return cls(slot=slot)
        candidates = value.get("candidates") or []
        return cls(
            slot=slot,
            misses=int(value.get("misses") or 0),
            prompt=str(value.get("prompt") or ASK),
            candidates=[str(c) for c in candidates if isinstance(c, str)][:2],
            back=bool(value.get("back")),
        )

    def as_slot(self) -> Dict[str, Any]:
        """The value for the `quiz_state` slot."""
        return {
            "slot": self.slot,
            "misses": self.misses,
            "prompt": self.prompt,
            "candidates": list(self.candidates),
            "back": self.back,
        }


# Turn kinds (see `classify_turn`).
ANSWER = "answer"
OTHER_ANSWER = "other_answer"
AMBIGUOUS = "ambiguous"
DIGRESSION = "digression"
CONTROL = "control"
RESUME = "resume"
UNKNOWN_QUESTION = "unknown_question"
MISS = "miss"


def is_control_intent(intent: Optional[str]) -> bool:
    """Restart, goodbye, feedback, "Warum?": intents a rule handles inside the quiz
    (generated from data/rules into career_quiz/dialogue.yml, see career_quiz/dialogue.py).
    """
    return intent in dialogue.action_server_data().control_intents


def is_digression_intent(intent: Optional[str]) -> bool:
    """FAQ topics and small talk: intents with a reply of their own inside the quiz
    (generated from the domain into career_quiz/dialogue.yml).
    """
    return intent in dialogue.action_server_data().in_quiz_replies


def digression_response(intent: str) -> str:
    """The response that answers a digression intent inside the quiz."""
    return dialogue.action_server_data().in_quiz_replies[intent]


def classify_turn(
    intent: Optional[str],
    answered: bool,
    other_answers: bool,
    candidates: bool,
    asks: bool,
) -> str:
    """What one user message is while a quiz question is open.

    Args:
        intent: the intent classifier's top intent.
        answered: the parser stored an answer to the open question.
        other_answers: the parser stored answers to other questions only.
        candidates: the parser found two work preferences that fit equally.
        asks: part of the message is in question form.
    """
    if answered:
        return ANSWER
    if candidates:
        return AMBIGUOUS
    if other_answers:
        return OTHER_ANSWER
    if is_control_intent(intent):
        return CONTROL
    if intent in RESUME_INTENTS:
        return RESUME
    if asks:
        return DIGRESSION if is_digression_intent(intent) else UNKNOWN_QUESTION
    if is_digression_intent(intent) and intent != CATCH_ALL_INTENT:
        # "Danke", "Hallo", or an FAQ topic named alone: answered, then the question again.
        return DIGRESSION
    return MISS


def after_miss(state: QuizState) -> QuizState:
    """The state after an answer that could not be placed."""
    misses = state.misses + 1
    prompt = WRONG if misses == 1 else CHOICE
    return QuizState(state.slot, misses, prompt, [], state.back)


# What the form's validation does with a message (`Decision.outcome`).
KEEP = "keep"  # the answers stand; the form goes on (the question's state is cleared)
REASK = "reask"  # no new user message (back from a digression): the question again
STILL_OPEN = "still_open"  # no answer to the open question: the question again, as `state` says
SKIP = "skip"  # the third miss: the question is stored as skipped
GO_BACK = "go_back"  # "Zurück": the previous question (or `target`) again
TO_RULES = "to_rules"  # a control intent: the form rejects, a rule answers
FOLLOWUP = "followup"  # the action `target` runs next
# What the restart action does (`decide_restart`).
RESTART = "restart"  # everything is forgotten, the quiz starts again
CONFIRM = "confirm"  # the restart question is asked first; nothing is lost yet

RESET_ACTION = "action_reset_quiz"
GO_BACK_ACTION = "action_go_back"
LISTEN_ACTION = "action_listen"


@dataclass(frozen=True)
class Message:
    """What the form's validation knows about one user message (all plain values).

    Args:
        intent: the intent classifier's top intent.
        new: the bot has not replied to the message yet (False when the form runs again
            after a digression or a confirmation).
        slots_set: the parser set a quiz slot, valid or not.
        answered: the parser set a valid answer to the open question.
        other_answers: the parser set answers to other questions.
        candidates: two work preferences that fit equally.
        asks: part of the message is in question form.
        go_back, go_back_to: "Zurück" (to the question named).
        english: the message is in English.
        dont_know: "Keine Ahnung".
        keeps: at a question reopened by "Zurück", the message keeps its earlier answer
            ("nein alles gut, weiter").
        worded: the message has words, not only emoji or signs ("🙂" where an answer is
            due is no thanks to answer but an answer that cannot be placed).
    """

    intent: Optional[str] = None
    new: bool = True
    slots_set: bool = False
    answered: bool = False
    other_answers: bool = False
    candidates: Tuple[str, ...] = ()
    asks: bool = False
    go_back: bool = False
    go_back_to: Optional[str] = None
    english: bool = False
    dont_know: bool = False
    keeps: bool = False
    worded: bool = True


@dataclass(frozen=True)
class Decision:
    """What the bot does with one message: say `responses`, then the `outcome`.

    `state` is the open question's new state (None clears it); `target` names the
    question to go back to or the action to run next.
    """

    outcome: str
    state: Optional[QuizState] = None
    responses: Tuple[str, ...] = ()
    target: Optional[str] = None


def decide(slot: str, state: QuizState, message: Message) -> Decision:
    """The form's decision for one message while the question `slot` is open."""
    state = replace(state, candidates=list(state.candidates))  # the caller's stays as it is
    if not message.new:
        # Back from a digression or a confirmation: the question again (unless a
        # confirmation question is still open).
        if state.prompt != SILENT:
            state.prompt = ASK
        return Decision(REASK, state)
    if not message.slots_set and (message.go_back or message.intent == GO_BACK_INTENT):
        # "Zurück": the previous question again, the other answers stay.
        return Decision(GO_BACK, target=message.go_back_to)
    if not message.slots_set and message.keeps and state.back:
        return Decision(KEEP)  # the earlier answer stays; the form goes on
    if not message.slots_set and message.english:
        state.prompt = ASK
        return Decision(STILL_OPEN, state, ("utter_english_notice",))
    if is_control_intent(message.intent) and not message.slots_set and not message.candidates:
        # The rules restart, say goodbye or explain. Two kinds of work named alike
        # ("Projekte planen klingt cool, aber Leuten helfen auch. Beides gleich gern",
        # read as praise, visit8 #6) are an answer: the form asks which one.
        return Decision(TO_RULES)
    kind = classify_turn(
        message.intent,
        answered=message.answered,
        other_answers=message.other_answers,
        candidates=bool(message.candidates),
        asks=message.asks,
    )
    responses: Tuple[str, ...] = ()
    if kind == ANSWER:
        return Decision(KEEP)
    if kind in (OTHER_ANSWER, RESUME):
        state.prompt = ASK
    elif kind == AMBIGUOUS:
        state.prompt, state.candidates = CLARIFY, list(message.candidates)
    elif message.dont_know and slot == SLOT_LANGUAGES:
        # "Keine Ahnung" at the language question: not "no languages"; the buttons. A
        # question beside it is answered first ("Ich weiß nicht, welches Niveau ich
        # angeben soll. Was bedeutet C1?").
        if kind == DIGRESSION and message.asks:
            responses = (digression_response(message.intent or ""),)
        state = after_miss(state)
        state.prompt = UNSURE
    elif state.prompt == SILENT and message.intent == AFFIRM_INTENT:
        # "Ja" to "Möchten Sie wirklich neu beginnen?"
        return Decision(FOLLOWUP, state, target=RESET_ACTION)
    elif kind in (DIGRESSION, UNKNOWN_QUESTION):
        if kind == DIGRESSION:
            responses = (digression_response(message.intent or ""),)
        else:
            responses = ("utter_question_not_understood",)
        if message.asks or (message.intent in SOCIAL_INTENTS and message.worded):
            state.prompt = ASK  # a question, a greeting or thanks is no failed answer
        else:
            state = after_miss(state)  # a topic named alone answers nothing
    else:
        state = after_miss(state)
    if state.misses >= MAX_MISSES:
        return Decision(SKIP, None, responses + ("utter_skipped_automatically",))
    return Decision(STILL_OPEN, state, responses)


def decide_restart(
    state: QuizState,
    message: Message,
    in_quiz: bool,
    clear_request: bool,
    has_answers: bool,
) -> Decision:
    """What a restart request does ("Neu starten", or a message taken for one).

    Nothing is lost on a guess: a typed message that the classifier took for a restart
    first gets the restart question, unless it is a clear request (`clear_request`: a
    button or "Neu starten"), the "Ja" to that question, or there is nothing to lose.
    Outside the quiz the bot then waits for the reply; inside it the form stays active
    and runs again without asking, so the reply reaches the parser.
    """
    if not in_quiz and message.go_back:
        return Decision(FOLLOWUP, target=GO_BACK_ACTION)  # "Zurück" taken for a restart
    confirmed = state.prompt == SILENT and message.intent == AFFIRM_INTENT
    if confirmed or clear_request or not has_answers:
        return Decision(RESTART, responses=("utter_start_over",))
    asked = ("utter_confirm_start_over",)
    if not in_quiz:
        return Decision(CONFIRM, QuizState(slot=None, prompt=SILENT), asked, LISTEN_ACTION)
    silent = replace(state, prompt=SILENT, candidates=list(state.candidates))
    return Decision(CONFIRM, silent, asked)


def answers_beside_question(turn: Any, message_id: str) -> bool:
    """True when the message a side question outside the quiz came in also changed quiz
    answers (the answer extraction left its "Notiert: …" line in `turn`, the quiz_turn
    slot, for this message): the quiz then takes them up after the answer to the
    question. Before the quiz, "Ich bin Bankkauffrau – brauche ich dafür ein Studium?"
    starts it at the next question; after the result, an addition or correction
    ("ach, und einen Master habe ich auch, ändert das was?") updates the result.
    """
    return bool((turn_of(turn, message_id) or {}).get("note"))


def turn_of(turn: Any, message_id: str) -> Optional[Dict[str, Any]]:
    """The quiz_turn slot's value when it belongs to the message `message_id`, else None
    (an earlier message's note and reply are said no more).
    """
    return turn if isinstance(turn, dict) and turn.get("message") == message_id else None


# The payload of the "Quiz starten" button.
START_PAYLOAD = "/start_quiz"


def offered_quiz(events: Sequence[Dict[str, Any]]) -> bool:
    """True when the bot's replies to the message before the latest one offered to start
    the quiz (a "Quiz starten" button): a "ja" to them means start ("Soll ich Ihnen die
    fehlenden Fragen stellen?" after a job ad, "Genau das finden wir mit dem Quiz
    heraus" after "Passt so ein Bürojob zu mir?").

    `events` are the conversation's events (tracker events as dicts), oldest first.
    """
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return False
    start = users[-2] + 1 if len(users) > 1 else 0
    return any(
        button.get("payload") == START_PAYLOAD
        for event in events[start : users[-1]]
        if event.get("event") == "bot"
        for button in (event.get("data") or {}).get("buttons") or []
        if isinstance(button, dict)
    )


# "Meine Daten löschen" and its confirmation: never a quiz answer ("Daten" is no work
# preference), whatever question is open.
PRIVACY_INTENTS = frozenset({"erase_data", "erase_data_confirm", "erase_data_cancel"})


# -- answers held before the quiz -------------------------------------------------
# The intents that start the quiz ("Quiz starten", typed or as the button).
START_INTENTS = frozenset({"start_quiz"})
QUESTION_TOPIC_PREFIX = "faq_"
# Questions the quiz itself answers ("…, was passt zu mir?"): their answers start it.
QUIZ_QUESTION_INTENTS = frozenset({"ask_fit"})


def holds_answers(
    requested: Optional[str],
    has_result: bool,
    payload: bool,
    intent: Optional[str],
) -> bool:
    """True when the answers a message gives are held rather than stored: before the
    quiz, in a message whose question topic gets its answer ("Ich bin Altenpflegerin –
    was verdient man als Bürokauffrau?"). The question is answered, the quiz offered; the
    visitor decides whether it starts, and it then takes the held answers
    (`released_answers`). An answer alone ("Bankkauffrau") still starts the quiz.
    """
    if requested is not None or has_result or payload or intent in QUIZ_QUESTION_INTENTS:
        return False
    # Only where the question is answered as one (its rule then offers the quiz): with
    # an answer intent the quiz starts at once and takes the values ("Ich bin 58,
    # Industriekaufmann … Lohnt sich ein Wechsel?" lost its training, visit7).
    return str(intent or "").startswith(QUESTION_TOPIC_PREFIX) or intent in (
        CATCH_ALL_INTENT,
        ENGLISH_INTENT,
    )


def held_for(held: Any, message_id: str) -> Optional[Dict[str, Any]]:
    """The held answers (the `held_answers` slot's value) when the message
    `message_id` gave them, else None.
    """
    return held if isinstance(held, dict) and held.get("message") == message_id else None


def released_answers(
    held: Any,
    requested: Optional[str],
    has_result: bool,
    starting: bool,
    updates: Dict[str, Any],
) -> Dict[str, Any]:
    """The held answers the quiz takes now: when it starts (`starting`: "Quiz
    starten", a "ja" to the offer) or when another answer outside the quiz starts it
    (`updates`); what the new message says wins. {} while nothing starts the quiz.
    """
    values = held_values(held)
    if not values or requested is not None or has_result or not (starting or updates):
        return {}
    return {slot: value for slot, value in values.items() if slot not in updates}


def held_values(held: Any) -> Dict[str, Any]:
    """The quiz answers in a `held_answers` value, each checked against the slot
    contract (career_quiz/contract.py); anything else is dropped.
    """
    values = held.get("values") if isinstance(held, dict) else None
    if not isinstance(values, dict):
        return {}
    checked = {slot: CLEANERS[slot](value) for slot, value in values.items() if slot in CLEANERS}
    return {slot: value for slot, value in checked.items() if value is not None}
