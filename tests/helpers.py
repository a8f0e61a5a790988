"""Factories and helpers the tests share (imported explicitly; fixtures stay in conftest.py).

* reading the training data and the held-out sets, to keep them apart;
* a parse merged into the answers so far (the parser tests and the answer tests);
* rasa_sdk trackers and the domain as the action server receives it;
* cleaning a results database; the replies and quizzes of the live tests.
"""

from __future__ import annotations

import copy
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from devtools.training_data import nlu_texts, normalise, training_texts  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def slots_for(parser, text, requested=None, current=None):
    """The slot updates `text` makes at the question `requested`, given the answers
    `current` (career_quiz/parsing.py parses, career_quiz/answers.py merges).
    """
    from career_quiz.answers import merge_answers

    return merge_answers(current or {}, parser.parse(text, requested), requested)


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender_id: str = "test-user",
):
    """A rasa_sdk Tracker whose latest message is `text` with `intent`."""
    from rasa_sdk import Tracker

    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    if events is None:
        events = [
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text, "parse_data": latest},
        ]
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=events[-1].get("name") if events else None,
    )


@lru_cache(maxsize=1)
def domain_dict() -> Dict[str, Any]:
    """The project domain as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


def clean_results_database(url: str) -> None:
    """Drops what the migrations leave beyond Base.metadata (the `database_url` fixture
    drops only those tables, and its PostgreSQL database lives for the whole session).
    """
    engine = sa.create_engine(url, future=True)
    with engine.begin() as conn:
        for table in ("quiz_results_off", "alembic_version"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()


def texts(replies) -> str:
    """All reply texts of one turn, one per line."""
    return "\n".join(r.get("text", "") for r in replies)


def new_sender() -> str:
    """A fresh conversation id for a live test."""
    return f"live-{uuid.uuid4().hex[:12]}"


QUIZZES = [
    # (messages after the greeting, expected variant, heading fragment)
    (
        [
            "/start_quiz",
            "Ich bin Kauffrau für Büromanagement",
            "Englisch fließend und etwas Französisch",
            "Ich organisiere gern Termine und Reisen für mein Team",
        ],
        "secretarial",
        "Empfehlung: Sekretariat",
    ),
    (
        [
            "Quiz starten",
            "Bankkaufmann",
            "Tschechisch verhandlungssicher",
            '/inform{"task_preference": "specialist"}',
        ],
        "specialist",
        "Empfehlung: Fach-Backoffice",
    ),
    (
        [
            "Ich habe einen Master in BWL",
            "Englisch C1",
            "Am liebsten plane und koordiniere ich Projekte",
        ],
        "project_management",
        "Empfehlung: Projektassistenz",
    ),
]


@lru_cache(maxsize=1)
def _nlg():
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(ROOT / "domain"))
    return domain, TemplatedNaturalLanguageGenerator(domain.responses)


async def sent(messages, slots):
    """What the Rasa server sends for an action's messages: each named response taken from
    the domain and filled in (slots and keyword arguments), the action's buttons added.
    `response` names the response a message came from.
    """
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import CollectingOutputChannel

    domain, nlg = _nlg()
    for message in messages:
        assert message.get("response") in (None, *domain.responses), message["response"]
    values = {slot.name: None for slot in domain.slots} | dict(slots)

    class _Tracker:
        def current_slot_values(self):
            return values

    bots = await RemoteAction._utter_responses(
        copy.deepcopy(messages), CollectingOutputChannel(), nlg, _Tracker()
    )
    return [
        {
            "text": bot.text,
            "buttons": bot.data.get("buttons") or [],
            "response": bot.metadata.get("utter_action"),
        }
        for bot in bots
    ]


class FakeOutbox:
    """Records what the actions submit (career_quiz/outbox.py's Outbox stores it)."""

    def __init__(self, fail: bool = False):
        self.fail = fail
        self.results: list = []
        self.feedback: list = []

    def submit_result(self, record):
        if self.fail:
            raise OSError("disk full")
        self.results.append(record)
        return "stored"

    def submit_feedback(self, conversation_hash, feedback):
        if self.fail:
            raise OSError("disk full")
        self.feedback.append((conversation_hash, feedback))
        return "stored"
