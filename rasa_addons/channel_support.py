"""What the REST and socket.io channels share: input checks against the domain,
typed button titles sent as the buttons' payloads (career_quiz/typed_buttons.py),
the channels' own German texts (domain/service.yml), and one message handled without
taking the server down. Loaded by the Rasa server.

See career_quiz/input_checks.py for the rules and rasa_addons/outage.py for the
outage exceptions. The channels call `load_texts()` when Rasa builds them.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Awaitable, Callable, Dict, FrozenSet, Optional, Text, Tuple

from career_quiz import input_checks, settings, typed_buttons
from career_quiz.repository import log_id
from rasa_addons import outage

logger = logging.getLogger(__name__)

_Vocabulary = Tuple[FrozenSet[str], FrozenSet[str]]
_vocabulary_cache: dict = {}


def load_texts() -> None:
    """Reads the channels' texts and the known buttons' titles (idempotent; a broken
    text fails here). The channels call it when Rasa builds them, at start-up.
    """
    service_texts()
    typed_buttons.known_buttons()


@functools.lru_cache(maxsize=1)
def service_texts() -> Dict[str, str]:
    """The channels' own texts by key: the `utter_service_<key>` responses of
    domain/service.yml, filled in as Rasa fills a response (`{limit}` is the maximum
    message length, doubled braces become single ones).

    Read from the domain files once, at start-up (`load_texts`), not from the loaded
    model: these texts answer exactly when the model is not loaded yet, the tracker
    store is down or the action server fails, and must not depend on any of them.
    """
    from rasa.core.nlg.interpolator import interpolate_text

    from career_quiz.dialogue import service_responses

    values = {"limit": f"{input_checks.MAX_MESSAGE_CHARS:,}".replace(",", ".")}
    return {key: interpolate_text(raw, values) for key, raw in service_responses().items()}


def text(key: str) -> str:
    """One of the channels' own texts (see `service_texts`)."""
    return service_texts()[key]


def vocabulary(app: Any) -> _Vocabulary:
    """Intents and entities a "/intent{...}" payload may name: those of the loaded
    model's domain, without Rasa's built-in intents. Empty while no model is loaded.
    """
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    domain = getattr(agent, "domain", None)
    if domain is None:
        return frozenset(), frozenset()
    key = id(domain)
    if key not in _vocabulary_cache:
        from rasa.shared.core.constants import DEFAULT_INTENTS

        _vocabulary_cache.clear()
        _vocabulary_cache[key] = (
            input_checks.user_intents(set(domain.intents), set(DEFAULT_INTENTS)),
            frozenset(domain.entities),
        )
    return _vocabulary_cache[key]


def check(app: Any, sender: Any, message: Any) -> input_checks.Verdict:
    """`input_checks.check_message` with the payload vocabulary of `app`'s model; a
    message that is a button's title becomes that button's payload (typed_buttons.py).
    """
    intents, entities = vocabulary(app)
    verdict = input_checks.check_message(sender, message, intents, entities)
    payload = typed_buttons.payload_for(verdict.text) if verdict.ok else None
    return input_checks.Verdict(input_checks.OK, payload) if payload else verdict


async def handle(
    on_new_message: Callable[[Any], Awaitable[Any]], user_message: Any
) -> Optional[Text]:
    """Runs one message through Rasa. Returns None on success, else the apology to
    send: the message was not processed and nothing of it was stored.
    """
    try:
        await on_new_message(user_message)
        return None
    except outage.ServiceUnavailable as error:
        logger.warning(
            "Message of conversation %s not processed: %s",
            log_id(user_message.sender_id, settings.hash_salt()),
            type(error).__name__,
        )
        return text(error.text_key)
    except Exception:
        logger.exception(
            "Message of conversation %s not processed: unexpected error",
            log_id(user_message.sender_id, settings.hash_salt()),
        )
        return text(outage.ServiceUnavailable.text_key)
