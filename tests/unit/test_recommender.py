"""Recommender: the table of profiles (tests/data/profiles.yml) and score properties.

The result texts (career_quiz/advice.py) are tested in test_advice.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from career_quiz.recommender import VARIANTS, Rubric, load_rubric, score

# The one table of expected variants, shared with `make report` (bench/report.py).
PROFILES_FILE = Path(__file__).resolve().parents[1] / "data" / "profiles.yml"
PROFILES = yaml.safe_load(PROFILES_FILE.read_text(encoding="utf-8"))["profiles"]


def test_profile_table_is_complete_and_canonical():
    assert len(PROFILES) >= 56  # P01-P50 (report) and T01-T06 (this test's own)
    assert len({p["id"] for p in PROFILES}) == len(PROFILES)
    for p in PROFILES:
        assert set(p["answers"]) == {"training", "languages", "task_preference"}, p["id"]
        assert {p["expected"], *(p.get("also_fine") or [])} <= set(VARIANTS), p["id"]


@pytest.mark.parametrize("profile", PROFILES, ids=[p["id"] for p in PROFILES])
def test_profiles(profile):
    rec = score(profile["answers"])
    assert set(rec.scores) == set(VARIANTS)
    assert all(0 <= s <= 100 for s in rec.scores.values())
    assert rec.scores[rec.variant] == max(rec.scores.values())
    if profile.get("also_fine"):  # borderline: an alternative the expert accepts will do
        assert rec.variant in [profile["expected"], *profile["also_fine"]], rec.scores
    else:
        assert rec.variant == profile["expected"], rec.scores


def test_best_possible_profile_scores_100():
    answers = {
        "training": ["bank_insurance", "degree"],
        "languages": ["en:business", "cs:business"],
        "task_preference": "specialist",
    }
    assert score(answers).scores["specialist"] == 100


def test_empty_answers_score_low_and_tie():
    rec = score({"training": [], "languages": [], "task_preference": "unsure"})
    assert len(set(rec.scores.values())) == 1
    assert rec.close


def test_german_is_not_a_foreign_language():
    base = {"training": ["office"], "task_preference": "assistance"}
    assert (
        score({**base, "languages": ["de:good"]}).scores == score({**base, "languages": []}).scores
    )


def test_result_records_rubric_version(tmp_path):
    # The version of the rubric that scored the answers, not a fixed or cached one.
    answers = {"training": ["office"], "languages": [], "task_preference": "unsure"}
    data = yaml.safe_load(open("data/knowledge/rubric.yml", encoding="utf-8"))
    project_version = str(data["version"])
    data["version"] = "test-rubric-42"
    path = tmp_path / "rubric.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert score(answers, load_rubric(path)).rubric_version == "test-rubric-42"
    assert score(answers).rubric_version == project_version != "test-rubric-42"


def test_rubric_weights_come_from_the_file(tmp_path):
    data = yaml.safe_load(open("data/knowledge/rubric.yml", encoding="utf-8"))
    data["task_preference"]["options"]["assistance"]["points"] = {
        "secretarial": 0,
        "specialist": 40,
        "project_management": 0,
    }
    rub = Rubric(data)
    answers = {"training": ["none"], "languages": [], "task_preference": "assistance"}
    assert score(answers, rub).variant == "specialist"


def test_incomplete_rubric_is_rejected(tmp_path):
    data = yaml.safe_load(open("data/knowledge/rubric.yml", encoding="utf-8"))
    del data["training"]["options"]["degree"]
    path = tmp_path / "rubric.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="degree"):
        load_rubric(path)
