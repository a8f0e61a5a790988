r"""Checks for what a visitor sends, shared by the REST and socket.io channels.

Plain Python (no Rasa import), so the rules can be tested directly. Each channel
calls `check_message` before anything reaches Rasa's processor or tracker store:

* ids (REST `sender`, socket.io `session_id`) must match `SENDER_ID`, a whitelist
  of printable ASCII. Anything else (a lone surrogate, a NUL, 10,000 characters)
  would reach the tracker store's SQL and could make it fail.
* texts must be valid Unicode without control characters other than tab and line
  breaks. JSON can carry lone surrogates (`"\\udfff"`) that no database stores.
* texts over `MAX_MESSAGE_CHARS` are not passed on: the channel answers with a
  "please shorten" message, so the text is never stored. A job ad (a text with
  the structure of one, `career_quiz.job_ad.looks_like_ad`) may have up to
  `MAX_AD_CHARS` characters.
* "/intent{...}" texts bypass NLU in Rasa. Only intents of the domain that are
  not Rasa's built-in ones (`/restart` and `/session_start` would reset the
  conversation without a word) and only entities of the domain pass as such;
  every other text starting with "/" goes to NLU as plain words, and the bot
  answers it like any other message.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import AbstractSet, Any, Optional

from career_quiz.job_ad import MAX_AD_CHARS, looks_like_ad

SENDER_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
MAX_MESSAGE_CHARS = 2000
# Request bodies above this are refused by Sanic itself (SANIC_REQUEST_MAX_SIZE) and by
# engine.io. An ad of MAX_AD_CHARS characters must fit in any encoding a client may use:
# JSON with ASCII escapes writes a character outside the BMP as two "\uXXXX" escapes
# (12 bytes), so 6,000 characters take at most 72,000 bytes; 8,000 bytes are left for
# the envelope (sender, metadata).
MAX_BODY_BYTES = 80 * 1024
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}

OK = "ok"
BAD_SENDER = "bad_sender"
BAD_TEXT = "bad_text"
TOO_LONG = "too_long"


def valid_sender(value: Any) -> bool:
    """True for a string id of 1-128 characters from [A-Za-z0-9_.:-]."""
    return isinstance(value, str) and SENDER_ID.fullmatch(value) is not None


def valid_text(value: Any) -> bool:
    """True for a string that encodes as UTF-8 and has no control characters
    (tab, line feed and carriage return are allowed).
    """
    if not isinstance(value, str):
        return False
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and char not in _ALLOWED_CONTROLS):
            return False
    return True


_LEADING_SLASHES = re.compile(r"^[\s/]+")


def screen_payload(text: str, intents: AbstractSet[str], entities: AbstractSet[str]) -> str:
    """The text Rasa should see: a payload of allowed intent and entities as it is,
    any other text starting with "/" as words.

    Rasa strips the text (all Unicode whitespace) before it looks for a "/", so the
    check does too; for words, every leading slash and whitespace goes.
    """
    stripped = text.strip()
    if not stripped.startswith("/"):
        return text
    name, brace, rest = stripped[1:].partition("{")
    if name in intents:
        if not brace:
            return stripped
        try:
            data = json.loads(brace + rest)
        except (ValueError, RecursionError):  # deeply nested JSON exceeds the recursion limit
            data = None
        if isinstance(data, dict) and set(data) <= entities:
            return stripped
    return _LEADING_SLASHES.sub("", stripped)


@dataclass(frozen=True)
class Verdict:
    """What a channel does with one incoming message.

    `status` is OK (pass `text` on), BAD_SENDER or BAD_TEXT (refuse: HTTP 400 or
    an error event, nothing stored) or TOO_LONG (answer "please shorten" and pass
    nothing on).
    """

    status: str
    text: str = ""

    @property
    def ok(self) -> bool:
        """True when the message may go to Rasa."""
        return self.status == OK


def check_message(
    sender: Any,
    text: Any,
    intents: AbstractSet[str] = frozenset(),
    entities: AbstractSet[str] = frozenset(),
    max_chars: int = MAX_MESSAGE_CHARS,
) -> Verdict:
    """Checks one message; `text` None counts as an empty message."""
    if not valid_sender(sender):
        return Verdict(BAD_SENDER)
    if text is None:
        text = ""
    if not valid_text(text):
        return Verdict(BAD_TEXT)
    if len(text) > max_chars and not (len(text) <= MAX_AD_CHARS and looks_like_ad(text)):
        return Verdict(TOO_LONG)
    return Verdict(OK, screen_payload(text, intents, entities))


def clean_metadata(value: Any, depth: int = 4) -> Optional[dict]:
    """`value` when it is a JSON object whose keys and strings are all valid text
    (nested at most `depth` levels), else None: metadata is stored with the message.
    """

    def ok(item: Any, level: int) -> bool:
        if isinstance(item, str):
            return valid_text(item)
        if item is None or isinstance(item, (bool, int, float)):
            return True
        if level >= depth:
            return False
        if isinstance(item, list):
            return all(ok(x, level + 1) for x in item)
        if isinstance(item, dict):
            return all(
                isinstance(k, str) and valid_text(k) and ok(v, level + 1) for k, v in item.items()
            )
        return False

    return value if isinstance(value, dict) and ok(value, 0) else None


def user_intents(domain_intents: AbstractSet[str], builtin: AbstractSet[str]) -> frozenset:
    """Intents a payload may name: the domain's own, without Rasa's built-in ones."""
    return frozenset(domain_intents) - frozenset(builtin)
