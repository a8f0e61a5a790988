"""Whether a visitor writes in English, so that the bot answers with its bilingual
notice (domain/notices.yml `utter_english`: the quiz is German, the buttons work without
German) instead of a German "nicht verstanden".

Plain Python (no rasa); the word lists are here, nothing is read at import time.

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

# English words that are not German words as well ("an", "was", "will", "also", "am",
# "man", "so", "in" are left out).
ENGLISH_WORDS = frozenset(
    """
    a the is are were be been being do does did don't dont doesn't didn't how much many
    what which who whom why when where can can't cannot could would should shall i i'm
    i've i'd you you're your yours he she we they them my our their this that these those
    to of for with from at by on about and or but if not yes please thanks thank have has
    had having me us it it's its there here any some just very than then get got hi hello
    hey sorry speak understand english german anyone something anything there's what's
    job's let's need want like know tell help
    """.split()
)
# German function words: a message with as many of these is German ("was", "so" and
# "also" are English words too and count for neither).
GERMAN_WORDS = frozenset(
    """
    der die das den dem des und ist sind ich nicht ein eine einen einem einer zu zum zur
    mit mir mich sie es wie auf für von bin habe hat haben kann können auch noch oder
    aber wir mein meine meinen im bei als wenn dass gibt man wird werden muss schon sehr
    nur doch mal bitte danke ja nein gut hallo gern gerne welche welcher welches wo wer
    warum über ihr ihre ihnen du dich dir sich nach vor aus um weil ob da hier
    """.split()
)
MIN_ENGLISH = 2
# English words must outnumber German ones by this factor.
MAJORITY = 2

_WORD = re.compile(r"[a-zäöüß0-9']+")


def counts(text: str) -> tuple:
    """(English function words, German function words) of `text`."""
    words = _WORD.findall((text or "").lower().replace("’", "'"))
    english = sum(w in ENGLISH_WORDS for w in words)
    german = sum(w in GERMAN_WORDS for w in words)
    return english, german


def is_english(text: str) -> bool:
    """True for a message written in English (see the module doc)."""
    english, german = counts(text)
    return english >= MIN_ENGLISH and english >= MAJORITY * german + MIN_ENGLISH * (german > 0)
