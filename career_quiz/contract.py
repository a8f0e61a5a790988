"""The slot contract: which answers the quiz stores and their canonical values.

Everything else (parser, recommender, summary, actions, the domain's slots) speaks
this vocabulary; docs/contracts.md ("Slot contract") documents it for people.
"""

from __future__ import annotations

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
