"""Evaluates the trained model on the held-out NLU test file and fails below the bar.

tests/nlu/test_nlu.yml is never used for training. Every example is parsed by the
trained model (the same pipeline the server runs); the script prints the intent
macro-F1 and the entity F1 (exact label and span, micro-averaged), lists the
errors, and exits 1 if either F1 is below --min-f1.

Rasa's own `rasa test nlu` skips SpacyEntityExtractor in its entity evaluation
(it counts it as "pretrained"), which is why entities are scored here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

ENTITY_EXTRACTOR = "SpacyEntityExtractor"


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts; 1.0 when there is nothing to find and nothing was found."""
    if tp == 0 and fp == 0 and fn == 0:
        return 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def intent_macro_f1(pairs: List[Tuple[str, str]]) -> float:
    """Macro-F1 over the gold intents: each intent's F1, averaged with equal weight."""
    labels = sorted({gold for gold, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores.append(f1(tp, fp, fn))
    return sum(scores) / len(scores)


async def evaluate(model: str, nlu_file: str) -> Dict:
    """Parses every test example and scores intents and entities."""
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(model)
    data = load_data(nlu_file)
    pairs: List[Tuple[str, str]] = []
    tp = fp = fn = 0
    errors = []
    for example in data.intent_examples:
        text = example.get("text")
        gold_intent = example.get("intent")
        gold: Set[Tuple[str, int, int]] = {
            (e["entity"], e["start"], e["end"]) for e in example.get("entities", [])
        }
        result = await agent.parse_message(text)
        predicted_intent = result["intent"]["name"]
        predicted = {
            (e["entity"], e["start"], e["end"])
            for e in result["entities"]
            if e.get("extractor") == ENTITY_EXTRACTOR
        }
        pairs.append((gold_intent, predicted_intent))
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        if predicted_intent != gold_intent or predicted != gold:
            errors.append(
                {
                    "text": text,
                    "intent": gold_intent,
                    "predicted_intent": predicted_intent,
                    "confidence": round(result["intent"]["confidence"], 3),
                    "missed_entities": sorted(gold - predicted),
                    "extra_entities": sorted(predicted - gold),
                }
            )
    return {
        "examples": len(pairs),
        "intent_macro_f1": intent_macro_f1(pairs),
        "intent_accuracy": sum(g == p for g, p in pairs) / len(pairs),
        "entity_f1": f1(tp, fp, fn),
        "entities": tp + fn,
        "errors": errors,
    }


def main() -> int:
    """Runs the evaluation, writes results/nlu/heldout.json and checks the thresholds."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="models/quiz.tar.gz")
    parser.add_argument("--nlu", default="tests/nlu/test_nlu.yml")
    parser.add_argument("--out", default="results/nlu/heldout.json")
    parser.add_argument("--min-f1", type=float, default=0.90)
    args = parser.parse_args()
    scores = asyncio.run(evaluate(args.model, args.nlu))
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
