"""Cost of the /insights page at scale: generated stores, timed requests.

    python -m bench.insights [--results 10000] [--dropped 3000] [--days 30] [--runs 5]
        [--workdir results/bench-insights] [--postgres]

Writes a tracker store (`events`, the schema of Rasa's SQLTrackerStore with the indexes
rasa_addons/tracker_store.py adds) and a results database (Alembic schema) with
`--results` finished conversations and `--dropped` unfinished ones spread over the last
`--days` days. Their events follow what the real servers store per turn (session start,
user message, actions, bot messages, slots; about 40 rows per finished quiz), with
one unplaced answer in every tenth conversation. Then it starts web/server.py's page
server in this process and times GET /insights (the default 30 days, computed and
rendered) and `insights.compute` alone, and prints median and maximum of `--runs`, the
median CPU time of this process per computation (SQLite runs inside it; PostgreSQL's
server time is not included) and the load average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import sqlalchemy as sa

from devtools.stack import ROOT, free_port

TOKEN = "bench-insights-token"
ANSWERS = [
    (
        "office",
        ["en:fluent"],
        "assistance",
        "secretarial",
        {"secretarial": 90, "specialist": 30, "project_management": 50},
    ),
    (
        "finance_hr_it",
        [],
        "specialist",
        "specialist",
        {"secretarial": 30, "specialist": 85, "project_management": 40},
    ),
    (
        "degree",
        ["en:business"],
        "projects",
        "project_management",
        {"secretarial": 50, "specialist": 40, "project_management": 55},
    ),
]


def _events_table(meta: sa.MetaData) -> sa.Table:
    table = sa.Table(
        "events",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )
    sa.Index("ix_events_sender_type_time", table.c.sender_id, table.c.type_name, table.c.timestamp)
    sa.Index("ix_events_sender_time", table.c.sender_id, table.c.timestamp)
    return table


def _row(
    sender: str, kind: str, stamp: float, name: Optional[str] = None, **data: Any
) -> Dict[str, Any]:
    intent = data.get("parse_data", {}).get("intent", {}).get("name") if kind == "user" else None
    body = {"event": kind, "timestamp": stamp, **({"name": name} if name else {}), **data}
    return {
        "sender_id": sender,
        "type_name": kind,
        "timestamp": stamp,
        "intent_name": intent,
        "action_name": name,
        "data": json.dumps(body),
    }


def conversation(
    sender: str, start: float, answers: Optional[tuple], unplaced: bool
) -> List[Dict[str, Any]]:
    """The events of one conversation: a finished quiz (`answers`) or one that stops at the
    second question.
    """
    t = start
    rows: List[Dict[str, Any]] = []

    def tick() -> float:
        nonlocal t
        t += 0.8
        return t

    def user(text: str, intent: str) -> None:
        rows.append(
            _row(sender, "user", tick(), text=text, parse_data={"intent": {"name": intent}})
        )

    def act(name: str) -> None:
        rows.append(_row(sender, "action", tick(), name))

    def bot(utter: str, text: str) -> None:
        rows.append(_row(sender, "bot", tick(), text=text, metadata={"utter_action": utter}))

    def slot(name: str, value: Any) -> None:
        rows.append(_row(sender, "slot", tick(), name, value=value))

    act("action_session_start")
    rows.append(_row(sender, "session_started", tick()))
    act("action_listen")
    user("/start_quiz", "start_quiz")
    act("action_extract_answers")
    act("action_start_quiz")
    act("career_quiz_form")
    slot("requested_slot", "training")
    bot("utter_ask_training", "Welche Ausbildung ...")
    act("action_listen")
    if unplaced:
        user("Blumenkohl", "out_of_scope")
        act("action_extract_answers")
        act("career_quiz_form")
        slot("quiz_state", {"slot": "training", "misses": 1, "prompt": "wrong"})
        bot("utter_wrong_training", "Das konnte ich leider keiner Ausbildung zuordnen ...")
        act("action_listen")
    user('/inform{"training": "office"}', "inform")
    act("action_extract_answers")
    slot("training", [answers[0] if answers else "office"])
    act("career_quiz_form")
    slot("requested_slot", "languages")
    bot("utter_ask_languages", "Welche Fremdsprachen ...")
    act("action_listen")
    if answers is None:
        return rows
    for name, value, next_slot in (
        ("languages", answers[1], "task_preference"),
        ("task_preference", answers[2], None),
    ):
        user(f"/inform{json.dumps({name: value})}", "inform")
        act("action_extract_answers")
        slot(name, value)
        act("career_quiz_form")
        slot("requested_slot", next_slot)
        if next_slot:
            bot(f"utter_ask_{next_slot}", "...")
            act("action_listen")
    act("action_recommend_variant")
    slot("recommended_variant", answers[3])
    slot("variant_scores", answers[4])
    bot("utter_result_actions", "**Empfehlung ...")
    act("action_listen")
    user("/feedback_positive", "feedback_positive")
    act("action_store_feedback")
    bot("utter_feedback_thanks_positive", "Vielen Dank ...")
    act("action_listen")
    return rows


def generate(tracker_url: str, results_url: str, results: int, dropped: int, days: int) -> None:
    """Fills both stores (a fixed random seed: the same data every run)."""
    from career_quiz.repository import QuizResult, make_engine, upgrade_schema

    rng = random.Random(42)
    now = datetime.now(timezone.utc)
    tracker = make_engine(tracker_url)
    meta = sa.MetaData()
    events = _events_table(meta)
    meta.create_all(tracker)
    res = make_engine(results_url)
    upgrade_schema(res)
    batch: List[Dict[str, Any]] = []
    result_rows: List[Dict[str, Any]] = []
    for i in range(results + dropped):
        start = now - timedelta(seconds=rng.uniform(60, days * 86400 - 60))
        answers = ANSWERS[i % 3] if i < results else None
        sender = f"bench-{i:06d}"
        batch += conversation(sender, start.timestamp(), answers, unplaced=i % 10 == 0)
        if answers:
            result_rows.append(
                {
                    "idempotency_key": f"bench:{i}",
                    "conversation_hash": f"{i:064d}",
                    "answers": {
                        "training": [answers[0]],
                        "languages": answers[1],
                        "task_preference": answers[2],
                    },
                    "scores": answers[4],
                    "variant": answers[3],
                    "rubric_version": "bench",
                    "created_at": start + timedelta(seconds=20),
                    "feedback": "helpful" if i % 4 else "not_helpful",
                    "feedback_at": start + timedelta(seconds=25),
                }
            )
        if len(batch) > 20000:
            with tracker.begin() as conn:
                conn.execute(events.insert(), batch)
            batch = []
    with tracker.begin() as conn:
        if batch:
            conn.execute(events.insert(), batch)
    with res.begin() as conn:
        conn.execute(QuizResult.__table__.insert(), result_rows)
    tracker.dispose()
    res.dispose()


def measure(tracker_url: str, results_url: str, runs: int) -> Dict[str, float]:
    """Times GET /insights and insights.compute; seconds (median, max)."""
    os.environ["QUIZ_DATABASE_URL"] = results_url
    os.environ["QUIZ_TRACKER_DB_URL"] = tracker_url
    import sys

    sys.path.insert(0, str(ROOT / "web"))
    import server  # web/server.py

    from career_quiz import insights

    port = free_port()
    httpd = server.make_server("127.0.0.1", port, "http://127.0.0.1:5005", TOKEN)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    page, compute, cpu = [], [], []
    try:
        for _ in range(runs):
            began = time.perf_counter()
            response = requests.get(
                f"http://127.0.0.1:{port}/insights",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=120,
            )
            page.append(time.perf_counter() - began)
            response.raise_for_status()
            began, cpu_began = time.perf_counter(), time.process_time()
            insights.compute(insights.configured_sources(), insights.Period.last_days())
            compute.append(time.perf_counter() - began)
            cpu.append(time.process_time() - cpu_began)
    finally:
        httpd.shutdown()
        httpd.server_close()
    return {
        "page_median_s": statistics.median(page),
        "page_max_s": max(page),
        "compute_median_s": statistics.median(compute),
        "compute_max_s": max(compute),
        "compute_cpu_median_s": statistics.median(cpu),  # this process only, not the database's
        "load_average_1min": os.getloadavg()[0],
    }


def main(argv: Optional[List[str]] = None) -> int:
    """Generates the stores (unless they exist) and prints the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=10000)
    parser.add_argument("--dropped", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", default=str(ROOT / "results" / "bench-insights"))
    parser.add_argument(
        "--postgres", action="store_true", help="both stores on a throw-away PostgreSQL database"
    )
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    def run(tracker_url: str, results_url: str) -> None:
        began = time.perf_counter()
        generate(tracker_url, results_url, args.results, args.dropped, args.days)
        engine = sa.create_engine(tracker_url)
        with engine.connect() as conn:
            n_events = conn.execute(sa.text("SELECT count(*) FROM events")).scalar()
        engine.dispose()
        print(
            f"Generated {args.results} results, {args.dropped} unfinished, "
            f"{n_events} events in {time.perf_counter() - began:.1f}s"
        )
        for key, value in measure(tracker_url, results_url, args.runs).items():
            print(f"{key}: {value:.3f}")

    if args.postgres:
        from devtools.databases import throwaway_postgres_database

        with throwaway_postgres_database("quiz_bench_insights_") as url:
            run(url, url)
        return 0
    for name in ("tracker.db", "quiz.db"):
        (workdir / name).unlink(missing_ok=True)
    run(f"sqlite:///{workdir / 'tracker.db'}", f"sqlite:///{workdir / 'quiz.db'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
