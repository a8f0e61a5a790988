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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from career_quiz import dialogue

# Intents that take the user back to the open question ("Nein, weitermachen").
RESUME_INTENTS = frozenset({"continue_quiz"})
# The classifier's catch-all ("Blumenkohl"): answered only when asked as a question;
# on its own it is an answer that could not be placed.
CATCH_ALL_INTENT = "out_of_scope"

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
    (derived from data/rules, see career_quiz/dialogue.py).
    """
    return intent in dialogue.control_intents()


def is_digression_intent(intent: Optional[str]) -> bool:
    """FAQ topics and small talk: intents with a reply of their own inside the quiz
    (derived from the domain, see career_quiz/dialogue.py).
    """
    return intent in dialogue.in_quiz_replies()


def digression_response(intent: str) -> str:
    """The response that answers a digression intent inside the quiz."""
    return dialogue.in_quiz_replies()[intent]


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
