"""The insights figures, erasure through the chat and log privacy, on the real servers.

One stack (action server, Rasa server, and the page server web/server.py) plays 197
short conversations with known outcomes over REST (button payloads, four threads).
Six of them end with "Meine Daten löschen" and vanish. Then every figure of
career_quiz/insights.py is asserted exactly, through the CLI and through /insights
(HTML tables and CSV, behind the token). Finally the servers' logs must hold no sent
message text and no sender id.
"""

from __future__ import annotations

import html
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import requests

from career_quiz import insights
from career_quiz.recommender import score
from devtools.procs import stop_tree
from devtools.stack import ROOT, free_port, running_stack, start, wait_until_ready

pytestmark = pytest.mark.live

TOKEN = "insights-live-test-token"
START = "/start_quiz"
UNPLACED = ("Blumenkohl", "blumenkohl!")  # one group after normalising
PROFILES = [
    {"training": ["office"], "languages": ["en:fluent"], "task_preference": "assistance"},
    {"training": ["finance_hr_it"], "languages": [], "task_preference": "specialist"},
    {"training": ["degree"], "languages": ["en:fluent"], "task_preference": "projects"},
    # a close result (the rubric's close_margin)
    {"training": ["office"], "languages": ["en:good"], "task_preference": "specialist"},
]


def _payload(slot: str, value) -> str:
    import json

    return f"/inform{json.dumps({slot: value})}"


def _answers(profile) -> List[str]:
    return [
        _payload("training", profile["training"][0]),
        _payload("languages", profile["languages"]),
        _payload("task_preference", profile["task_preference"]),
    ]


@dataclass
class Plan:
    """Conversations by kind: (sender prefix, messages, profile index or None)."""

    conversations: List[Tuple[str, List[str], int]] = field(default_factory=list)

    def add(self, kind: str, count: int, messages_of) -> None:
        for i in range(count):
            self.conversations.append((f"{kind}-{uuid.uuid4().hex[:10]}", *messages_of(i)))


def _plan() -> Plan:
    plan = Plan()
    plan.add("greet", 20, lambda i: (["/greet"], -1))
    plan.add("quit1", 20, lambda i: ([START], -1))
    plan.add("quit2", 20, lambda i: ([START, _answers(PROFILES[0])[0]], -1))
    plan.add("unplaced", 20, lambda i: ([START, UNPLACED[i % 2]], -1))
    plan.add("done", 48, lambda i: ([START, *_answers(PROFILES[i % 4])], i % 4))
    plan.add(
        "good", 32, lambda i: ([START, *_answers(PROFILES[i % 4]), "/feedback_positive"], i % 4)
    )
    plan.add(
        "bad", 16, lambda i: ([START, *_answers(PROFILES[i % 4]), "/feedback_negative"], i % 4)
    )
    plan.add("faq", 15, lambda i: (["Was speichern Sie von mir?"], -1))
    plan.add(
        "erase",
        6,
        lambda i: (
            [START, *_answers(PROFILES[0]), "Meine Daten löschen", "/erase_data_confirm"],
            0,
        ),
    )
    return plan


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """The stack after all conversations: (stack, plan, replies per sender, seconds)."""
    workdir = tmp_path_factory.mktemp("insights")
    with running_stack(workdir) as stack:
        plan = _plan()
        replies: Dict[str, List[List[dict]]] = {}
        elapsed: Dict[str, float] = {}

        def play(conversation):
            sender, messages, _ = conversation
            began = time.monotonic()
            replies[sender] = [stack.send(sender, m, timeout=60) for m in messages]
            elapsed[sender] = time.monotonic() - began

        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(play, plan.conversations))
        print(f"\n{len(plan.conversations)} conversations in {time.monotonic() - began:.1f}s")
        yield stack, plan, replies, elapsed


@pytest.fixture(scope="module")
def env_of(played):
    stack = played[0]
    return {
        "QUIZ_DATABASE_URL": stack.database_url,
        "QUIZ_TRACKER_DB_URL": f"sqlite:///{stack.tracker_db}",
        "QUIZ_HASH_SALT": stack.hash_salt,
    }


@pytest.fixture(scope="module")
def figures(env_of):
    mp = pytest.MonkeyPatch()
    for key, value in env_of.items():
        mp.setenv(key, value)
    try:
        today = datetime.now(timezone.utc).date()
        yield insights.compute(insights.configured_sources(), insights.Period(today, today))
    finally:
        mp.undo()


def _expected(plan: Plan):
    kinds = Counter(sender.split("-")[0] for sender, _, _ in plan.conversations)
    variants, close, helpful, unhelpful = Counter(), Counter(), Counter(), Counter()
    for sender, _, profile in plan.conversations:
        kind = sender.split("-")[0]
        if kind not in ("done", "good", "bad"):
            continue
        rec = score(PROFILES[profile])
        variants[rec.variant] += 1
        close[rec.variant] += rec.close
        helpful[rec.variant] += kind == "good"
        unhelpful[rec.variant] += kind == "bad"
    return kinds, variants, close, helpful, unhelpful


def test_every_conversation_was_answered(played):
    _, plan, replies, _ = played
    for sender, _messages, _ in plan.conversations:
        assert all(replies[sender]), f"{sender}: a message got no reply"
    erased = [s for s, _, _ in plan.conversations if s.startswith("erase")]
    assert all("gelöscht" in replies[s][-1][0]["text"] for s in erased)


def test_erased_conversations_leave_at_most_a_session_start(played):
    stack, plan, _, _ = played
    erased = [s for s, _, _ in plan.conversations if s.startswith("erase")]
    with sqlite3.connect(stack.tracker_db) as conn:
        for sender in erased:
            kinds = [
                r[0]
                for r in conn.execute(
                    "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,)
                )
            ]
            assert kinds in ([], ["action", "session_started", "action"]), kinds
            rows = conn.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)).fetchall()
            assert not [r for r in rows if "inform" in r[0] or "user" in r[0]]
    with sqlite3.connect(Path(stack.database_url[len("sqlite:///") :])) as conn:
        hashes = {r[0] for r in conn.execute("SELECT conversation_hash FROM quiz_results")}
    from career_quiz.repository import hash_conversation

    assert not {hash_conversation(s, stack.hash_salt) for s in erased} & hashes
    # Everyone else's result is there: one per finished, kept conversation.
    finished = [s for s, _, _ in plan.conversations if s.split("-")[0] in ("done", "good", "bad")]
    assert {hash_conversation(s, stack.hash_salt) for s in finished} == hashes


def test_funnel_and_dropoff(played, figures):
    _, plan, _, _ = played
    kinds, *_ = _expected(plan)
    talked = sum(n for k, n in kinds.items() if k != "erase")
    started = talked - kinds["greet"] - kinds["faq"]
    finished = kinds["done"] + kinds["good"] + kinds["bad"]
    trained = kinds["quit2"] + finished
    funnel = {row[0]: row[1] for row in figures.tables["funnel"].rows}
    assert funnel == {
        "Gespräche": talked,
        "Quiz begonnen": started,
        "Frage beantwortet: Ausbildung": trained,
        "Frage beantwortet: Fremdsprachen": finished,
        "Frage beantwortet: Arbeitsvorliebe": finished,
        "Ergebnis gezeigt": finished,
        "Rückmeldung gegeben": kinds["good"] + kinds["bad"],
        "Abschlussquote (Ergebnis / begonnen)": finished,
    }
    assert figures.value("funnel", "Abschlussquote (Ergebnis / begonnen)", 2) == round(
        finished / started, 4
    )
    assert figures.value("funnel", "Gespräche", 2) == 1.0
    assert {row[0]: row[1] for row in figures.tables["dropoff"].rows} == {
        "Ausbildung": kinds["quit1"] + kinds["unplaced"],
        "Fremdsprachen": kinds["quit2"],
        "Arbeitsvorliebe": 0,
    }


def test_time_and_turns_to_complete(played, figures):
    _, plan, _, elapsed = played
    finished = [s for s, _, _ in plan.conversations if s.split("-")[0] in ("done", "good", "bad")]
    assert figures.tables["duration"].rows[1] == ["Nachrichten", 4.0, 4.0, len(finished)]
    name, median, p90, n = figures.tables["duration"].rows[0]
    # Server time from the first message to the result lies within what the client saw.
    assert name == "Sekunden" and n == len(finished)
    assert 0 < median <= p90 <= max(elapsed[s] for s in finished) + 0.1


def test_variants_close_results_and_helpful_share(played, figures):
    _, plan, _, _ = played
    _, variants, close, helpful, unhelpful = _expected(plan)
    rows = {row[0]: row[1:] for row in figures.tables["variants"].rows}
    for variant in insights.VARIANTS:
        h, u = helpful[variant], unhelpful[variant]
        share = round(h / (h + u), 4) if h + u else None
        row = rows[insights.variant_name(variant)]
        assert row == [variants[variant], close[variant], h, u, share], variant
    today = datetime.now(timezone.utc).date().isoformat()
    assert figures.tables["variants_daily"].rows == [
        [today, *(variants[v] for v in insights.VARIANTS), sum(variants.values())]
    ]


def test_intents_fallbacks_and_unplaced_answers(played, figures):
    _, plan, _, _ = played
    kinds, *_ = _expected(plan)
    counts = dict((row[0], row[1]) for row in figures.tables["intents"].rows)
    sent = sum(len(m) for s, m, _ in plan.conversations if not s.startswith("erase"))
    assert counts.pop("Rückfrage-Antworten (utter_fallback)") == 0
    assert sum(counts.values()) == sent
    assert counts["greet"] == kinds["greet"]
    quizzes = ("quit1", "quit2", "unplaced", "done", "good", "bad")
    finished = kinds["done"] + kinds["good"] + kinds["bad"]
    assert counts["start_quiz"] == sum(kinds[k] for k in quizzes)
    assert counts["inform"] == kinds["quit2"] + 3 * finished
    assert counts["faq_privacy"] == kinds["faq"]
    assert counts["feedback_positive"] == kinds["good"]
    assert counts["feedback_negative"] == kinds["bad"]
    assert figures.tables["unplaced"].rows == [["Ausbildung", "blumenkohl", kinds["unplaced"]]]


def test_cli_prints_the_same_figures(env_of, figures, monkeypatch, tmp_path):
    today = datetime.now(timezone.utc).date().isoformat()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "career_quiz.cli",
            "insights",
            "--since",
            today,
            "--until",
            today,
            "--csv-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, **env_of},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n\n", 1)[1].startswith("Trichter")
    assert insights.render_text(figures) in result.stdout
    for key, table in figures.tables.items():
        assert (tmp_path / f"{key}.csv").read_text(encoding="utf-8") == table.csv()


@pytest.fixture(scope="module")
def page(played, env_of, tmp_path_factory):
    """web/server.py on a free port, reading the stack's stores."""
    stack = played[0]
    port = free_port()
    log = tmp_path_factory.mktemp("web") / "web.log"
    env = {**os.environ, **env_of, "INSIGHTS_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    proc = start(
        [sys.executable, "web/server.py", "--port", str(port), "--socket-url", stack.rasa_url],
        log,
        env,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", proc, log, 60)
        yield f"http://127.0.0.1:{port}", log
    finally:
        stop_tree(proc)


def _html_tables(text: str) -> Dict[str, List[List[str]]]:
    found = {}
    for key, body in re.findall(r'<table data-table="(\w+)">(.*?)</table>', text, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
        found[key] = [
            [html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in rows
        ]
    return found


def test_insights_page_needs_the_token(page):
    url, _ = page
    assert requests.get(f"{url}/insights", timeout=30).status_code == 401
    assert requests.get(f"{url}/insights/funnel.csv", timeout=30).status_code == 401
    wrong = requests.get(f"{url}/insights", headers={"Authorization": "Bearer nope"}, timeout=30)
    assert wrong.status_code == 401 and 'name="token"' in wrong.text
    bad_login = requests.post(
        f"{url}/insights/login", data={"token": "nope"}, allow_redirects=False, timeout=30
    )
    assert bad_login.status_code == 401 and "Set-Cookie" not in bad_login.headers
    login = requests.post(
        f"{url}/insights/login", data={"token": TOKEN}, allow_redirects=False, timeout=30
    )
    assert login.status_code == 303
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
    session = requests.Session()
    session.cookies.update(login.cookies)
    assert session.get(f"{url}/insights", timeout=30).status_code == 200
    public = requests.get(f"{url}/", timeout=30).text
    assert "/insights" not in public


def test_insights_page_shows_every_figure(page, figures):
    url, _ = page
    today = datetime.now(timezone.utc).date().isoformat()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = requests.get(
        f"{url}/insights", params={"since": today, "until": today}, headers=auth, timeout=30
    )
    assert response.status_code == 200
    shown = _html_tables(response.text)
    assert set(shown) == set(figures.tables)
    for key, table in figures.tables.items():
        assert shown[key] == (table.display_rows() or [["Keine Daten im Zeitraum."]]), key
        csv = requests.get(
            f"{url}/insights/{key}.csv",
            params={"since": today, "until": today},
            headers=auth,
            timeout=30,
        )
        assert csv.status_code == 200 and csv.text == table.csv()
        assert csv.headers["Content-Type"].startswith("text/csv")
    assert response.text.count("<svg") == 3
    bad = requests.get(f"{url}/insights", params={"since": "gestern"}, headers=auth, timeout=30)
    assert bad.status_code == 400 and "JJJJ-MM-TT" in bad.text


def test_privacy_page(page):
    url, _ = page
    text = requests.get(f"{url}/datenschutz", timeout=30).text
    assert "90 Tage" in text and "Meine Daten löschen" in text


def test_logs_hold_no_message_text_and_no_sender_id(played, page):
    stack, plan, _, _ = played
    _, web_log = page
    logs = {path.name: path.read_text(errors="replace") for path in [*stack.logs, web_log]}
    assert "GET /insights" in logs["web.log"]  # the access log works, without addresses
    for name, text in logs.items():
        assert "127.0.0.1 -" not in text and TOKEN not in text, name
        for sender, _messages, _ in plan.conversations:
            assert sender not in text, (name, sender)
        for needle in ("Blumenkohl", "Was speichern Sie von mir", "Meine Daten löschen"):
            assert needle.lower() not in text.lower(), (name, needle)
