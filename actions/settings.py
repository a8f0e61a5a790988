"""All environment variables the action server reads, in one place.

Values are read when a function is called, never at import time, so tests can
change the environment per test.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'quiz.db'}"
DEFAULT_SPACY_MODEL = str(PROJECT_ROOT / "models" / "spacy" / "de_backoffice")
KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


def database_url() -> str:
    """URL of the results database (SQLite file under var/ unless QUIZ_DATABASE_URL is set)."""
    return os.environ.get("QUIZ_DATABASE_URL") or DEFAULT_DATABASE_URL


def spacy_model() -> str:
    """Path or package name of the spaCy pipeline the answer parser uses."""
    return os.environ.get("QUIZ_SPACY_MODEL") or DEFAULT_SPACY_MODEL


def knowledge_dir() -> Path:
    """Folder with rubric.yml and lexicon.yml."""
    return Path(os.environ.get("QUIZ_KNOWLEDGE_DIR") or KNOWLEDGE_DIR)


def hash_salt() -> str:
    """Salt mixed into the conversation-id hash; set it in production."""
    return os.environ.get("QUIZ_HASH_SALT", "")
