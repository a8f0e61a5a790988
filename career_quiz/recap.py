"""The compact summary of a conversation: answers as understood, recommendation, next step.

Plain Python (no rasa_sdk). Asked for with "Können Sie das kurz zusammenfassen?" or
"Welche Variante hatten Sie mir vorhin empfohlen?", before, during or after the quiz,
also after a page reload (the slots live in the tracker, not in the page). The pieces
are the labels of the stored values (data/knowledge/labels.yml) and the recommender's
own score and next steps, so the summary says what the result said.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from career_quiz import advice
from career_quiz.contract import QUIZ_SLOTS, SLOT_LANGUAGES, SLOT_TASK, SLOT_TRAINING
from career_quiz.messages import labels
from career_quiz.recommender import rubric, score
from career_quiz.summary import language_items

# Which response carries the summary (domain/recap.yml).
FULL = "utter_recap"  # all three answers and the recommendation
PARTIAL = "utter_recap_partial"  # some answers, no result yet
EMPTY = "utter_recap_empty"  # nothing answered yet

_QUESTION_NAMES = {
    SLOT_TRAINING: "Ausbildung",
    SLOT_LANGUAGES: "Fremdsprachen",
    SLOT_TASK: "Arbeit",
}


@dataclass
class Recap:
    """The response to send and the values for its placeholders."""

    response: str
    values: Dict[str, Any]


def _training(values: Sequence[str]) -> str:
    names = labels()["training"]
    return ", ".join(names.get(v, v) for v in values) if values else "keine Angabe"


def _languages(values: Sequence[str]) -> str:
    return ", ".join(language_items(values)) if values else "keine Fremdsprachen"


def _task(value: Optional[str]) -> str:
    return labels()["task"].get(value or "unsure", str(value))


def describe_answers(answers: Dict[str, Any], skipped: Optional[Sequence[str]] = None) -> List[str]:
    """One "Frage: Wert" item per answered question, in quiz order."""
    skipped = list(skipped or [])
    render = {SLOT_TRAINING: _training, SLOT_LANGUAGES: _languages, SLOT_TASK: _task}
    items = []
    for slot in QUIZ_SLOTS:
        value = answers.get(slot)
        if value is None:
            continue
        text = "übersprungen" if slot in skipped else render[slot](value)
        items.append(f"{_QUESTION_NAMES[slot]}: {text}")
    return items


def build_recap(
    answers: Dict[str, Any],
    recommended: Optional[str],
    scores: Optional[Dict[str, Any]] = None,
    skipped: Optional[Sequence[str]] = None,
    details: Optional[Dict[str, Any]] = None,
) -> Recap:
    """The summary for the answers stored so far and the recommendation, if any.

    `recommended` and `scores` are the result the visitor saw (the slots
    action_recommend_variant set); without stored scores the answers are scored again.
    `details` (the `answer_details` slot) lets the next step be the one the result named.
    """
    items = describe_answers(answers, skipped)
    if not items:
        return Recap(EMPTY, {})
    complete = all(answers.get(slot) is not None for slot in QUIZ_SLOTS)
    if not (complete and recommended):
        return Recap(PARTIAL, {"answers": "; ".join(items)})
    # The result's totals as stored; what is missing there (older slots) scored again.
    fresh = score(answers).scores
    stored = {v: p for v, p in (scores or {}).items() if v in fresh and isinstance(p, int)}
    table = {**fresh, **stored} if recommended in stored else dict(fresh)
    points = table.get(recommended, 0)
    steps = [s.text for s in advice.steps(recommended, advice.Profile.build(answers, details))]
    return Recap(
        FULL,
        {
            "answers": "; ".join(items),
            "title": rubric().title(recommended),
            "score": points,
            # A tie is said as the result said it ("zwei Varianten gleichauf, …").
            "recommendation": advice.recommendation_words(recommended, table),
            "next_step": steps[0] if steps else "",
        },
    )
