"""Every environment variable of every process, read in one place.

The action server (actions, rasa_sdk_plugins), the Rasa server's extensions
(rasa_addons), the page server (web/server.py) and the CLI all ask this module; no other
module of the product reads `os.environ` (tests/unit/test_settings.py checks that).
There is one reader for on/off switches (`_flag`) and one for numbers (`_number`), so
"0/false/no/off" and a malformed number mean the same everywhere.

Values are read when a function is called, never at import time, so tests can change
the environment per test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Optional, TypeVar
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'quiz.db'}"
DEFAULT_SPACY_MODEL = str(PROJECT_ROOT / "models" / "spacy" / "de_backoffice")
KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
DEFAULT_RETENTION_DAYS = 90
DEFAULT_ACTION_TIMEOUT_S = 5.0
DEFAULT_LOCK_POLL_SECONDS = 0.02
DEFAULT_RASA_PORT = 5005
DEFAULT_WEB_PORT = 8080

OFF_WORDS = frozenset({"0", "false", "no", "off"})
ON_WORDS = frozenset({"1", "true", "yes", "on"})

Number = TypeVar("Number", int, float)
_ENV_VAR = re.compile(r"\$\{([^}]+)\}")


# -- the readers ------------------------------------------------------------------


def _text(name: str, default: str = "") -> str:
    """The variable's value without surrounding blanks; `default` when unset or blank."""
    return os.environ.get(name, "").strip() or default


def _flag(name: str, default: bool) -> bool:
    """An on/off switch: "0", "false", "no", "off" turn it off, "1", "true", "yes", "on"
    turn it on (any case); unset or anything else keeps `default`.
    """
    return parse_flag(os.environ.get(name), default)


def parse_flag(value: object, default: bool) -> bool:
    """The switch value of `value` (a string or a bool) as `_flag` reads it."""
    if isinstance(value, bool):
        return value
    word = str(value if value is not None else "").strip().lower()
    if word in OFF_WORDS:
        return False
    if word in ON_WORDS:
        return True
    return default


def _number(
    name: str,
    default: Number,
    cast: Callable[[str], Number],
    minimum: Optional[Number] = None,
    positive: bool = False,
) -> Number:
    """A number: `default` when unset, malformed or (with `positive`) not above zero;
    raised to `minimum` when below it.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = cast(raw)
    except ValueError:
        return default
    if value != value or (positive and value <= 0):  # NaN, or not positive
        return default
    return max(minimum, value) if minimum is not None else value


# -- results, outbox, privacy -------------------------------------------------------


def database_url() -> str:
    """URL of the results database (SQLite file under var/ unless QUIZ_DATABASE_URL is set)."""
    return _text("QUIZ_DATABASE_URL", DEFAULT_DATABASE_URL)


def outbox_path() -> Path:
    """Local SQLite outbox for results that could not be written yet (career_quiz/outbox.py)."""
    return Path(_text("QUIZ_OUTBOX_PATH") or PROJECT_ROOT / "var" / "outbox.db")


def outbox_retry_seconds() -> float:
    """Seconds between the outbox's delivery attempts while results are pending
    (QUIZ_OUTBOX_RETRY_SECONDS, default 5, at least 0.1).
    """
    return _number("QUIZ_OUTBOX_RETRY_SECONDS", 5.0, float, minimum=0.1)


def retention_days() -> int:
    """Days conversations, results and outbox entries are kept before
    `python -m career_quiz.cli purge` deletes them (QUIZ_RETENTION_DAYS, default 90;
    domain/quiz.yml's greeting and domain/faq.yml's privacy answer name the default).
    """
    return _number("QUIZ_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, int, minimum=1)


def salt_file() -> Path:
    """Where the generated hash salt is kept when QUIZ_HASH_SALT is unset."""
    return Path(_text("QUIZ_HASH_SALT_FILE") or PROJECT_ROOT / "var" / "hash_salt")


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


def endpoints_file() -> Path:
    """The Rasa server's endpoints file (RASA_ENDPOINTS, as scripts/serve.sh exports it;
    relative paths from the repository root). The action server reads the tracker and
    lock stores from it for "Meine Daten löschen" (career_quiz/erasure.py).
    """
    path = Path(_text("RASA_ENDPOINTS", "endpoints.yml"))
    return path if path.is_absolute() else PROJECT_ROOT / path


def expand_variables(value: str) -> str:
    """`value` with every ${VAR} replaced by that variable ("" when unset), as Rasa
    expands its endpoint files (career_quiz/erasure.py reads endpoints.yml).
    """
    return _ENV_VAR.sub(lambda m: os.environ.get(m.group(1), ""), value)


def tracker_db_url() -> str:
    """SQLAlchemy URL of the tracker store's database: QUIZ_TRACKER_DB_URL when set, else
    "" (then career_quiz/erasure.py derives it from `endpoints_file()`).
    """
    return _text("QUIZ_TRACKER_DB_URL")


# -- the answer parser and the dialogue ------------------------------------------------


def restart_new_session() -> bool:
    """Whether "Neu starten" and a new quiz after a result start a new Rasa session
    (QUIZ_RESTART_NEW_SESSION, default on).
    """
    return _flag("QUIZ_RESTART_NEW_SESSION", True)


def spacy_model() -> str:
    """Path or package name of the spaCy pipeline the answer parser uses."""
    return _text("QUIZ_SPACY_MODEL", DEFAULT_SPACY_MODEL)


def knowledge_dir() -> Path:
    """The folder of the knowledge files (rubric, lexicon, texts, labels, ...;
    QUIZ_KNOWLEDGE_DIR, default data/knowledge).
    """
    return Path(_text("QUIZ_KNOWLEDGE_DIR") or KNOWLEDGE_DIR)


# -- the action server (rasa_sdk_plugins) ------------------------------------------------


def action_token() -> str:
    """The shared secret every action call must carry (QUIZ_ACTION_TOKEN; "" when unset,
    and then the action server refuses every call).
    """
    return os.environ.get("QUIZ_ACTION_TOKEN", "")


# -- the Rasa server (rasa_addons) ------------------------------------------------------


def action_timeout() -> float:
    """Seconds one custom-action call may take (QUIZ_ACTION_TIMEOUT, default 5)."""
    return _number("QUIZ_ACTION_TIMEOUT", DEFAULT_ACTION_TIMEOUT_S, float, positive=True)


def response_validation_cache() -> bool:
    """Whether the cached validation of action-server responses may be used where
    endpoints.yml asks for it (QUIZ_RASA_SPEEDUPS, default on).
    """
    return _flag("QUIZ_RASA_SPEEDUPS", True)


def lock_poll_seconds() -> float:
    """How often a message waiting for its conversation's lock looks again
    (QUIZ_LOCK_POLL_SECONDS, default 0.02 s; the endpoint's `poll_seconds` wins).
    """
    return _number("QUIZ_LOCK_POLL_SECONDS", DEFAULT_LOCK_POLL_SECONDS, float, positive=True)


def check_origin(value: str, what: str = "web origin") -> str:
    """`value` as an origin, scheme://host[:port] with http or https (no path, query,
    fragment or wildcard; a final "/" is dropped). Raises ValueError naming `what`
    otherwise. The socket.io channel's WEB_ORIGINS and the page server's socket URL are
    checked with it.
    """
    origin = value.strip().rstrip("/")
    parts = urlsplit(origin)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.path
        or parts.query
        or parts.fragment
        or "*" in origin
    ):
        raise ValueError(
            f"Invalid {what} {origin!r}: use http(s)://host[:port], e.g. "
            "http://localhost:8080 (no path, no wildcard)."
        )
    return origin


def web_origins() -> str:
    """WEB_ORIGINS as set (comma-separated origins the socket.io channel accepts), "" when
    unset; rasa_addons/socketio_channel.py validates it.
    """
    return _text("WEB_ORIGINS")


# -- the page server (web/server.py) ------------------------------------------------------


def web_interface() -> str:
    """The page server's address (WEB_INTERFACE, default 127.0.0.1)."""
    return _text("WEB_INTERFACE", "127.0.0.1")


def web_port() -> int:
    """The page server's port (WEB_PORT, default 8080)."""
    return _number("WEB_PORT", DEFAULT_WEB_PORT, int, minimum=0)


def web_socket_url() -> str:
    """The socket URL the page connects to: WEB_SOCKET_URL, else the Rasa server's
    address from RASA_INTERFACE and RASA_PORT (a wildcard interface becomes 127.0.0.1).
    """
    explicit = _text("WEB_SOCKET_URL")
    if explicit:
        return explicit
    host = _text("RASA_INTERFACE", "127.0.0.1")
    if host in ("0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{_number('RASA_PORT', DEFAULT_RASA_PORT, int, minimum=1)}"


def insights_token() -> str:
    """The insights page's token (INSIGHTS_TOKEN; "" when unset, then the page server
    generates one at start).
    """
    return _text("INSIGHTS_TOKEN")
