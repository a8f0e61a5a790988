"""The recommender: canonical answers + rubric -> scores, variant and German texts.

Plain Python (no rasa_sdk). All weights, thresholds and texts come from
data/knowledge/rubric.yml; this module only applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from career_quiz import settings
from career_quiz.contract import LEVELS, TASK_VALUES, TRAINING_VALUES

VARIANTS = ("secretarial", "specialist", "project_management")


@dataclass
class Factor:
    """One scored part of the answers, with its points per variant."""

    name: str  # "training", "task_preference" or "languages"
    labels: List[str]  # the answer parts that earned points, for the explanation
    points: Dict[str, int]
    max_points: Dict[str, int]
    details: List[Dict[str, Any]] = field(default_factory=list)  # (label, points) per part


@dataclass
class Recommendation:
    """The scored result of one quiz."""

    variant: str
    runner_up: str
    scores: Dict[str, int]
    close: bool
    factors: List[Factor]
    rubric_version: str

    def ranking(self) -> List[str]:
        """Variants from best to worst; ties keep the rubric's order."""
        return sorted(VARIANTS, key=lambda v: (-self.scores[v], VARIANTS.index(v)))


@dataclass
class Rubric:
    """The rubric file, read once."""

    data: Dict[str, Any]

    @property
    def version(self) -> str:
        """The rubric version stored with every result."""
        return str(self.data["version"])

    def title(self, variant: str) -> str:
        """German display title of a variant."""
        return self.data["variants"][variant]["title"]

    def message(self, key: str, **values: Any) -> str:
        """A German message template from the rubric, filled in."""
        return self.data["messages"][key].format(**values)


def load_rubric(path: Optional[Path] = None) -> Rubric:
    """Reads rubric.yml and checks that it covers every variant and answer value."""
    path = path or settings.knowledge_dir() / "rubric.yml"
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    _check_rubric(data)
    return Rubric(data)


@lru_cache(maxsize=1)
def rubric() -> Rubric:
    """The project rubric, read once per process on first use."""
    return load_rubric()


def _check_rubric(data: Dict[str, Any]) -> None:
    missing = [v for v in VARIANTS if v not in data["variants"]]
    missing += [t for t in TRAINING_VALUES if t not in data["training"]["options"]]
    missing += [t for t in TASK_VALUES if t not in data["task_preference"]["options"]]
    for group in ("training", "task_preference"):
        for key, option in data[group]["options"].items():
            missing += [f"{group}.{key}.{v}" for v in VARIANTS if v not in option["points"]]
    if missing:
        raise ValueError(f"rubric.yml is missing entries: {', '.join(missing)}")


# -- scoring --------------------------------------------------------------


def _language_levels(languages: Sequence[str]) -> Dict[str, int]:
    """Foreign language code -> level index (German is not a foreign language here)."""
    levels = {}
    for entry in languages or []:
        code, _, level = entry.partition(":")
        if code != "de" and level in LEVELS:
            levels[code] = LEVELS.index(level)
    return levels


def _rule_applies(when: Dict[str, Any], levels: Dict[str, int]) -> bool:
    min_level = LEVELS.index(when.get("min_level", "basic"))
    qualifying = [code for code, level in levels.items() if level >= min_level]
    if "language" in when:
        return when["language"] in qualifying
    return len(qualifying) >= int(when.get("min_count", 1))


def _training_factor(training: Sequence[str], section: Dict[str, Any]) -> Factor:
    options = section["options"]
    max_points = {v: max(o["points"][v] for o in options.values()) for v in VARIANTS}
    bonus = section.get("broad_profile")
    if bonus:
        for v in VARIANTS:
            max_points[v] += bonus["points"][v]
    given = [t for t in training or [] if t in options]
    points = {v: max((options[t]["points"][v] for t in given), default=0) for v in VARIANTS}
    details = [{"label": options[t]["label"], "points": options[t]["points"]} for t in given]
    qualified = [t for t in given if t not in ("none", "other")]
    if bonus and len(qualified) >= int(bonus["min_trainings"]):
        for v in VARIANTS:
            points[v] += bonus["points"][v]
        details.append({"label": bonus["label"], "points": bonus["points"]})
    labels = [options[t]["label"] for t in given]
    return Factor("training", labels, points, max_points, details)


def _task_factor(task: Optional[str], section: Dict[str, Any]) -> Factor:
    options = section["options"]
    max_points = {v: max(o["points"][v] for o in options.values()) for v in VARIANTS}
    if task not in options:
        return Factor("task_preference", [], {v: 0 for v in VARIANTS}, max_points)
    option = options[task]
    details = [{"label": option["label"], "points": option["points"]}]
    return Factor("task_preference", [option["label"]], dict(option["points"]), max_points, details)


def _language_factor(languages: Sequence[str], section: Dict[str, Any]) -> Factor:
    cap = int(section["cap"])
    levels = _language_levels(languages)
    points = {v: 0 for v in VARIANTS}
    labels, details = [], []
    for rule in section["rules"]:
        if _rule_applies(rule["when"], levels):
            labels.append(rule["label"])
            details.append({"label": rule["label"], "points": rule["points"]})
            for v in VARIANTS:
                points[v] += int(rule["points"].get(v, 0))
    max_points = {}
    for v in VARIANTS:
        max_points[v] = min(cap, sum(int(r["points"].get(v, 0)) for r in section["rules"]))
        points[v] = min(points[v], max_points[v])
    return Factor("languages", labels, points, max_points, details)


def score(answers: Dict[str, Any], rub: Optional[Rubric] = None) -> Recommendation:
    """Scores all three variants for canonical `answers` (slot names as keys).

    Each variant's score is its points as a share of the most it could get,
    so every variant is on the same 0-100 scale.
    """
    rub = rub or rubric()
    data = rub.data
    factors = [
        _training_factor(answers.get("training") or [], data["training"]),
        _task_factor(answers.get("task_preference"), data["task_preference"]),
        _language_factor(answers.get("languages") or [], data["languages"]),
    ]
    scores = {}
    for v in VARIANTS:
        raw = sum(f.points[v] for f in factors)
        best = sum(f.max_points[v] for f in factors)
        scores[v] = round(100 * raw / best) if best else 0
    ranking = sorted(VARIANTS, key=lambda v: (-scores[v], VARIANTS.index(v)))
    winner, runner = ranking[0], ranking[1]
    close = scores[winner] - scores[runner] < int(data["close_margin"])
    return Recommendation(winner, runner, scores, close, factors, rub.version)
