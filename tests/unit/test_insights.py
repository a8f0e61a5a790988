"""career_quiz/insights.py on a small hand-made tracker store and results database: the
definitions of the figures, turn by turn; periods, percentiles, grouping, CSV.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from career_quiz import insights
from career_quiz.repository import ResultRepository, make_engine, upgrade_schema
from career_quiz.results import ResultRecord

DAY = date(2026, 11, 20)
T0 = datetime(2026, 11, 20, 10, tzinfo=timezone.utc).timestamp()


def test_nearest_rank():
    assert insights.nearest_rank([], 0.5) is None
    assert insights.nearest_rank([5.0], 0.9) == 5.0
    values = [float(v) for v in range(1, 11)]
    assert insights.nearest_rank(values, 0.5) == 5.0
    assert insights.nearest_rank(values, 0.9) == 9.0
    assert insights.nearest_rank(list(reversed(values)), 0.9) == 9.0


def test_normalise_groups_spelling_variants():
    assert insights.normalise("  Blumenkohl! ") == insights.normalise("blumenkohl") == "blumenkohl"
    assert insights.normalise("„Gärtner   im Park“") == "gärtner im park"


def test_period():
    period = insights.Period.parse("2026-11-01", "2026-11-30")
    assert (period.end - period.start) == timedelta(days=30)
    assert len(period.days()) == 30
    assert insights.Period.parse(None, "2026-11-30").since == date(2026, 11, 1)
    assert len(insights.Period.last_days(today=DAY).days()) == insights.DEFAULT_DAYS
    for since, until in (("gestern", None), ("2026-12-01", "2026-11-01")):
        with pytest.raises(ValueError):
            insights.Period.parse(since, until)


def test_table_csv():
    table = insights.Table("t", "T", ["a", "b"], [["x, y", 1], ["z", None]])
    assert table.csv() == 'a,b\n"x, y",1\nz,\n'


def _event(conn, sender, kind, stamp, name=None, intent=None, **data):
    conn.execute(
        insights.EVENTS.insert().values(
            sender_id=sender,
            type_name=kind,
            timestamp=stamp,
            intent_name=intent,
            action_name=name,
            data=json.dumps({"event": kind, "timestamp": stamp, **data}),
        )
    )


@pytest.fixture
def sources(tmp_path):
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    results = f"sqlite:///{tmp_path / 'quiz.db'}"
    engine = make_engine(tracker)
    insights.EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        # A: finished in 3 messages and 30 s, with helpful feedback.
        _event(conn, "A", "user", T0, intent="start_quiz", text="/start_quiz")
        _event(conn, "A", "slot", T0 + 1, "requested_slot", value="training")
        _event(conn, "A", "user", T0 + 10, intent="inform", text="Bürokauffrau")
        _event(conn, "A", "slot", T0 + 11, "training", value=["office"])
        _event(conn, "A", "slot", T0 + 11, "requested_slot", value="languages")
        _event(conn, "A", "user", T0 + 30, intent="inform", text="nur Deutsch")
        _event(conn, "A", "slot", T0 + 31, "languages", value=[])
        _event(conn, "A", "slot", T0 + 31, "task_preference", value="assistance")
        _event(conn, "A", "action", T0 + 31, "action_recommend_variant")
        _event(conn, "A", "user", T0 + 40, intent="feedback_positive", text="Ja")
        _event(conn, "A", "action", T0 + 41, "action_store_feedback")
        # B: an unplaced answer, a reset (slot set to None), gone at the languages question.
        _event(conn, "B", "user", T0, intent="start_quiz", text="Quiz starten")
        _event(conn, "B", "slot", T0 + 1, "requested_slot", value="training")
        _event(conn, "B", "user", T0 + 5, intent="out_of_scope", text="Gärtner!")
        _event(conn, "B", "bot", T0 + 6, metadata={"utter_action": "utter_wrong_training"})
        _event(conn, "B", "user", T0 + 8, intent="inform", text="Industriekaufmann")
        _event(conn, "B", "slot", T0 + 9, "training", value=["commercial_other"])
        _event(conn, "B", "slot", T0 + 9, "training", value=None)
        _event(conn, "B", "slot", T0 + 9, "requested_slot", value="languages")
        _event(conn, "B", "action", T0 + 9, "action_not_understood")
        _event(conn, "B", "bot", T0 + 9, metadata={"utter_action": "utter_fallback"})
        # C: a question only; D: only a session start (no message), E: before the period.
        _event(conn, "C", "user", T0, intent="faq_privacy", text="Datenschutz?")
        _event(conn, "D", "session_started", T0)
        _event(conn, "E", "user", T0 - 86400, intent="greet", text="Hallo")
    engine.dispose()
    res = make_engine(results)
    upgrade_schema(res)
    repo = ResultRepository(res, "salt")
    created = datetime.fromtimestamp(T0 + 31, timezone.utc)
    repo.store_result(
        ResultRecord(
            "h1",
            {},
            {"secretarial": 60, "specialist": 55, "project_management": 10},
            "secretarial",
            "r",
            created_at=created,
        )
    )
    repo.store_feedback("h1", "helpful")
    repo.store_result(
        ResultRecord(
            "h2",
            {},
            {"secretarial": 10, "specialist": 90, "project_management": 10},
            "specialist",
            "r",
            created_at=created,
        )
    )
    repo.store_feedback("h2", "not_helpful")
    repo.store_result(
        ResultRecord(
            "h3",
            {},
            {"secretarial": 10, "specialist": 90, "project_management": 10},
            "specialist",
            "r",
            created_at=created - timedelta(days=2),
        )
    )
    res.dispose()
    return insights.Sources(tracker_url=tracker, results_url=results, close_margin=8)


def test_figures_of_a_small_store(sources):
    figures = insights.compute(sources, insights.Period(DAY, DAY))
    funnel = {row[0]: row[1:] for row in figures.tables["funnel"].rows}
    assert funnel["Gespräche"] == [3, 1.0]
    assert funnel["Quiz begonnen"] == [2, round(2 / 3, 4)]
    assert funnel["Frage beantwortet: Ausbildung"] == [2, round(2 / 3, 4)]
    assert funnel["Frage beantwortet: Fremdsprachen"] == [1, round(1 / 3, 4)]
    assert funnel["Ergebnis gezeigt"] == [1, round(1 / 3, 4)]
    assert funnel["Rückmeldung gegeben"] == [1, round(1 / 3, 4)]
    assert funnel["Abschlussquote (Ergebnis / begonnen)"] == [1, 0.5]
    assert figures.tables["dropoff"].rows == [
        ["Ausbildung", 0, 0.0],
        ["Fremdsprachen", 1, 0.5],
        ["Arbeitsvorliebe", 0, 0.0],
    ]
    assert figures.tables["duration"].rows == [
        ["Sekunden", 31.0, 31.0, 1],
        ["Nachrichten", 3.0, 3.0, 1],
    ]
    assert figures.tables["variants_daily"].rows == [["2026-11-20", 1, 1, 0, 2]]
    assert figures.tables["variants"].rows == [
        ["Sekretariat / Teamassistenz", 1, 1, 1, 0, 1.0],
        ["Fach-Backoffice", 1, 0, 0, 1, 0.0],
        ["Projektassistenz", 0, 0, 0, 0, None],
    ]
    assert figures.tables["variants"].display_rows()[0][-1] == "100,0 %"
    assert figures.tables["variants"].display_rows()[2][-1] == "–"
    assert figures.tables["funnel"].display_rows()[1] == ["Quiz begonnen", "2", "66,7 %"]
    assert figures.tables["duration"].display_rows()[0] == ["Sekunden", "31", "31", "1"]
    intents = dict((r[0], r[1]) for r in figures.tables["intents"].rows)
    assert intents == {
        "start_quiz": 2,
        "inform": 3,
        "feedback_positive": 1,
        "out_of_scope": 1,
        "faq_privacy": 1,
        "Rückfrage-Antworten (utter_fallback)": 1,
    }
    assert figures.tables["unplaced"].rows == [["Ausbildung", "gärtner", 1]]
    text = insights.render_text(figures)
    assert "Zeitraum: 2026-11-20 bis 2026-11-20" in text and "gärtner" in text
    assert "Abschlussquote (Ergebnis / begonnen)  1          50,0 %" in text
    assert "training" not in text and "secretarial" not in text


def test_no_tracker_table_yet(tmp_path):
    results = f"sqlite:///{tmp_path / 'quiz.db'}"
    upgrade_schema(make_engine(results))
    empty = insights.Sources(f"sqlite:///{tmp_path / 'tracker.db'}", results, 8)
    figures = insights.compute(empty, insights.Period(DAY, DAY))
    assert figures.value("funnel", "Gespräche") == 0
    assert figures.tables["unplaced"].rows == []
    assert sa.inspect(make_engine(empty.tracker_url)).get_table_names() == []
