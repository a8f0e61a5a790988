"""The slot contract: which answers the quiz stores and their canonical values.

Everything else (parser, recommender, summary, actions, the domain's slots) speaks
this vocabulary; docs/contracts.md ("Slot contract") documents it for people.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, List, Optional, Sequence

SLOT_TRAINING = "training"
SLOT_LANGUAGES = "languages"
SLOT_TASK = "task_preference"
QUIZ_SLOTS = (SLOT_TRAINING, SLOT_LANGUAGES, SLOT_TASK)

TRAINING_VALUES = (
    "office",
    "bank_insurance",
    "finance_hr_it",
    "commercial_other",
    "degree",
    "other",
    "none",
)
# Language levels from weakest to strongest; a stored language is "<code>:<level>".
LEVELS = ("basic", "good", "fluent", "business", "native")
TASK_VALUES = ("assistance", "specialist", "projects", "unsure")
# German itself is never stored as a foreign language.
GERMAN = "de"

# The job-ad check (career_quiz/job_ad.py, domain/job_ad.yml).
SLOT_AD_VARIANT = "ad_variant"
SLOT_AD_REQUIREMENTS = "ad_requirements"
SLOT_AD_FIT = "ad_fit"
AD_SLOTS = (SLOT_AD_VARIANT, SLOT_AD_REQUIREMENTS, SLOT_AD_FIT)
AD_VARIANTS = ("secretarial", "specialist", "project_management")
# Keys of the `ad_requirements` object.
AD_REQUIREMENT_KEYS = ("training", "degree_required", "languages")
AD_FIT_VALUES = ("fits", "partly", "does_not_fit")

# A stored language entry: "<ISO 639-1 code>:<level>".
LANGUAGE_ENTRY = re.compile(rf"([a-z]{{2}}):({'|'.join(LEVELS)})")


def in_order(values: Iterable[str], order: Sequence[str]) -> List[str]:
    """The values that occur in `order`, in that order, each once."""
    present = set(values)
    return [v for v in order if v in present]


# -- validation of slot values (defence against forged values) ------------


def clean_training(value: Any) -> Optional[List[str]]:
    """Canonical training list, or None when the value is not a list of known values."""
    if not isinstance(value, list) or not all(v in TRAINING_VALUES for v in value):
        return None
    return in_order(value, TRAINING_VALUES)


def clean_languages(value: Any) -> Optional[List[str]]:
    """Canonical language list, or None when an entry is malformed."""
    if not isinstance(value, list) or not all(
        isinstance(v, str) and LANGUAGE_ENTRY.fullmatch(v) for v in value
    ):
        return None
    return list(dict.fromkeys(value))


def clean_task(value: Any) -> Optional[str]:
    """Canonical task preference, or None."""
    return value if value in TASK_VALUES else None


# The check of each quiz slot's value, by slot name.
CLEANERS = {SLOT_TRAINING: clean_training, SLOT_LANGUAGES: clean_languages, SLOT_TASK: clean_task}
