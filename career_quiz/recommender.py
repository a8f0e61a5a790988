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


# -- texts ----------------------------------------------------------------


def _strengths(rec: Recommendation, variant: str, share: float) -> List[Factor]:
    return [
        f
        for f in rec.factors
        if f.max_points[variant] and f.points[variant] >= share * f.max_points[variant]
    ]


def _join(parts: Sequence[str]) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]


def _condition_holds(when: Dict[str, Any], answers: Dict[str, Any]) -> bool:
    training = set(answers.get("training") or [])
    if "training_any" in when and not training & set(when["training_any"]):
        return False
    if "training_none_of" in when and training & set(when["training_none_of"]):
        return False
    if "task" in when and answers.get("task_preference") != when["task"]:
        return False
    if "max_level_below" in when:
        threshold = LEVELS.index(when["max_level_below"])
        if any(
            level >= threshold
            for level in _language_levels(answers.get("languages") or []).values()
        ):
            return False
    return True


def next_steps(variant: str, answers: Dict[str, Any], rub: Optional[Rubric] = None) -> List[str]:
    """The next-step suggestions for `variant` whose conditions hold for `answers`."""
    rub = rub or rubric()
    steps = rub.data["next_steps"]
    chosen = [s["text"] for s in steps[variant] if _condition_holds(s.get("when", {}), answers)]
    return chosen + [s["text"] for s in steps.get("always", [])]


def render_recommendation(
    rec: Recommendation, answers: Dict[str, Any], rub: Optional[Rubric] = None
) -> str:
    """The German recommendation message (Markdown: bold and a list)."""
    rub = rub or rubric()
    data = rub.data
    share = float(data["strength_share"])
    best, runner = rec.variant, rec.runner_up
    lines = []
    if rec.close:
        lines.append(
            rub.message(
                "heading_close",
                title=rub.title(best),
                score=rec.scores[best],
                runner_title=rub.title(runner),
                runner_score=rec.scores[runner],
            )
        )
    else:
        lines.append(rub.message("heading", title=rub.title(best), score=rec.scores[best]))
    lines.append(data["variants"][best]["summary"])
    reasons = [label for f in _strengths(rec, best, share) for label in f.labels[:1]]
    lines.append(rub.message("why", reasons=_join(reasons)) if reasons else rub.message("why_none"))

    key = "runner_up" if rec.close else "runner_up_far"
    runner_line = rub.message(key, title=rub.title(runner), score=rec.scores[runner])
    strong = {f.name for f in _strengths(rec, runner, share)}
    needs = [
        data["variants"][runner]["needs"][f.name]
        for f in rec.factors
        if f.name not in strong and f.name in data["variants"][runner]["needs"]
    ]
    runner_line += " " + (
        rub.message("runner_up_needs", needs=_join(needs))
        if needs
        else rub.message("runner_up_fits")
    )
    lines.append(runner_line)

    lines.append(rub.message("next_steps"))
    steps = next_steps(best, answers, rub)
    if rec.close:
        # Both close variants get their most important step.
        steps = next_steps(runner, answers, rub)[:1] + steps
        steps = list(dict.fromkeys(steps))
    lines.extend(f"- {step}" for step in steps)
    return "\n".join(lines)


def render_explanation(
    rec: Recommendation,
    answers: Dict[str, Any],
    rub: Optional[Rubric] = None,
    skipped: Sequence[str] = (),
) -> str:
    """The detailed "Warum?" text: every answer part with its points per variant.

    `skipped` names the questions the user skipped; each gets a line saying so.
    """
    rub = rub or rubric()
    lines = [rub.message("explain_intro")]
    short = {v: rub.title(v).split(" (")[0] for v in VARIANTS}
    for factor in rec.factors:
        for detail in factor.details:
            points = ", ".join(f"{short[v]} {detail['points'].get(v, 0)}" for v in VARIANTS)
            lines.append(rub.message("explain_factor", label=detail["label"], points=points))
    for slot in skipped:
        if f"explain_skipped_{slot}" in rub.data["messages"]:
            lines.append(rub.message(f"explain_skipped_{slot}"))
    if not answers.get("training") and "training" not in skipped:
        lines.append(rub.message("explain_unknown"))
    lines.append(render_scores(rec, rub))
    lines.append(rub.message("explain_outro"))
    return "\n".join(lines)


def render_scores(rec: Recommendation, rub: Optional[Rubric] = None) -> str:
    """One line with the three totals, best first ("Punkte: Fach-Backoffice 89, …").

    Readable as text (rasa shell, screen readers); the web widget draws it as bars.
    """
    rub = rub or rubric()
    short = {v: rub.title(v).split(" (")[0] for v in VARIANTS}
    totals = ", ".join(f"{short[v]} {rec.scores[v]}" for v in rec.ranking())
    return rub.message("scores", scores=totals)
