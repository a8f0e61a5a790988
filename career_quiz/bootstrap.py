"""The composition root: the objects the actions share, built in one place.

Plain Python (no rasa_sdk). `bootstrap()` builds a `Services` from the settings
(career_quiz/settings.py) or from what the caller passes instead; the actions take
one as an optional argument and otherwise use `services()`, the process's shared
one (rasa_sdk creates actions without arguments). Unit tests pass their own, with
a fake outbox, instead of setting environment variables and creating databases.

Nothing is built at import time. The parser (spaCy pipeline and classifier, a few
seconds) is built on first use; the action server asks for it before it accepts
requests (actions.actions.warm_up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from typing import TYPE_CHECKING, Callable, Dict, Optional

from career_quiz import settings
from career_quiz.lexicon import Lexicon
from career_quiz.lexicon import lexicon as project_lexicon
from career_quiz.messages import labels, notes
from career_quiz.recommender import Rubric
from career_quiz.recommender import rubric as project_rubric
from career_quiz.repository import hash_conversation
from career_quiz.results import ResultService, ResultSink

if TYPE_CHECKING:
    from career_quiz.parsing import MessageParser
    from career_quiz.questions import QuestionCues


def _default_parser(lexicon: Lexicon) -> "MessageParser":
    """The answer parser on the saved spaCy pipeline and classifier (built in memory
    from data/knowledge/ when `make spacy` has not run).
    """
    from career_quiz.nlp import pipeline
    from career_quiz.parsing import MessageParser
    from career_quiz.task_model import task_classifier

    return MessageParser(pipeline(), lexicon, task_classifier().probabilities)


@dataclass
class Services:
    """What the actions need besides the tracker: knowledge, the parser, the result path."""

    lexicon: Lexicon
    rubric: Rubric
    labels: Dict[str, Dict[str, str]]  # German names of the answer values (labels.yml)
    notes: Dict[str, str]  # pieces of the confirmation line (texts.yml `notes`)
    outbox: ResultSink
    hasher: Callable[[str], str]  # conversation id -> its stored form (HMAC)
    restart_new_session: bool = True  # "Neu starten" starts a new Rasa session
    parser_factory: Callable[[Lexicon], "MessageParser"] = field(
        default=_default_parser, repr=False
    )

    @cached_property
    def parser(self) -> "MessageParser":
        """The answer parser, built on first use."""
        return self.parser_factory(self.lexicon)

    @cached_property
    def question_cues(self) -> "QuestionCues":
        """What marks the question part of a message (the lexicon's `questions`)."""
        from career_quiz.questions import QuestionCues

        return QuestionCues.from_data(self.lexicon.questions)

    @cached_property
    def results(self) -> ResultService:
        """Score, render and record a result with this rubric, outbox and hasher."""
        return ResultService(self.rubric, self.outbox, self.hasher)


def bootstrap(
    lexicon: Optional[Lexicon] = None,
    rubric: Optional[Rubric] = None,
    outbox: Optional[ResultSink] = None,
    hasher: Optional[Callable[[str], str]] = None,
    restart_new_session: Optional[bool] = None,
    parser: Optional["MessageParser"] = None,
) -> Services:
    """Builds the services; what is not passed comes from the settings and data files
    (the knowledge files are read once per process and shared with the domain modules).

    The default outbox writes to QUIZ_OUTBOX_PATH and delivers to QUIZ_DATABASE_URL
    (one Outbox per file and database in the process, see outbox.outbox_for); the
    default hasher keys the conversation hash with QUIZ_HASH_SALT (or the salt file).
    """
    if outbox is None:
        from career_quiz.outbox import outbox_for

        outbox = outbox_for(
            settings.outbox_path(), settings.database_url(), settings.outbox_retry_seconds()
        )
    if hasher is None:
        hasher = partial(hash_conversation, salt=settings.hash_salt())
    if restart_new_session is None:
        restart_new_session = settings.restart_new_session()
    return Services(
        lexicon=project_lexicon() if lexicon is None else lexicon,
        rubric=project_rubric() if rubric is None else rubric,
        labels=labels(),
        notes=notes(),
        outbox=outbox,
        hasher=hasher,
        restart_new_session=restart_new_session,
        parser_factory=_default_parser if parser is None else (lambda _: parser),
    )


@lru_cache(maxsize=1)
def services() -> Services:
    """The services of this process, built on first use."""
    return bootstrap()
