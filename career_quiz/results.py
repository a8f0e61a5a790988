"""A quiz result as it is stored.

Plain Python (no rasa_sdk). `ResultRecord` is what the outbox queues and the results
repository writes (career_quiz/outbox.py, career_quiz/repository.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Optional


@dataclass(frozen=True)
class ResultRecord:
    """One quiz result of a hashed conversation, as the results database keeps it.

    `idempotency_key` names the result (career_quiz.repository.result_key): the same
    key written twice is one row; None gives the write a new random key.
    `created_at` None means now, when it is queued.
    """

    conversation_hash: str
    answers: Dict[str, Any]
    scores: Dict[str, int]
    variant: str
    rubric_version: str
    idempotency_key: Optional[str] = None
    created_at: Optional[datetime] = None
