"""devtools' plain logic: the NLU scorer shared by `make test` and `make report`, and the
leftover check without a run id (tests that start processes: tests/integration/test_procs.py).
"""

from __future__ import annotations

import pytest

from devtools import leftovers
from devtools.nlu import f1, intent_macro_f1, score, spans
from devtools.stack import rasa_env
from devtools.training import data_args


def example(intent, predicted_intent, gold=(), predicted=(), text="x"):
    return {
        "text": text,
        "intent": intent,
        "predicted_intent": predicted_intent,
        "confidence": 0.5,
        "gold": set(gold),
        "predicted": set(predicted),
    }


def test_f1_of_counts():
    assert f1(0, 0, 0) == 1.0  # nothing to find, nothing found
    assert f1(0, 1, 0) == 0.0
    assert f1(2, 1, 1) == pytest.approx(2 / 3)


def test_intent_macro_f1_weighs_every_gold_intent_alike():
    pairs = [("a", "a"), ("a", "a"), ("a", "a"), ("b", "a")]
    # a: tp 3, fp 1 -> F1 6/7; b: never found -> 0
    assert intent_macro_f1(pairs) == pytest.approx((6 / 7 + 0) / 2)


def test_spans_keep_only_the_named_extractor():
    entities = [
        {"entity": "level", "start": 0, "end": 3, "extractor": "SpacyEntityExtractor"},
        {"entity": "level", "start": 5, "end": 8, "extractor": "DIETClassifier"},
    ]
    assert spans(entities, "SpacyEntityExtractor") == {("level", 0, 3)}
    assert spans(entities) == {("level", 0, 3), ("level", 5, 8)}


def test_score_counts_entities_overall_and_for_annotated_intents():
    lang = ("language", 0, 8)
    parsed = [
        example("inform", "inform", gold=[lang], predicted=[lang]),
        example("inform", "inform", gold=[lang], predicted=[], text="missed"),
        # Not an annotated intent: the ruler's entity counts as a false positive overall only.
        example("faq", "faq", predicted=[("level", 0, 3)], text="extra"),
        example("faq", "inform", text="wrong intent"),
    ]
    result = score(parsed)
    assert result["examples"] == 4
    assert result["entities"] == 2
    assert result["annotated_intents"] == ["inform"]
    assert result["annotated_examples"] == 2
    assert result["entity_f1"] == pytest.approx(f1(1, 1, 1))
    assert result["entity_f1_annotated"] == pytest.approx(f1(1, 0, 1))
    assert result["intent_accuracy"] == 0.75
    assert [e["text"] for e in result["errors"]] == ["missed", "extra", "wrong intent"]
    assert [e["text"] for e in result["entity_errors"]] == ["missed"]
    assert result["entity_errors"][0]["missed_entities"] == [lang]


def test_leftover_check_refuses_to_pass_without_a_run_id(monkeypatch, capsys):
    monkeypatch.delenv(leftovers.MARKER, raising=False)
    assert leftovers.main([]) == 2
    assert leftovers.MARKER in capsys.readouterr().err


def test_rasa_commands_get_the_project_on_the_path_and_no_telemetry(monkeypatch):
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")
    env = rasa_env(EXTRA="1")
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["EXTRA"] == "1" and env["PYTHONPATH"]
    assert data_args()[:2] == ["--domain", "domain"]
