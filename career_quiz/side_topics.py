"""Which side-question topic a message names, from words (data/knowledge/side_topics.yml).

Plain Python (no rasa). The intent classifier sees a whole message, so in "Ich bin
Steuerfachangestellte – reicht das?" the answer part can outweigh the question, and a
short "Und was verdient man da so?" can look like small talk. These patterns name the
topic of the question part; rasa_addons/side_topics.py puts it above the classifier's
guess, and actions/actions.py uses it for the question in a mixed message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Pattern, Tuple

import yaml

from career_quiz import settings
from career_quiz.lexicon import lexicon
from career_quiz.questions import QuestionCues, split_message

# Intents the classifier gives to quiz answers: a message it reads so is only taken for
# a topic by its question part.
ANSWER_INTENTS = frozenset({"inform", "dont_know"})
# Below this the classifier's guess is weak (config.yml's FallbackClassifier threshold).
CONFIDENT = 0.7


@dataclass(frozen=True)
class SideTopics:
    """The topic patterns, in the order they are tried."""

    patterns: Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...]
    always: FrozenSet[str]

    def topic(self, text: str) -> Optional[str]:
        """The first topic with a pattern that matches `text`, or None."""
        low = " ".join((text or "").lower().split())
        for name, patterns in self.patterns:
            if any(p.search(low) for p in patterns):
                return name
        return None


def load_side_topics(path: Optional[Path] = None) -> SideTopics:
    """Reads side_topics.yml and compiles its patterns."""
    path = path or settings.knowledge_dir() / "side_topics.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics: Dict[str, List[str]] = data["topics"]
    return SideTopics(
        tuple((name, tuple(re.compile(p) for p in pats)) for name, pats in topics.items()),
        frozenset(data.get("always") or []),
    )


@lru_cache(maxsize=1)
def side_topics() -> SideTopics:
    """The project's side_topics.yml, read once per process on first use."""
    return load_side_topics()


@lru_cache(maxsize=1)
def _cues() -> QuestionCues:
    return QuestionCues.from_data(lexicon().questions)


def question_topic(question: str) -> Optional[str]:
    """The topic of a message's question part (already split off), or None."""
    return side_topics().topic(question) if question else None


def message_topic(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    """The topic a whole message asks about, or None to keep the classifier's intent.

    Summaries and e-mail requests are taken from the whole message. Other topics are
    taken from the part in question form; from the whole message only when it ends in
    "?" or the classifier did not read it as a quiz answer with confidence.
    """
    topics = side_topics()
    found = topics.topic(text)
    if found in topics.always:
        return found
    split = split_message(text, _cues())
    if split.question:
        asked = topics.topic(split.question)
        if asked:
            return asked
    weak = intent not in ANSWER_INTENTS or confidence < CONFIDENT
    if found and (weak or (text or "").rstrip().endswith("?")):
        return found
    return None
