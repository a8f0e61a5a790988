"""Properties of the answer parser (career_quiz/parsing.py), Hypothesis-driven: it takes
any text, at any open question, without an exception and returns only canonical values;
merging the result into canonical answers gives values the slot validators accept.
Button payloads with any JSON yield canonical values only.

Regression tests with the minimal reproducers of what these properties found (all
fixed): deeply nested JSON in a payload, payload language codes outside the lexicon,
and `clean_languages` accepting a final newline. Shared strategies: tests/properties.py.
"""

from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from typing import Any, Dict

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from career_quiz.answers import (
    ParsedAnswers,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)
from career_quiz.contract import (
    LEVELS,
    QUIZ_SLOTS,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
    TASK_VALUES,
    TRAINING_VALUES,
    clean_languages,
    clean_task,
    clean_training,
)
from career_quiz.input_checks import (
    MAX_MESSAGE_CHARS,
    OK,
    check_message,
)
from tests.properties import (
    KNOWN_LANGUAGES,
    LANGUAGE_ENTRY,
    assert_rasa_reads_only_allowed,
    canonical_like,
    current_answers,
    entity_names,
    json_values,
    long_texts,
    mixed_texts,
    parser_texts,
    payload_values,
    property_settings,
    requested_slots,
)

# -- the answer parser ---------------------------------------------------------------


def assert_canonical(parsed: ParsedAnswers) -> None:
    """Everything in `parsed` follows the slot contract's vocabularies: language codes
    are the lexicon's, and German is never listed as native.
    """
    assert isinstance(parsed, ParsedAnswers)
    assert isinstance(parsed.training, list) and len(set(parsed.training)) == len(parsed.training)
    assert set(parsed.training) <= set(TRAINING_VALUES) - {"none"}, parsed.training
    assert set(parsed.training_removed) <= set(TRAINING_VALUES), parsed.training_removed
    assert set(parsed.training_texts) <= set(TRAINING_VALUES)
    assert all(isinstance(v, str) for v in parsed.training_texts.values())
    assert parsed.unplaced_value in TRAINING_VALUES
    assert isinstance(parsed.languages, dict)
    for code, level in parsed.languages.items():
        assert isinstance(code, str) and re.fullmatch("[a-z]{2}", code), parsed.languages
        assert level in LEVELS, parsed.languages
    assert set(parsed.languages_removed) <= KNOWN_LANGUAGES, parsed.languages_removed
    assert set(parsed.languages) <= KNOWN_LANGUAGES, parsed.languages
    # README: German is listed only with a non-native level.
    assert parsed.languages.get("de") != "native", parsed.languages
    assert parsed.task is None or parsed.task in TASK_VALUES, parsed.task
    assert parsed.task_candidates == [] or (
        len(parsed.task_candidates) == 2
        and len(set(parsed.task_candidates)) == 2
        and set(parsed.task_candidates) <= set(TASK_VALUES)
    ), parsed.task_candidates
    assert not (parsed.task and parsed.task_candidates)
    for flag in (
        "no_training",
        "unplaced_training",
        "german_only",
        "dont_know",
        "skip",
        "tentative",
    ):
        assert isinstance(getattr(parsed, flag), bool), flag
    assert isinstance(parsed.question, str)
    assert isinstance(parsed.is_empty(), bool) and isinstance(parsed.asks, bool)


def assert_clean_updates(updates: Dict[str, Any]) -> None:
    """Slot updates are what the slot validators accept, unchanged."""
    assert set(updates) <= set(QUIZ_SLOTS), updates
    if SLOT_TRAINING in updates:
        value = updates[SLOT_TRAINING]
        assert clean_training(value) == value, value
        assert "none" not in value or value == ["none"], value
    if SLOT_LANGUAGES in updates:
        value = updates[SLOT_LANGUAGES]
        assert clean_languages(value) == value, value
        assert all(LANGUAGE_ENTRY.fullmatch(e) for e in value), value
        assert {e.split(":")[0] for e in value} <= KNOWN_LANGUAGES, value
    if SLOT_TASK in updates:
        assert clean_task(updates[SLOT_TASK]) == updates[SLOT_TASK], updates


@property_settings(100)
@given(text=parser_texts, slot=requested_slots)
@example(text="Ich bin Bankkauffrau, spreche Englisch B2 und mag keine Projekte", slot=None)
@example(text="keine", slot=SLOT_LANGUAGES)
@example(text="İİİ Englisch İ fließend", slot=SLOT_LANGUAGES)
@example(text="\x00Bankkaufmann\x1b", slot=SLOT_TRAINING)
@example(text="", slot=SLOT_TASK)
def test_parser_never_raises_and_returns_canonical_answers(parser, text, slot):
    parsed = parser.parse(text, slot)
    assert_canonical(parsed)
    # Same input, same answer: no state leaks between messages through the caches.
    assert parser.parse(text, slot) == parsed


@property_settings(80)
@given(text=st.one_of(mixed_texts, long_texts), slot=requested_slots, current=current_answers)
@example(text="Ich habe doch nicht studiert", slot=None, current={SLOT_TRAINING: ["degree"]})
@example(text="Englisch: keine", slot=SLOT_LANGUAGES, current={SLOT_LANGUAGES: ["en:good"]})
# Found by Hypothesis in CI (2026-12-04): a language named and taken back in one message
# moved to the end when the message was merged again.
@example(
    text="Deutsch Bankkauffrau Muttersprache Russisch, Deutsch noch nicht abgeschlossen ",
    slot=SLOT_TRAINING,
    current={},
)
def test_merged_answers_pass_the_slot_validators_and_merging_twice_changes_nothing(
    parser, text, slot, current
):
    parsed = parser.parse(text, slot)
    updates = merge_answers(current, parsed, slot)
    note(f"parsed={parsed!r} updates={updates!r}")
    assert_clean_updates(updates)
    # The same message again on the updated answers changes nothing further.
    after = {**current, **updates}
    again = merge_answers(after, parsed, slot)
    assert all(after.get(k) == v for k, v in again.items()), again
    assert set(again) <= {slot}, again


@property_settings(200)
@given(
    intent=st.one_of(st.sampled_from(["inform", "start_quiz", "restart"]), st.text(max_size=8)),
    data=st.one_of(st.dictionaries(entity_names, payload_values, max_size=5), json_values),
    raw=st.one_of(st.none(), st.text(max_size=60)),
)
@example(intent="inform", data={"training": "evil"}, raw=None)
@example(intent="inform", data={"languages": ["en:good\n"]}, raw=None)
@example(intent="inform", data=None, raw='{"training": ' + "[" * 1200)
def test_payload_parsing_yields_only_canonical_values(intent, data, raw):
    text = "/" + intent + (raw if raw is not None else json.dumps(data))
    entities = payload_entities(text)
    assert isinstance(entities, list)
    assert all(set(e) == {"entity", "value"} and isinstance(e["entity"], str) for e in entities)
    if raw is None and isinstance(data, dict) and "{" not in intent:
        assert [e["entity"] for e in entities] == list(data)
    parsed = parse_payload_entities(entities)
    assert_canonical(parsed)
    assert_clean_updates(merge_answers({}, parsed, None))


@property_settings(200)
@given(
    entities=st.lists(
        st.fixed_dictionaries({"entity": entity_names, "value": payload_values}), max_size=6
    ),
    current=current_answers,
    slot=requested_slots,
)
@example(
    entities=[{"entity": "training", "value": ["office", "none", "evil"]}],
    current={},
    slot=SLOT_TRAINING,
)
@example(entities=[{"entity": "languages", "value": ["none"]}], current={}, slot=None)
def test_payload_entities_yield_canonical_values_only(entities, current, slot):
    """A crafted payload sets only canonical values."""
    parsed = parse_payload_entities(entities)
    assert_canonical(parsed)
    assert_clean_updates(merge_answers(current, parsed, slot))


@pytest.mark.parametrize("entry", ["xx:native", "zz:business", "de:native"])
def test_a_payload_sets_no_language_a_user_could_not_type(entry):
    parsed = parse_payload_entities([{"entity": "languages", "value": [entry]}])
    assert_canonical(parsed)


@property_settings(200)
@given(value=st.one_of(json_values, st.lists(canonical_like, max_size=4), canonical_like))
@example(value=["office\n"])
@example(value=["en:good", "en:fluent"])
def test_slot_validators_return_canonical_values_or_none(value):
    """clean_* never raise; what they return is canonical (a forged slot value either
    comes back canonical or is refused).
    """
    training = clean_training(value)
    assert training is None or (
        set(training) <= set(TRAINING_VALUES)
        and training == [v for v in TRAINING_VALUES if v in training]
    )
    languages = clean_languages(value)
    assert languages is None or all(
        isinstance(e, str) and LANGUAGE_ENTRY.fullmatch(e) for e in languages
    ), languages
    task = clean_task(value)
    assert task is None or task in TASK_VALUES


def test_clean_languages_refuses_an_entry_with_a_final_newline():
    assert clean_languages(["en:good\n"]) is None


@contextmanager
def default_recursion_limit():
    """Python's default recursion limit, as in the Rasa and action servers (Hypothesis
    raises it while a property runs, so these checks are plain tests).
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


# Deeply nested JSON within the 2,000-character limit: json.loads raises RecursionError,
# which is no ValueError.
DEEP_UNCLOSED = '/inform{"training": ' + "[" * 1975
DEEP_CLOSED = '/inform{"training": ' + "[" * 985 + "]" * 985 + "}"


@pytest.mark.parametrize("text", [DEEP_UNCLOSED, DEEP_CLOSED], ids=["unclosed", "closed"])
def test_payload_entities_of_deeply_nested_json_do_not_raise(text):
    assert len(text) <= MAX_MESSAGE_CHARS
    with default_recursion_limit():
        entities = payload_entities(text)
    assert isinstance(entities, list)


@pytest.mark.parametrize("text", [DEEP_UNCLOSED, DEEP_CLOSED], ids=["unclosed", "closed"])
def test_check_message_of_deeply_nested_json_does_not_raise(text):
    """A channel calls check_message outside its error handling: an exception is a 500."""
    assert len(text) <= MAX_MESSAGE_CHARS
    with default_recursion_limit():
        verdict = check_message("user-1", text, frozenset({"inform"}), frozenset({"training"}))
    assert verdict.status == OK
    assert_rasa_reads_only_allowed(verdict.text, {"inform"}, {"training"})
