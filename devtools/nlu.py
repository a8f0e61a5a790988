"""Scores the trained model's NLU on a Rasa NLU file: intents and entities.

The one scorer for `make test` (scripts/nlu_eval.py, held-out file, fails below the bar)
and `make report` (bench/report.py, held-out file and training data). Every example is
parsed by the trained model (the same pipeline the server runs). Entities count as
found on an exact (label, start, end) match, micro-averaged. Rasa's own `rasa test nlu`
skips SpacyEntityExtractor in its entity evaluation (it counts it as "pretrained"),
which is why entities are scored here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

ENTITY_EXTRACTOR = "SpacyEntityExtractor"
Span = Tuple[str, int, int]


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts; 1.0 when there is nothing to find and nothing was found."""
    if tp == 0 and fp == 0 and fn == 0:
        return 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def intent_macro_f1(pairs: Sequence[Tuple[str, str]]) -> float:
    """Macro-F1 over the gold intents: each intent's F1, averaged with equal weight."""
    labels = sorted({gold for gold, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores.append(f1(tp, fp, fn))
    return sum(scores) / len(scores)


def spans(entities: Iterable[Dict[str, Any]], extractor: Optional[str] = None) -> Set[Span]:
    """(label, start, end) of each entity, only `extractor`'s when given."""
    return {
        (e["entity"], e["start"], e["end"])
        for e in entities
        if extractor is None or e.get("extractor") == extractor
    }


def score(parsed: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Intent and entity scores of parsed examples (see `parse_file`).

    Only some intents carry entity annotations (the answers, `inform`); entities the
    ruler finds in other examples (a level word in a question, say) count as false
    positives there, so entity F1 is also given for the annotated intents alone.
    """
    annotated = {p["intent"] for p in parsed if p["gold"]}
    counts = {"all": [0, 0, 0], "annotated": [0, 0, 0]}
    errors, entity_errors = [], []
    for p in parsed:
        gold, predicted = p["gold"], p["predicted"]
        delta = (len(gold & predicted), len(predicted - gold), len(gold - predicted))
        for key in ["all"] + (["annotated"] if p["intent"] in annotated else []):
            counts[key] = [a + b for a, b in zip(counts[key], delta)]
        error = {
            "text": p["text"],
            "intent": p["intent"],
            "predicted_intent": p["predicted_intent"],
            "confidence": p["confidence"],
            "missed_entities": sorted(gold - predicted),
            "extra_entities": sorted(predicted - gold),
        }
        if p["predicted_intent"] != p["intent"] or predicted != gold:
            errors.append(error)
        if predicted != gold and p["intent"] in annotated:
            entity_errors.append(error)
    pairs = [(p["intent"], p["predicted_intent"]) for p in parsed]
    tp, _, fn = counts["all"]
    return {
        "examples": len(parsed),
        "intent_macro_f1": intent_macro_f1(pairs),
        "intent_accuracy": sum(g == p for g, p in pairs) / len(pairs),
        "entity_f1": f1(*counts["all"]),
        "entities": tp + fn,
        "annotated_intents": sorted(annotated),
        "annotated_examples": sum(1 for p in parsed if p["intent"] in annotated),
        "entity_f1_annotated": f1(*counts["annotated"]),
        "errors": errors,
        "entity_errors": entity_errors,
    }


def load_agent(model: str):
    """The trained model as a Rasa Agent, with Rasa's logging turned down to warnings."""
    import logging

    from rasa.core.agent import Agent

    try:
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)
    except ImportError:
        pass
    logging.getLogger("rasa").setLevel(logging.WARNING)
    return Agent.load(model)


async def parse_file(agent, nlu_file: str) -> List[Dict[str, Any]]:
    """Every example of `nlu_file` with its gold and predicted intent and entity spans."""
    from rasa.shared.nlu.training_data.loading import load_data

    parsed = []
    for example in load_data(nlu_file).intent_examples:
        result = await agent.parse_message(example.get("text"))
        parsed.append(
            {
                "text": example.get("text"),
                "intent": example.get("intent"),
                "predicted_intent": result["intent"]["name"],
                "confidence": round(result["intent"]["confidence"], 3),
                "gold": spans(example.get("entities", [])),
                "predicted": spans(result["entities"], ENTITY_EXTRACTOR),
            }
        )
    return parsed


def evaluate(model: str, nlu_files: Sequence[str]) -> Dict[str, Dict[str, Any]]:
    """`score` of each file, the model loaded once for all."""
    agent = load_agent(model)
    return {name: score(asyncio.run(parse_file(agent, name))) for name in nlu_files}


def main(argv: Optional[List[str]] = None) -> int:
    """Scores the held-out file, writes results/nlu/heldout.json, checks the thresholds."""
    parser = argparse.ArgumentParser(description="NLU evaluation on the held-out test file")
    parser.add_argument("--model", default="models/quiz.tar.gz")
    parser.add_argument("--nlu", default="tests/nlu/test_nlu.yml")
    parser.add_argument("--out", default="results/nlu/heldout.json")
    # The batch that added side questions, job ads, privacy, advice and corrections
    # (about 25 new intents) took the held-out intent macro-F1 from 0.921 to 0.878 and
    # the bar to 0.87 for a while. Routing questions by classifier and facts instead of
    # overriding the classifier's topic (career_quiz/side_topics.py), farewell and
    # criticism words for short messages, and new feedback and goodbye examples won it
    # back to 0.904 (issue 16); the bar is 0.90 again.
    parser.add_argument("--min-f1", type=float, default=0.90)
    args = parser.parse_args(argv)
    scores = evaluate(args.model, [args.nlu])[args.nlu]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(scores, ensure_ascii=False, indent=2), encoding="utf-8")
    for error in scores["errors"][:25]:
        print(
            f"  {error['intent']:>24} -> {error['predicted_intent']:<24} {error['text']!r}"
            f" missed={error['missed_entities']} extra={error['extra_entities']}"
        )
    print(
        f"NLU held-out ({scores['examples']} examples, {scores['entities']} entities): "
        f"intent macro-F1 {scores['intent_macro_f1']:.3f}, "
        f"intent accuracy {scores['intent_accuracy']:.3f}, entity F1 {scores['entity_f1']:.3f}"
    )
    failed = [k for k in ("intent_macro_f1", "entity_f1") if scores[k] < args.min_f1]
    if failed:
        print(f"FAILED: {', '.join(failed)} below {args.min_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
