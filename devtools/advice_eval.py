"""Plays the held-out visitor profiles through the running servers and checks the advice.

tests/job_ads/profiles.yml and tests/job_ads_fresh/profiles.yml were written by a helper
who never read the bot's training data or code: three free-text answers per visitor,
their canonical values, the variant and field a careers counsellor would point to, what
the visitor already has, and courses whose admission rules the visitor clearly does not
meet. Each profile gets a new conversation: the quiz is started and each answer is typed
at its question (a question the bot asks again is skipped with its button, so the next
answer still lands at its own question). Then "Warum?", "Alle nächsten Schritte" and
"Andere Varianten" are asked for.

Checked per profile:
* variant: the stored `recommended_variant` is `expected_variant`;
* field (reported, not gated): the stored `answer_details.specialist_field` is `field`;
* inadmissible: no course of `inadmissible` is named anywhere in the result texts;
* parts (gated in the test): the result message has at most MAX_FIRST characters, and
  "Warum?", "Alle nächsten Schritte" and "Andere Varianten" each answer with their text
  and the feedback buttons;
* gaps already met: no gap sentence ("Dafür brauchen Sie noch …"; earlier "Dafür fehlt
  Ihnen noch …" and "Dafür bräuchten Sie …") names an item of `already_has`. A language
  counts as met only at the level the variants ask for (good, domain.md: "gute bis sehr gute
  Englischkenntnisse", "meist gutes Englisch"): "gutes Englisch" as a gap for someone
  with school English is a real gap.

Used by tests/integration/test_advice_live.py (the gate in `make test`);
`python -m devtools.advice_eval [--set fresh|tuning] [--model PATH]` prints the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "tuning": ROOT / "tests" / "job_ads" / "profiles.yml",
    # Their misses were read to tune the advice on 2026-12-03 (fresh2 from the second
    # session that day, fresh3's since 2026-12-05's fifth session, fresh4's since its
    # sixth); fresh5 is the untouched set (devtools/untouched.py).
    "fresh": ROOT / "tests" / "job_ads_fresh" / "profiles.yml",
    "fresh2": ROOT / "tests" / "job_ads_fresh2" / "profiles.yml",
    "fresh3": ROOT / "tests" / "job_ads_fresh3" / "profiles.yml",
    "fresh4": ROOT / "tests" / "job_ads_fresh4" / "profiles.yml",
    "fresh5": ROOT / "tests" / "job_ads_fresh5" / "profiles.yml",
}
UNTOUCHED = "fresh5"
QUIZ_ORDER = ("training", "languages", "task_preference")
SKIP = '/inform{"skip": true}'
REQUESTS = {"why": "/ask_why", "steps": "/show_next_steps", "others": "/show_other_variants"}
# What each part on request starts with (data/knowledge/texts.yml, `advice`).
PART_MARKS = {
    "why": "So ist die Empfehlung entstanden",
    "steps": "Ihre nächsten Schritte",
    "others": "Die anderen Varianten",
}
GAP_OPENERS = ("Dafür brauchen Sie noch", "Dafür fehlt Ihnen noch", "Dafür bräuchten Sie")
LEVELS = ("basic", "good", "fluent", "business", "native")
REQUIRED_LEVEL = "good"
LANGUAGE_NAMES = {
    "englisch": "en",
    "französisch": "fr",
    "spanisch": "es",
    "italienisch": "it",
    "russisch": "ru",
    "polnisch": "pl",
    "türkisch": "tr",
    "tschechisch": "cs",
    "niederländisch": "nl",
    "portugiesisch": "pt",
    "arabisch": "ar",
    "chinesisch": "zh",
    "japanisch": "ja",
    "ukrainisch": "uk",
    "griechisch": "el",
    "kroatisch": "hr",
    "rumänisch": "ro",
    "ungarisch": "hu",
}


@dataclass
class Outcome:
    """One played profile."""

    id: str
    expected_variant: str
    variant: Optional[str]
    expected_field: Optional[str]
    field: Optional[str]
    inadmissible_named: List[str] = field(default_factory=list)
    met_gaps: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    texts: Dict[str, str] = field(default_factory=dict)
    # The result message's length, and whether each part came on request with the
    # feedback buttons still at hand.
    first_length: int = 0
    parts_ok: bool = False

    @property
    def variant_ok(self) -> bool:
        """The stored variant is the expected one."""
        return self.variant == self.expected_variant


def load_profiles(path: Path) -> List[Dict[str, Any]]:
    """The items of a profile file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


def normalise(text: str) -> str:
    """Lowercase, gendered endings dropped: "Fachwirt/in für …" -> "fachwirt für …"."""
    text = text.lower().replace("**", "")
    text = re.sub(r"/-?[a-zäöüß]+", "", text)  # "/in", "/r", "/-frau"
    text = re.sub(r"^geprüfte?r? ", "", text)
    return re.sub(r"\s+", " ", text)


def gap_sentences(text: str) -> List[str]:
    """The sentences that name what a visitor lacks."""
    found = []
    for opener in GAP_OPENERS:
        for match in re.finditer(re.escape(opener) + r"[^.]*\.", text):
            found.append(match.group(0))
    return found


def _level_of(code: str, canonical: Dict[str, Any]) -> int:
    for entry in canonical.get("languages") or []:
        c, _, level = str(entry).partition(":")
        if c == code and level in LEVELS:
            return LEVELS.index(level)
    return -1


def met_gaps(texts: List[str], item: Dict[str, Any]) -> List[str]:
    """Items of `already_has` that a gap sentence names although the visitor has them."""
    named = []
    sentences = [s.lower() for text in texts for s in gap_sentences(text)]
    for has in item.get("already_has") or []:
        key = str(has).lower()
        code = LANGUAGE_NAMES.get(key)
        if code and _level_of(code, item["canonical"]) < LEVELS.index(REQUIRED_LEVEL):
            continue  # a gap asking for a better level than the visitor has is real
        if any(key in sentence for sentence in sentences):
            named.append(str(has))
    return named


def inadmissible_named(texts: List[str], item: Dict[str, Any]) -> List[str]:
    """Courses of `inadmissible` that the result texts name."""
    whole = normalise(" ".join(texts))
    return [str(n) for n in item.get("inadmissible") or [] if normalise(str(n)) in whole]


def _texts(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


def play(stack, item: Dict[str, Any]) -> Outcome:
    """Plays one profile in a new conversation and reads slots and texts."""
    sender = f"adv-{uuid.uuid4().hex[:12]}"
    stack.send(sender, "/start_quiz")
    result: List[Dict[str, Any]] = []
    skipped = []
    for slot in QUIZ_ORDER:
        replies = stack.send(sender, item["answers"][slot])
        for _ in range(2):  # asked again: skip, so the next answer meets its question
            if stack.tracker(sender)["slots"].get("requested_slot") != slot:
                break
            skipped.append(slot)
            replies = stack.send(sender, SKIP)
        result = replies
    texts = {"result": _texts(result)}
    first = [str(r.get("text") or "") for r in result if "von 100 Punkten" in str(r.get("text"))]
    parts_ok = bool(first)
    for key, payload in REQUESTS.items():
        replies = stack.send(sender, payload)
        texts[key] = _texts(replies)
        payloads = {b.get("payload") for r in replies for b in r.get("buttons") or []}
        parts_ok = parts_ok and PART_MARKS[key] in texts[key] and "/feedback_positive" in payloads
    slots = stack.tracker(sender)["slots"]
    details = slots.get("answer_details") or {}
    all_texts = list(texts.values())
    return Outcome(
        id=str(item["id"]),
        expected_variant=str(item["expected_variant"]),
        variant=slots.get("recommended_variant"),
        expected_field=item.get("field"),
        field=details.get("specialist_field") if isinstance(details, dict) else None,
        inadmissible_named=inadmissible_named(all_texts, item),
        met_gaps=met_gaps(all_texts, item),
        skipped=skipped,
        texts=texts,
        first_length=max((len(t) for t in first), default=0),
        parts_ok=parts_ok,
    )


def evaluate(stack, path: Path, workers: int = 3) -> Dict[str, Any]:
    """Plays every profile of `path`; returns the figures and every outcome."""
    items = load_profiles(path)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda item: play(stack, item), items))
    n = len(outcomes)
    specialist = [o for o in outcomes if o.expected_variant == "specialist" and o.expected_field]
    return {
        "set": path.relative_to(ROOT).as_posix(),
        "profiles": n,
        "variant_accuracy": round(sum(o.variant_ok for o in outcomes) / n, 4),
        "field_accuracy": round(
            sum(o.field == o.expected_field for o in specialist) / max(len(specialist), 1), 4
        ),
        "specialist_profiles": len(specialist),
        "inadmissible": sum(len(o.inadmissible_named) for o in outcomes),
        "met_gaps": sum(len(o.met_gaps) for o in outcomes),
        "longest_first_message": max(o.first_length for o in outcomes),
        "parts_missing": sum(not o.parts_ok for o in outcomes),
        "outcomes": [asdict(o) | {"variant_ok": o.variant_ok} for o in outcomes],
    }


def summary_lines(report: Dict[str, Any]) -> List[str]:
    """The figures, then one line per profile with a problem."""
    lines = [
        f"{report['set']}: {report['profiles']} profiles",
        f"variant as expected: {report['variant_accuracy']:.1%}",
        f"specialist field as expected: {report['field_accuracy']:.1%}"
        f" (of {report['specialist_profiles']})",
        f"inadmissible suggestions: {report['inadmissible']}",
        f"gaps the visitor already meets: {report['met_gaps']}",
        f"longest first result message: {report['longest_first_message']} characters",
        f"results without all parts on request: {report['parts_missing']}",
    ]
    for o in report["outcomes"]:
        problems = []
        if not o["variant_ok"]:
            problems.append(f"variant {o['variant']} (expected {o['expected_variant']})")
        if o["inadmissible_named"]:
            problems.append(f"inadmissible {o['inadmissible_named']}")
        if o["met_gaps"]:
            problems.append(f"gap already met {o['met_gaps']}")
        if problems:
            lines.append(f"  {o['id']}: " + "; ".join(problems))
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    """Starts a stack, plays a set and prints (and optionally writes) the figures."""
    from devtools.stack import running_stack

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="fresh")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "quiz.tar.gz")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "advice_eval")
    parser.add_argument("--json", type=Path, help="write the whole report here")
    args = parser.parse_args(argv)
    with running_stack(args.workdir, model=args.model) as stack:
        report = evaluate(stack, SETS[args.set])
    for line in summary_lines(report):
        print(line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
