"""The compact summary of a conversation: answers as understood, recommendation, next step.

Plain Python (no rasa_sdk). Asked for with "Können Sie das kurz zusammenfassen?" or
"Welche Variante hatten Sie mir vorhin empfohlen?", before, during or after the quiz,
also after a page reload (the slots live in the tracker, not in the page). The pieces
are the labels of the stored values (data/knowledge/labels.yml), the trainings by the
titles the visitor typed where the result's details name them, and the recommender's
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


def _training(values: Sequence[str], titles: Sequence[str] = ()) -> str:
    """The trainings as the visitor named them ("Bankkauffrau"), the category's label
    for a value no title names ("Studium").
    """
    if not values:
        return "keine Angabe"
    names = labels()["training"]
    named = {str(t): advice.title_category(str(t)) for t in titles}
    items = [t for t, category in named.items() if category in values]
    covered = {category for category in named.values() if category in values}
    items += [names.get(v, v) for v in values if v not in covered]
    return ", ".join(items)


def _languages(values: Sequence[str]) -> str:
    return ", ".join(language_items(values)) if values else "keine Fremdsprachen"


def _task(value: Optional[str]) -> str:
    return labels()["task"].get(value or "unsure", str(value))


def describe_answers(
    answers: Dict[str, Any],
    skipped: Optional[Sequence[str]] = None,
    titles: Sequence[str] = (),
) -> List[str]:
    """One "Frage: Wert" item per answered question, in quiz order; the trainings by the
    `titles` the visitor used where they name them (visitor finding: "Ausbildung bei
    Bank oder Versicherung" for a Bankkauffrau).
    """
    skipped = list(skipped or [])
    items = []
    for slot in QUIZ_SLOTS:
        value = answers.get(slot)
        if value is None:
            continue
        if slot in skipped:
            text = "übersprungen"
        elif slot == SLOT_TRAINING:
            text = _training(value, titles)
        elif slot == SLOT_LANGUAGES:
            text = _languages(value)
        else:
            text = _task(value)
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
    # The titles of the result's details, while its answers are still the stored ones.
    same = isinstance(details, dict) and details.get("answers") == {
        slot: answers.get(slot) for slot in QUIZ_SLOTS
    }
    titles = [str(t) for t in (details or {}).get("training_titles") or []] if same else []
    items = describe_answers(answers, skipped, titles)
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
