"""Figures for the site owner (/insights page, `python -m career_quiz.cli insights`).

Plain Python (no rasa). Read-only, straight from the two stores that exist: Rasa's
tracker store (`events` table: every turn of every conversation) and the results
database (`quiz_results`). Nothing is copied or aggregated elsewhere, and the dialogue
is not changed; erasure and the retention purge (career_quiz/erasure.py) remove a
conversation from these figures too.

A conversation is one sender id with events in the period (UTC days, `Period`); only its
events inside the period count. Definitions (what each figure counts):

* conversations: senders with at least one user message;
* quiz started: a quiz question was asked (`requested_slot` set to a question);
* <question> answered: the question's slot got a value (an answer or "Überspringen");
* result shown: `action_recommend_variant` ran; feedback given: `action_store_feedback`
  ran after it; completion rate: result shown / quiz started;
* drop-off: conversations that started the quiz and got no result, by the question
  asked last;
* time and turns to complete: from the first user message to the first result (seconds;
  user messages up to and including the one that led to it); median and p90 by nearest
  rank;
* variants per day, close results (winner less than the rubric's `close_margin` ahead of
  the runner-up) and the helpful share of feedback: from the results database, by the
  result's creation day;
* intents: every user message by its intent (side questions, small talk, fallbacks
  `nlu_fallback`, job-ad checks, every other intent);
  fallback replies: `utter_fallback` sent;
* unplaced answers: the user messages the quiz could not place (followed by a re-ask
  with examples, the choice buttons or an automatic skip), grouped by the open
  question and the normalised text, most frequent first.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from career_quiz import settings
from career_quiz.contract import QUIZ_SLOTS
from career_quiz.messages import labels

DEFAULT_DAYS = 30
RESULT_ACTION = "action_recommend_variant"
FEEDBACK_ACTION = "action_store_feedback"
# The "nicht verstanden" reply, counted by the bot messages that carry it: the rule's
# action_not_understood sends it, and so does the core fallback.
FALLBACK_RESPONSE = "utter_fallback"
FALLBACK_INTENT = "nlu_fallback"
REQUESTED_SLOT = "requested_slot"
VARIANTS = ("secretarial", "specialist", "project_management")
# Bot responses that follow an answer the quiz could not place (turns.py: WRONG, CHOICE,
# and the automatic skip after the third miss).
UNPLACED_MARKERS = ("utter_wrong_", "_choice", "utter_skipped_automatically")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Period:
    """UTC days `since` to `until`, both included."""

    since: date
    until: date

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, today: Optional[date] = None) -> "Period":
        """The last `days` days up to today."""
        today = today or datetime.now(timezone.utc).date()
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def parse(cls, since: Optional[str], until: Optional[str]) -> "Period":
        """From YYYY-MM-DD texts (either may be empty: the default range); ValueError for
        bad dates or since after until.
        """
        default = cls.last_days()
        try:
            end = date.fromisoformat(until) if until else default.until
            start = date.fromisoformat(since) if since else end - timedelta(days=DEFAULT_DAYS - 1)
        except ValueError:
            raise ValueError("Datum bitte als JJJJ-MM-TT angeben") from None
        if start > end:
            raise ValueError("Der Beginn liegt nach dem Ende des Zeitraums")
        return cls(start, end)

    @property
    def start(self) -> datetime:
        """First instant (UTC)."""
        return datetime(self.since.year, self.since.month, self.since.day, tzinfo=timezone.utc)

    @property
    def end(self) -> datetime:
        """First instant after the period (UTC)."""
        return self.start + timedelta(days=(self.until - self.since).days + 1)

    def days(self) -> List[date]:
        """Every day of the period."""
        return [self.since + timedelta(days=i) for i in range((self.until - self.since).days + 1)]


@dataclass
class Sources:
    """The stores the figures are read from."""

    tracker_url: Optional[str]
    results_url: str
    close_margin: int


@dataclass
class Table:
    """One table of the page: a title, column names and rows (also its CSV)."""

    key: str
    title: str
    columns: List[str]
    rows: List[List[Any]] = field(default_factory=list)

    def display_rows(self) -> List[List[str]]:
        """The rows as people read them (page and terminal): shares as "66,7 %", no value
        as "–", decimals with a comma. The CSV keeps the plain numbers for spreadsheets.
        """
        shares = {i for i, name in enumerate(self.columns) if name.startswith("Anteil")}
        return [[_display(cell, i in shares) for i, cell in enumerate(row)] for row in self.rows]

    def html_rows(self) -> List[List[Tuple[str, bool]]]:
        """`display_rows` with, per cell, whether it is a number (right-aligned)."""
        return [
            [(text, isinstance(cell, (int, float))) for text, cell in zip(shown, row)]
            for shown, row in zip(self.display_rows(), self.rows)
        ]

    def csv(self) -> str:
        """The table as CSV text (header line first)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


@dataclass
class Figures:
    """Everything the page and the CLI show, for one period."""

    period: Period
    tables: Dict[str, Table]

    def value(self, table: str, first_cell: Any, column: int = 1) -> Any:
        """The cell of `table` in the row whose first cell is `first_cell`."""
        for row in self.tables[table].rows:
            if row[0] == first_cell:
                return row[column]
        raise KeyError(f"{table}: no row {first_cell!r}")


def configured_sources() -> Sources:
    """The stores of this installation (as career_quiz/erasure.py finds them)."""
    from career_quiz.erasure import configured_tracker_url
    from career_quiz.recommender import rubric

    return Sources(
        tracker_url=configured_tracker_url(),
        results_url=settings.database_url(),
        close_margin=int(rubric().data["close_margin"]),
    )


# -- statistics ------------------------------------------------------------------


def nearest_rank(values: Sequence[float], share: float) -> Optional[float]:
    """The nearest-rank percentile (share 0.5: median, 0.9: p90); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def normalise(text: str) -> str:
    """How unplaced answers are grouped: lower case, spaces collapsed, outer punctuation off."""
    return _SPACES.sub(" ", (text or "").lower()).strip(" .,;:!?\"'„“”-–")


def _share(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def _display(cell: Any, share: bool) -> str:
    if cell is None:
        return "–"
    if share:
        return f"{cell * 100:.1f} %".replace(".", ",")
    if isinstance(cell, float):
        return f"{cell:g}".replace(".", ",")
    return str(cell)


def question_name(slot: str) -> str:
    """The German name of a quiz question (labels.yml `questions`)."""
    return labels()["questions"].get(slot, slot)


def variant_name(variant: str) -> str:
    """The German name of a variant (labels.yml `variants`)."""
    return labels()["variants"].get(variant, variant)


# -- reading ---------------------------------------------------------------------


def _events_table() -> sa.Table:
    return EVENTS


EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def _results_table() -> sa.Table:
    from career_quiz.repository import QuizResult

    return QuizResult.__table__


@dataclass
class _Conversation:
    first_user: Optional[float] = None
    user_turns: int = 0
    started: bool = False
    answered: set = field(default_factory=set)
    last_question: Optional[str] = None
    result_at: Optional[float] = None
    turns_to_result: Optional[int] = None
    feedback: bool = False


def _engine(url: str) -> Engine:
    from career_quiz.repository import engine_for

    return engine_for(url)


def _read_events(conn: sa.engine.Connection, period: Period) -> Tuple[Dict, Counter, int, Counter]:
    """Per-conversation funnel data, intent counts, fallback replies, unplaced answers.

    One pass over the period's events, in id order, reading only the narrow columns: the
    SQL tells whether a slot was set to null and which question `requested_slot` names,
    so no event's JSON is parsed (bench/insights.py: hundreds of thousands of events).
    """
    ev = _events_table()
    in_period = sa.and_(
        ev.c.timestamp >= period.start.timestamp(), ev.c.timestamp < period.end.timestamp()
    )
    slot = ev.c.type_name == "slot"
    is_null = sa.case((slot, ev.c.data.like('%"value": null%')), else_=sa.null())
    asked = sa.case(
        *[
            (
                sa.and_(
                    slot, ev.c.action_name == REQUESTED_SLOT, ev.c.data.like(f'%"value": "{s}"%')
                ),
                s,
            )
            for s in QUIZ_SLOTS
        ],
        else_=sa.null(),
    )
    rows = conn.execute(
        sa.select(
            ev.c.sender_id,
            ev.c.type_name,
            ev.c.timestamp,
            ev.c.intent_name,
            ev.c.action_name,
            is_null,
            asked,
        )
        .where(
            in_period,
            sa.or_(
                ev.c.type_name == "user",
                sa.and_(
                    ev.c.type_name == "action",
                    ev.c.action_name.in_((RESULT_ACTION, FEEDBACK_ACTION)),
                ),
                sa.and_(
                    ev.c.type_name == "bot",
                    ev.c.data.like(f'%"utter_action": "{FALLBACK_RESPONSE}"%'),
                ),
                sa.and_(slot, ev.c.action_name.in_((*QUIZ_SLOTS, REQUESTED_SLOT))),
            ),
        )
        .order_by(ev.c.id)
    )
    conversations: Dict[str, _Conversation] = defaultdict(_Conversation)
    intents: Counter = Counter()
    fallbacks = 0
    for sender, kind, stamp, intent, action, null, question in rows:
        conv = conversations[sender]
        if kind == "user":
            intents[intent or "(ohne)"] += 1
            conv.user_turns += 1
            if conv.first_user is None:
                conv.first_user = stamp
        elif kind == "bot":
            fallbacks += 1
        elif kind == "action":
            if action == RESULT_ACTION and conv.result_at is None:
                conv.result_at = stamp
                conv.turns_to_result = conv.user_turns
            elif action == FEEDBACK_ACTION and conv.result_at is not None:
                conv.feedback = True
        elif not null:
            if action == REQUESTED_SLOT:
                if question:
                    conv.started = True
                    conv.last_question = question
            else:
                conv.answered.add(action)
    unplaced = _read_unplaced(conn, in_period)
    return conversations, intents, fallbacks, unplaced


def _read_unplaced(conn: sa.engine.Connection, in_period: Any) -> Counter:
    """(question, normalised text) -> count of user messages followed by a re-ask."""
    ev = _events_table()
    user = ev.alias("previous_user")
    marker = sa.or_(*(ev.c.data.like(f'%"utter_action": "%{m}%') for m in UNPLACED_MARKERS))
    # The user message before each such bot message (same sender, highest id below).
    previous = (
        sa.select(sa.func.max(user.c.id))
        .where(user.c.sender_id == ev.c.sender_id, user.c.type_name == "user", user.c.id < ev.c.id)
        .scalar_subquery()
    )
    wanted: Dict[int, str] = {}
    for data, user_id in conn.execute(
        sa.select(ev.c.data, previous).where(in_period, ev.c.type_name == "bot", marker)
    ):
        action = str((json.loads(data).get("metadata") or {}).get("utter_action") or "")
        if user_id is not None and user_id not in wanted:
            wanted[user_id] = next((s for s in QUIZ_SLOTS if s in action), "")
    found: Counter = Counter()
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row_id, data in conn.execute(sa.select(ev.c.id, ev.c.data).where(ev.c.id.in_(chunk))):
            text = normalise(str(json.loads(data).get("text") or ""))
            if text and not text.startswith("/"):
                found[(wanted[row_id], text)] += 1
    return found


def _read_results(conn: sa.engine.Connection, period: Period) -> List[Tuple[date, str, Any, Any]]:
    table = _results_table()
    rows = conn.execute(
        sa.select(table.c.created_at, table.c.variant, table.c.scores, table.c.feedback).where(
            table.c.created_at >= period.start, table.c.created_at < period.end
        )
    ).all()
    return [
        (created.date(), variant, scores, feedback) for created, variant, scores, feedback in rows
    ]


# -- the figures -----------------------------------------------------------------


def compute(sources: Sources, period: Period) -> Figures:
    """Every figure for `period`."""
    conversations: Dict[str, _Conversation] = {}
    intents: Counter = Counter()
    fallbacks = 0
    unplaced: Counter = Counter()
    if sources.tracker_url:
        with _engine(sources.tracker_url).connect() as conn:
            if sa.inspect(conn).has_table("events"):
                conversations, intents, fallbacks, unplaced = _read_events(conn, period)
    with _engine(sources.results_url).connect() as conn:
        results = _read_results(conn, period)
    tables: Dict[str, Table] = {}
    talked = [c for c in conversations.values() if c.user_turns]
    started = [c for c in talked if c.started]
    done = [c for c in talked if c.result_at is not None]
    funnel = Table("funnel", "Trichter", ["Schritt", "Gespräche", "Anteil an Gesprächen"])
    steps = [("Gespräche", len(talked)), ("Quiz begonnen", len(started))]
    steps += [
        (f"Frage beantwortet: {question_name(slot)}", sum(slot in c.answered for c in started))
        for slot in QUIZ_SLOTS
    ]
    steps += [
        ("Ergebnis gezeigt", len(done)),
        ("Rückmeldung gegeben", sum(c.feedback for c in done)),
    ]
    funnel.rows = [[name, n, _share(n, len(talked))] for name, n in steps]
    funnel.rows.append(
        ["Abschlussquote (Ergebnis / begonnen)", len(done), _share(len(done), len(started))]
    )
    tables["funnel"] = funnel

    dropped = Counter(c.last_question for c in started if c.result_at is None)
    dropoff = Table("dropoff", "Abbruch nach Frage", ["Frage", "Gespräche", "Anteil an begonnenen"])
    dropoff.rows = [
        [question_name(slot), dropped[slot], _share(dropped[slot], len(started))]
        for slot in QUIZ_SLOTS
    ]
    tables["dropoff"] = dropoff

    seconds = [
        c.result_at - c.first_user
        for c in done
        if c.result_at is not None and c.first_user is not None
    ]
    turns = [float(c.turns_to_result or 0) for c in done]
    duration = Table("duration", "Dauer bis zum Ergebnis", ["Maß", "Median", "p90", "Anzahl"])
    duration.rows = [
        [
            "Sekunden",
            _round(nearest_rank(seconds, 0.5)),
            _round(nearest_rank(seconds, 0.9)),
            len(seconds),
        ],
        [
            "Nachrichten",
            _round(nearest_rank(turns, 0.5)),
            _round(nearest_rank(turns, 0.9)),
            len(turns),
        ],
    ]
    tables["duration"] = duration

    per_day: Dict[date, Counter] = defaultdict(Counter)
    close: Counter = Counter()
    feedback: Dict[str, Counter] = defaultdict(Counter)
    for day, variant, scores, given in results:
        per_day[day][variant] += 1
        ranked = sorted((int(v) for v in (scores or {}).values()), reverse=True)
        if len(ranked) > 1 and ranked[0] - ranked[1] < sources.close_margin:
            close[variant] += 1
        if given:
            feedback[variant][given] += 1
    daily = Table(
        "variants_daily", "Empfehlungen pro Tag", ["Tag", *map(variant_name, VARIANTS), "gesamt"]
    )
    daily.rows = [
        [d.isoformat(), *(per_day[d][v] for v in VARIANTS), sum(per_day[d].values())]
        for d in period.days()
    ]
    tables["variants_daily"] = daily
    totals = Counter(variant for _, variant, _, _ in results)
    variants = Table(
        "variants",
        "Empfehlungen und knappe Ergebnisse",
        ["Variante", "Ergebnisse", "knapp", "hilfreich", "nicht hilfreich", "Anteil hilfreich"],
    )
    for v in VARIANTS:
        helpful, not_helpful = feedback[v]["helpful"], feedback[v]["not_helpful"]
        variants.rows.append(
            [
                variant_name(v),
                totals[v],
                close[v],
                helpful,
                not_helpful,
                _share(helpful, helpful + not_helpful),
            ]
        )
    tables["variants"] = variants

    intent_table = Table("intents", "Nachrichten nach Absicht (Intent)", ["Intent", "Nachrichten"])
    intent_table.rows = [
        [name, n] for name, n in sorted(intents.items(), key=lambda x: (-x[1], x[0]))
    ]
    intent_table.rows.append(["Rückfrage-Antworten (utter_fallback)", fallbacks])
    tables["intents"] = intent_table

    unplaced_table = Table(
        "unplaced", "Nicht zugeordnete Antworten", ["Frage", "Antwort", "Anzahl"]
    )
    unplaced_table.rows = [
        [question_name(question) if question else "–", text, n]
        for (question, text), n in sorted(unplaced.items(), key=lambda x: (-x[1], x[0]))
    ]
    tables["unplaced"] = unplaced_table
    return Figures(period, tables)


def _round(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 1)


# -- output ----------------------------------------------------------------------


def render_text(figures: Figures) -> str:
    """All tables as plain text for the terminal."""
    lines = [f"Zeitraum: {figures.period.since} bis {figures.period.until} (UTC)"]
    for table in figures.tables.values():
        lines += ["", f"{table.title} [{table.key}]"]
        cells = [table.columns] + table.display_rows()
        widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
        for row in cells:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def write_csv(figures: Figures, folder: Path) -> List[Path]:
    """Every table as <key>.csv in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in figures.tables.values():
        path = folder / f"{table.key}.csv"
        path.write_text(table.csv(), encoding="utf-8")
        written.append(path)
    return written


def all_keys(figures: Figures) -> Iterable[str]:
    """The table keys (CSV downloads)."""
    return figures.tables.keys()


def settings_summary() -> Dict[str, Any]:
    """Retention shown on the page."""
    return {"retention_days": settings.retention_days()}
