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


def outbox_path() -> Path:
    """Local SQLite outbox for results that could not be written yet (career_quiz/outbox.py)."""
    return Path(os.environ.get("QUIZ_OUTBOX_PATH") or PROJECT_ROOT / "var" / "outbox.db")


def outbox_retry_seconds() -> float:
    """Seconds between the outbox's delivery attempts while results are pending."""
    try:
        return max(0.1, float(os.environ.get("QUIZ_OUTBOX_RETRY_SECONDS") or 5))
    except ValueError:
        return 5.0


def restart_new_session() -> bool:
    """Whether "Neu starten" and a new quiz after a result start a new Rasa session
    (QUIZ_RESTART_NEW_SESSION, default on; "0", "false", "no" or "off" turn it off).
    """
    value = os.environ.get("QUIZ_RESTART_NEW_SESSION", "").strip().lower()
    return value not in ("0", "false", "no", "off")


def spacy_model() -> str:
    """Path or package name of the spaCy pipeline the answer parser uses."""
    return os.environ.get("QUIZ_SPACY_MODEL") or DEFAULT_SPACY_MODEL


def knowledge_dir() -> Path:
    """Folder with rubric.yml and lexicon.yml."""
    return Path(os.environ.get("QUIZ_KNOWLEDGE_DIR") or KNOWLEDGE_DIR)


def salt_file() -> Path:
    """Where the generated hash salt is kept when QUIZ_HASH_SALT is unset."""
    return Path(os.environ.get("QUIZ_HASH_SALT_FILE") or PROJECT_ROOT / "var" / "hash_salt")


def hash_salt() -> str:
    """Secret mixed into the conversation-id hash (HMAC), so that a known conversation
    id cannot be looked up in the results.

    QUIZ_HASH_SALT when set; otherwise the salt kept in `salt_file()`, generated on
    first use (random, 32 bytes, file mode 0600). Every process of one installation
    reads the same file, so their hashes agree; whoever creates it first wins.
    """
    configured = os.environ.get("QUIZ_HASH_SALT", "")
    if configured:
        return configured
    path = salt_file()
    try:
        return path.read_text(encoding="utf-8").strip() or _new_salt(path)
    except FileNotFoundError:
        return _new_salt(path)


def _new_salt(path: Path) -> str:
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(salt + "\n")
    try:
        os.link(tmp, path)  # atomic: fails when another process was first
    except FileExistsError:
        salt = path.read_text(encoding="utf-8").strip()
    finally:
        tmp.unlink()
    return salt


DEFAULT_RETENTION_DAYS = 90


def endpoints_file() -> Path:
    """The Rasa server's endpoints file (RASA_ENDPOINTS, as scripts/serve.sh exports it;
    relative paths from the repository root). The action server reads the tracker and
    lock stores from it for "Meine Daten löschen" (career_quiz/erasure.py).
    """
    path = Path(os.environ.get("RASA_ENDPOINTS") or "endpoints.yml")
    return path if path.is_absolute() else PROJECT_ROOT / path


def tracker_db_url() -> str:
    """SQLAlchemy URL of the tracker store's database: QUIZ_TRACKER_DB_URL when set, else
    "" (then career_quiz/erasure.py derives it from `endpoints_file()`).
    """
    return os.environ.get("QUIZ_TRACKER_DB_URL", "").strip()


def retention_days() -> int:
    """Days conversations, results and outbox entries are kept before
    `python -m career_quiz.cli purge` deletes them (QUIZ_RETENTION_DAYS, default 90;
    domain/quiz.yml's greeting and domain/faq.yml's privacy answer name the default).
    """
    try:
        return max(1, int(os.environ.get("QUIZ_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS))
    except ValueError:
        return DEFAULT_RETENTION_DAYS
