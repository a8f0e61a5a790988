"""Whether a visitor writes in English, so that the bot answers with its bilingual
notice (domain/notices.yml `utter_english`: the quiz is German, the buttons work without
German) instead of a German "nicht verstanden".

Plain Python (no rasa). The word lists are the lexicon's `english_function_words` and
`german_function_words` (data/knowledge/lexicon.yml), read on first use.

A message is English when it has at least two English function words that are not also
German words ("the", "does", "how", "you") and clearly more of them than German
function words. Content words do not count either way, so an English question about any
topic is English ("How much does a project assistant earn?", visitor finding #19), and
a German message with an English job title is not ("Ich bin Executive Assistant to the
CEO"). rasa_addons/side_topics.py names such a message `english` before the
classifier's intent (career_quiz/side_topics.py `message_topic`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, Tuple

from career_quiz.lexicon import lexicon

MIN_ENGLISH = 2
# English words must outnumber German ones by this factor.
MAJORITY = 2

_WORD = re.compile(r"[a-zäöüß0-9']+")


@lru_cache(maxsize=1)
def _function_words() -> Tuple[FrozenSet[str], FrozenSet[str]]:
    cues = lexicon().cues
    return frozenset(cues["english_function_words"]), frozenset(cues["german_function_words"])


def counts(text: str) -> Tuple[int, int]:
    """(English function words, German function words) of `text`."""
    words = _WORD.findall((text or "").lower().replace("’", "'"))
    english_words, german_words = _function_words()
    english = sum(w in english_words for w in words)
    german = sum(w in german_words for w in words)
    return english, german


def is_english(text: str) -> bool:
    """True for a message written in English (see the module doc)."""
    english, german = counts(text)
    return english >= MIN_ENGLISH and english >= MAJORITY * german + MIN_ENGLISH * (german > 0)
