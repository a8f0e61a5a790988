"""A quiz result: score the answers, render what the visitor reads, record it.

Plain Python (no rasa_sdk). action_recommend_variant and action_store_feedback
(actions/actions.py) read the slots, call `ResultService` and turn what it returns
into bot messages and slot events. `ResultRecord` is what the outbox queues and the
results repository writes (career_quiz/outbox.py, career_quiz/repository.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from career_quiz import advice
from career_quiz.recommender import Recommendation, Rubric, score
from career_quiz.repository import new_result_key, result_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResultRecord:
    """One quiz result of a hashed conversation, as the results database keeps it.

    `idempotency_key` names the result (career_quiz.repository.result_key): the same
    key written twice is one row; None gives the write a new random key.
    `created_at` None means now, when it is queued.
    """

    conversation_hash: str
    answers: Dict[str, Any]
    scores: Dict[str, int]
    variant: str
    rubric_version: str
    idempotency_key: Optional[str] = None
    created_at: Optional[datetime] = None


# --- service

# Feedback intents and what is stored for them.
FEEDBACK_BY_INTENT = {
    "feedback_positive": "helpful",
    "affirm": "helpful",
    "feedback_negative": "not_helpful",
    "deny": "not_helpful",
}
HELPFUL = "helpful"
# The feedback question with the result's buttons (domain/messages.yml): always last.
FEEDBACK_RESPONSE = "utter_result_actions"
# Criticism before any result ("Du bist echt nutzlos") gets an apology, not thanks.
CRITICISM = "feedback_negative"


def complete(answers: Dict[str, Any]) -> bool:
    """Every question has a valid answer (a value None: not answered or not valid)."""
    return all(value is not None for value in answers.values())


class ResultSink(Protocol):
    """Where results and feedback go (career_quiz/outbox.py's Outbox, or a fake)."""

    def submit_result(self, record: ResultRecord) -> str:
        """Stores or queues one result."""

    def submit_feedback(self, conversation_hash: str, feedback: str) -> str:
        """Stores or queues feedback for the conversation's latest result."""


@dataclass(frozen=True)
class Said:
    """One bot message: a text, or a domain response with the values it fills in."""

    text: Optional[str] = None
    response: Optional[str] = None
    values: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """What the visitor is told about their answers, and the scored result."""

    recommendation: Optional[Recommendation]
    messages: Tuple[Said, ...]


class ResultService:
    """Scores, renders and records quiz results with one rubric, sink and hasher.

    `hasher` turns a conversation id into its stored form (an HMAC, see
    career_quiz/repository.py); the id itself is never stored.
    """

    def __init__(self, rubric: Rubric, sink: ResultSink, hasher: Callable[[str], str]) -> None:
        """Binds the service to its collaborators (career_quiz/bootstrap.py builds them)."""
        self.rubric = rubric
        self.sink = sink
        self.hasher = hasher

    def recommend(
        self,
        answers: Dict[str, Any],
        details: Dict[str, Any],
        previous: Optional[str] = None,
        previous_answers: Optional[Dict[str, Any]] = None,
        previous_details: Optional[Dict[str, Any]] = None,
        ask_feedback: bool = True,
    ) -> Result:
        """The result for canonical `answers` (a value None: not answered).

        `previous` is the variant recommended before, `previous_answers` the answers it
        was based on: a correction that keeps the variant gets one line, one that changes
        it names what changed. `previous_details` (the previous `answer_details`) tell
        whether the specialist field changed: then the result is shown again with the
        new field and its next steps. `ask_feedback` False leaves out the feedback
        question and its buttons: another message about this result follows (the
        comparison with a job ad on file), and the question comes last, after it.
        """
        if not complete(answers):
            return Result(None, (Said(response="utter_quiz_missing_answers"),))
        recommendation = score(answers, self.rubric)
        messages: List[Said] = []
        profile = advice.Profile.build(answers, details)
        old_field = advice.field_changed(previous, previous_details, recommendation, profile)
        if old_field is not None:
            text = advice.render_result(
                recommendation, profile, previous, rub=self.rubric, old_field=old_field
            )
            messages.append(Said(text=text))
        elif previous == recommendation.variant and len(advice.tied(recommendation.scores)) < 2:
            # A correction that keeps the variant: one line, not the whole text again.
            # A tie is said again as a tie (the heading), never as one variant kept.
            values = {
                "title": self.rubric.title(previous),
                "score": recommendation.scores[previous],
            }
            messages.append(Said(response="utter_recommendation_kept", values=values))
        else:
            changed = advice.changed_parts(previous_answers, answers)
            text = advice.render_result(recommendation, profile, previous, changed, self.rubric)
            messages.append(Said(text=text))
            # The three totals as one line: text for rasa shell, bars in the web widget.
            messages.append(Said(text=advice.render_scores(recommendation, self.rubric)))
        if ask_feedback:
            messages.append(Said(response=FEEDBACK_RESPONSE))
        return Result(recommendation, tuple(messages))

    def record(
        self,
        conversation_id: str,
        answers: Dict[str, Any],
        recommendation: Recommendation,
        stamp: Optional[str] = None,
    ) -> bool:
        """Stores the result, or queues it for a retry; False when neither worked.

        `stamp` names the user message the result belongs to (outbox.result_stamp): a
        result recorded twice for the same message is one row. Without it every call
        is a new row.
        """
        try:
            conversation_hash = self.hasher(conversation_id)
            key = result_key(conversation_hash, stamp) if stamp else new_result_key()
            self.sink.submit_result(
                ResultRecord(
                    conversation_hash,
                    answers,
                    recommendation.scores,
                    recommendation.variant,
                    recommendation.rubric_version,
                    idempotency_key=key,
                )
            )
        except Exception:
            # The visitor still gets the result; this is a bug or a broken disk.
            logger.critical("Quiz result neither stored nor queued", exc_info=True)
            return False
        return True

    def feedback(self, conversation_id: str, intent: Optional[str], has_result: bool) -> Said:
        """Records whether the result helped (by the feedback intent); what to say."""
        feedback = FEEDBACK_BY_INTENT.get(intent or "")
        if intent == CRITICISM and not has_result:
            return Said(response="utter_feedback_negative_no_result")
        if feedback is None or not has_result:
            return Said(response="utter_feedback_no_result")
        try:
            # After any result of this conversation still queued in the outbox.
            self.sink.submit_feedback(self.hasher(conversation_id), feedback)
        except Exception:
            logger.critical("Feedback neither stored nor queued", exc_info=True)
        if feedback == HELPFUL:
            return Said(response="utter_feedback_thanks_positive")
        return Said(response="utter_feedback_thanks_negative")
