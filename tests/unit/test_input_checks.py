"""career_quiz/input_checks.py: what the channels accept (the channels' texts:
test_channel_support.py; any input: test_input_checks_properties.py).
"""

from __future__ import annotations

import pytest

from career_quiz import input_checks

# -- input checks (career_quiz/input_checks.py) -----------------------------

INTENTS = frozenset({"inform", "start_quiz", "start_over", "feedback_positive"})
ENTITIES = frozenset({"training", "languages", "task_preference", "skip"})


@pytest.mark.parametrize(
    "sender,ok",
    [
        ("abc", True),
        ("live-1a2b", True),
        ("a.b:c_d-e", True),
        ("x" * 128, True),
        ("", False),
        ("x" * 129, False),
        ("x\udfff", False),
        ("a\x00b", False),
        ("a b", False),
        ("ä", False),
        (5, False),
        (None, False),
        (["a"], False),
    ],
)
def test_sender_ids_are_whitelisted(sender, ok):
    assert input_checks.valid_sender(sender) is ok


@pytest.mark.parametrize(
    "text,ok",
    [
        ("Hallo", True),
        ("Zeile 1\nZeile 2\r\n\tEnde", True),
        ("🙂 Ärger", True),
        ("", True),
        ("Ha\x00llo", False),
        ("Ha\udfffllo", False),
        ("bell\x07", False),
        ("\x1b[31m", False),
        ("del\x7f", False),
        ("\x85next line", False),
        (5, False),
        (None, False),
    ],
)
def test_texts_must_be_clean_unicode(text, ok):
    assert input_checks.valid_text(text) is ok


def test_check_message_verdicts():
    assert input_checks.check_message("s1", "Hallo").status == input_checks.OK
    assert input_checks.check_message("s1", None).text == ""
    assert input_checks.check_message("bad id", "Hallo").status == input_checks.BAD_SENDER
    assert input_checks.check_message("s1", "a\x00").status == input_checks.BAD_TEXT
    assert input_checks.check_message("s1", 7).status == input_checks.BAD_TEXT
    assert input_checks.check_message("s1", "x" * 2001).status == input_checks.TOO_LONG
    assert input_checks.check_message("s1", "x" * 2000).status == input_checks.OK


@pytest.mark.parametrize(
    "text,expected",
    [
        ('/inform{"training": "office"}', '/inform{"training": "office"}'),
        ("/start_quiz", "/start_quiz"),
        ("/restart", "restart"),
        ("/session_start", "session_start"),
        ("/nonexistent", "nonexistent"),
        (
            '/inform{"recommended_variant": "specialist"}',
            'inform{"recommended_variant": "specialist"}',
        ),
        ("/inform{broken", "inform{broken"),
        ("//start_quiz", "start_quiz"),
        ("Hallo /restart", "Hallo /restart"),
    ],
)
def test_only_the_domains_own_payloads_pass(text, expected):
    assert input_checks.screen_payload(text, INTENTS, ENTITIES) == expected


def test_builtin_intents_are_not_user_intents():
    from rasa.shared.core.constants import DEFAULT_INTENTS

    allowed = input_checks.user_intents(
        {"inform", "restart", "session_start"}, set(DEFAULT_INTENTS)
    )
    assert allowed == {"inform"}


def test_metadata_with_bad_text_is_dropped():
    assert input_checks.clean_metadata({"a": ["b", {"c": 1.5}]}) == {"a": ["b", {"c": 1.5}]}
    assert input_checks.clean_metadata({"a": "x\x00"}) is None
    assert input_checks.clean_metadata({"a\udfff": 1}) is None
    assert input_checks.clean_metadata([1]) is None
    assert input_checks.clean_metadata({"a": {"b": {"c": {"d": {"e": 1}}}}}) is None
