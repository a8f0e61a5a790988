"""Properties of the input checks (career_quiz/input_checks.py), Hypothesis-driven: they
follow their documented rules for any id and any text, and no text that passes them
makes Rasa read a built-in or unknown intent from it (checked with Rasa's own
"/intent{...}" reader). Regression test: whitespace before a "/"
(`whitespace_before_slash`). Shared strategies: tests/properties.py.
"""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from career_quiz.input_checks import (
    BAD_SENDER,
    BAD_TEXT,
    MAX_MESSAGE_CHARS,
    OK,
    TOO_LONG,
    check_message,
    screen_payload,
    user_intents,
    valid_sender,
    valid_text,
)
from tests.properties import (
    BUILTIN_INTENTS,
    any_sender_values,
    assert_rasa_reads_only_allowed,
    entity_names,
    expected_valid_sender,
    expected_valid_text,
    json_values,
    payload_values,
    property_settings,
    raw_texts,
    whitespace_before_slash,
)

# -- input checks ---------------------------------------------------------------------


@property_settings(300)
@given(value=any_sender_values)
@example(value="a" * 128)
@example(value="a" * 129)
@example(value="")
@example(value="abc\n")
@example(value="user:1.2_x-y")
@example(value="\u0130")
def test_valid_sender_is_exactly_the_whitelist(value):
    assert valid_sender(value) is expected_valid_sender(value)


@property_settings(300)
@given(value=st.one_of(raw_texts, json_values, st.binary(max_size=10)))
@example(value="\udfff")
@example(value="ok\tok\r\nok")
@example(value="\x85")
@example(value="\u2028")
def test_valid_text_refuses_exactly_surrogates_and_control_characters(value):
    assert valid_text(value) is expected_valid_text(value)


intent_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10)


@st.composite
def screening_cases(draw):
    """(text, allowed intents, allowed entities): payload-like texts over random vocabularies."""
    domain = draw(st.sets(intent_names, max_size=6)) | set(
        draw(st.sets(st.sampled_from(sorted(BUILTIN_INTENTS))))
    )
    allowed = user_intents(domain, BUILTIN_INTENTS)
    entities = frozenset(draw(st.sets(st.one_of(entity_names, intent_names), max_size=5)))
    name = draw(
        st.one_of(
            st.sampled_from(sorted(domain) or ["x"]),
            intent_names,
            st.sampled_from(sorted(BUILTIN_INTENTS)),
            st.text(max_size=8),
        )
    )
    keys = draw(
        st.lists(st.one_of(st.sampled_from(sorted(entities) or ["x"]), entity_names), max_size=3)
    )
    body = draw(
        st.one_of(
            st.just(""),
            st.builds(
                lambda values: json.dumps(dict(zip(keys, values))),
                st.lists(payload_values, min_size=len(keys), max_size=len(keys)),
            ),
            st.builds(json.dumps, json_values),
            st.text(max_size=20),
            st.sampled_from(
                [
                    "{",
                    "{}",
                    "{}}",
                    '{"a": 1} x',
                    "@0.9",
                    "@1{}",
                    '{"training": ' + "[" * 300 + "]" * 300 + "}",
                ]
            ),
        )
    )
    prefix = draw(
        st.sampled_from(
            [
                "/",
                "/",
                "/",
                "//",
                "/ ",
                " /",
                "\t/",
                "\n/",
                "\u00a0/",
                "/\t/",
                "/\n/",
                "/ /",
                "",
                "x/",
                "\u3000/",
            ]
        )
    )
    suffix = draw(st.sampled_from(["", "", " ", "\n", " trailing"]))
    text = draw(st.one_of(st.just(prefix + name + body + suffix), raw_texts))
    return text, allowed, entities


@property_settings(250)
@given(case=screening_cases())
@example(case=("/restart", frozenset({"inform"}), frozenset()))
@example(case=("/ /restart", frozenset({"inform"}), frozenset()))
@example(case=('/inform{"training": "office"} x', frozenset({"inform"}), frozenset({"training"})))
def test_screen_payload_lets_rasa_read_only_allowed_intents_and_entities(case):
    text, intents, entities = case
    screened = screen_payload(text, intents, entities)
    assert isinstance(screened, str)
    if not text.strip().startswith("/"):
        assert screened == text
    if screened.startswith("/"):
        name = screened[1:].partition("{")[0].strip()
        assert name in intents
    assert_rasa_reads_only_allowed(screened, intents, entities)


@property_settings(300)
@given(
    intent=intent_names,
    data=st.dictionaries(
        st.sampled_from(["training", "languages", "task_preference", "skip"]),
        payload_values,
        max_size=3,
    ),
    ascii_only=st.booleans(),
)
def test_allowed_payloads_pass_unchanged(intent, data, ascii_only):
    """Buttons keep working: an allowed intent with allowed entities reaches Rasa as it is."""
    assume(intent not in BUILTIN_INTENTS)
    text = f"/{intent}" + (json.dumps(data, ensure_ascii=ascii_only) if data else "")
    assume(valid_text(text) and len(text) <= MAX_MESSAGE_CHARS)
    entities = frozenset({"training", "languages", "task_preference", "skip"})
    assert screen_payload(text, frozenset({intent}), entities) == text
    verdict = check_message("user-1", text, frozenset({intent}), entities)
    assert verdict.status == OK and verdict.text == text


@property_settings(200)
@given(
    name=st.sampled_from(sorted(BUILTIN_INTENTS)),
    # Whitespace before the slash: test_whitespace_before_a_slash_smuggles_no_builtin_intent.
    prefix=st.sampled_from(["/", "//", "/ ", "/ /", "///", "/  "]),
    body=st.one_of(
        st.sampled_from(["", "{}", "@1.0", " ", '{"training": []}', "{", "@"]),
        st.builds(json.dumps, st.dictionaries(entity_names, json_values, max_size=2)),
    ),
    domain=st.sets(intent_names, max_size=5),
)
def test_builtin_intents_never_pass_as_payloads(name, prefix, body, domain):
    intents = user_intents(set(domain) | BUILTIN_INTENTS, BUILTIN_INTENTS)
    assert not intents & BUILTIN_INTENTS
    text = prefix + name + body
    verdict = check_message("user-1", text, intents, frozenset({"training"}))
    if verdict.ok:
        assert_rasa_reads_only_allowed(verdict.text, intents, {"training"})


@pytest.mark.parametrize(
    "text", [" /restart", "/\t/restart", "\u00a0/session_start", "\n/back", "/ \t/restart"]
)
def test_whitespace_before_a_slash_smuggles_no_builtin_intent(text):
    assert whitespace_before_slash(text)
    verdict = check_message("user-1", text, frozenset({"inform"}), frozenset({"training"}))
    if verdict.ok:
        assert_rasa_reads_only_allowed(verdict.text, {"inform"}, {"training"})


@property_settings(200)
@given(
    sender=any_sender_values,
    text=st.one_of(raw_texts, json_values, st.binary(max_size=8)),
    max_chars=st.one_of(st.just(MAX_MESSAGE_CHARS), st.integers(0, 80)),
    case=screening_cases(),
)
@example(
    sender="u",
    text="/restart",
    max_chars=MAX_MESSAGE_CHARS,
    case=("", frozenset({"inform"}), frozenset()),
)
@example(
    sender="u\n",
    text="Hallo",
    max_chars=MAX_MESSAGE_CHARS,
    case=("", frozenset({"inform"}), frozenset()),
)
def test_check_message_verdicts_follow_the_rules(sender, text, max_chars, case):
    payload_text, intents, entities = case
    for candidate in (text, payload_text):
        verdict = check_message(sender, candidate, intents, entities, max_chars=max_chars)
        assert verdict.status in (OK, BAD_SENDER, BAD_TEXT, TOO_LONG)
        body = "" if candidate is None else candidate
        if not expected_valid_sender(sender):
            assert verdict.status == BAD_SENDER
        elif not expected_valid_text(body):
            assert verdict.status == BAD_TEXT
        elif len(body) > max_chars:
            assert verdict.status == TOO_LONG
        else:
            assert verdict.status == OK
        assert verdict.ok is (verdict.status == OK)
        if verdict.ok:
            assert valid_text(verdict.text) and len(verdict.text) <= max_chars
            if not body.strip().startswith("/"):
                assert verdict.text == body
            assert_rasa_reads_only_allowed(verdict.text, intents, entities)
        else:
            assert verdict.text == ""
