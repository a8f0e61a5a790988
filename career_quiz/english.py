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
from typing import Any, Dict, FrozenSet, Tuple

import yaml

from career_quiz import settings
from career_quiz.lexicon import lexicon

MIN_ENGLISH = 2
# English words must outnumber German ones by this factor.
MAJORITY = 2

_WORD = re.compile(r"[a-zäöüß0-9']+")


@lru_cache(maxsize=1)
def _function_words() -> Tuple[FrozenSet[str], FrozenSet[str]]:
    cues = lexicon().cues
    return frozenset(cues["english_function_words"]), frozenset(cues["german_function_words"])


# A word in single quotes ("what is 'fluent'"), and names in brackets or German quotes.
_QUOTED = re.compile(r"(?<!\w)'(\w[\w -]*)'(?!\w)")
_NAMED = re.compile(r"\([^)]*\)|„[^“”]*[“”]|\"[^\"]*\"")


def counts(text: str) -> Tuple[int, int]:
    """(English function words, German function words) of `text`."""
    words = _WORD.findall((text or "").lower().replace("’", "'"))
    english_words, german_words = _function_words()
    english = sum(w in english_words for w in words)
    german = sum(w in german_words for w in words)
    return english, german


def is_english(text: str) -> bool:
    """True for a message written in English (see the module doc). German words in
    brackets or quotes are names ("How long does an apprenticeship (Kaufmann für
    Büromanagement) take?"), not the message's language.
    """
    english, german = counts(_NAMED.sub(" ", text or ""))
    return english >= MIN_ENGLISH and english >= MAJORITY * german + MIN_ENGLISH * (german > 0)


@lru_cache(maxsize=1)
def _english() -> Dict[str, Any]:
    with open(settings.knowledge_dir() / "english.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def _gloss_pattern() -> Tuple["re.Pattern[str]", Dict[str, str]]:
    table = {str(k).lower(): str(v or "") for k, v in _english()["gloss"].items()}
    phrases = sorted(table, key=len, reverse=True)  # the longest phrase wins
    alternatives = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'-])"), table


def gloss(text: str) -> str:
    """The English `text` lowercased, its known words and phrases put into German
    (data/knowledge/english.yml `gloss`); unknown words stay. No translation: it carries
    the words the German topic patterns and facts look for ("How long does the
    apprenticeship take?" -> "wie lange dauert  ausbildung dauert?").
    """
    pattern, table = _gloss_pattern()
    lowered = (text or "").lower().replace("’", "'")
    lowered = _QUOTED.sub(r" \1 ", lowered)  # "what is 'fluent'": the word, not its quotes
    glossed = pattern.sub(lambda m: table[m.group(0)], lowered)
    return re.sub(r"[ \t]{2,}", " ", glossed).strip()


def has_phrase(text: str) -> bool:
    """True when `text` holds a phrase of two or more words of the gloss table ("no
    formal training", "high school"): English, not a German word that is English too.
    """
    pattern = _gloss_pattern()[0]
    lowered = (text or "").lower().replace("’", "'")
    return any(" " in m.group(0).strip() for m in pattern.finditer(lowered))


def asks_for_english(text: str) -> bool:
    """True for an English message about the chat's language ("Can we do this in
    English?"): the bilingual notice is its whole answer.
    """
    lowered = (text or "").lower()
    return any(re.search(p, lowered) for p in _english()["keep_notice"])


def answer_prefix() -> str:
    """The line put before the German answer to an English question."""
    return str(_english()["answer_prefix"])
