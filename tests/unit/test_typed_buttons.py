"""career_quiz/typed_buttons.py: a typed button title sends the button's payload
(visitor findings #13: "Ja, Daten löschen", "Nein, eher nicht", "Finanzen, Personal
oder IT" and "Fachaufgaben: Zahlen, Personal, IT, Verträge" were misread by NLU).
"""

from __future__ import annotations

import pytest

from career_quiz import typed_buttons
from career_quiz.dialogue import domain_responses
from career_quiz.typed_buttons import build_table, normalise, payload_for, response_buttons


@pytest.mark.parametrize(
    "typed, payload",
    [
        ("Ja, Daten löschen", "/erase_data_confirm"),
        ("ja daten löschen", "/erase_data_confirm"),
        ("Nein, nichts löschen.", "/erase_data_cancel"),
        ("Ja, Fragen beantworten", "/start_quiz"),
        ("Nein, eher nicht", "/feedback_negative"),
        ("  Ja, hilfreich! ", "/feedback_positive"),
        ("Finanzen, Personal oder IT", '/inform{"training": "finance_hr_it"}'),
        (
            "Fachaufgaben: Zahlen, Personal, IT, Verträge",
            '/inform{"task_preference": "specialist"}',
        ),
        # The clarifying question's label of the same choice (labels.yml).
        (
            "Fachaufgaben (Zahlen, Personal, IT, Verträge)",
            '/inform{"task_preference": "specialist"}',
        ),
        ("Büro / Sekretariat", '/inform{"training": "office"}'),
        ("Nur Deutsch", '/inform{"languages": []}'),
        ("Englisch fließend", '/inform{"languages": ["en:fluent"]}'),
        ("Überspringen", '/inform{"skip": true}'),
        ("Warum?", "/ask_why"),
        ("Start the quiz", "/start_quiz"),
        ("Quiz starten / Start the quiz", "/start_quiz"),
        # The greeting's button sends its own title; the "nicht verstanden" reply's
        # (domain/messages.yml) the intent: typed, the title sends that.
        ("Was macht ein Back Office Assistant?", "/faq_what_is_boa"),
    ],
)
def test_a_typed_title_sends_the_buttons_payload(typed, payload):
    assert payload_for(typed) == payload


@pytest.mark.parametrize(
    "typed",
    [
        "Ja",  # no title: NLU and the rules read a bare yes in context
        "Ja, Daten löschen, aber erst morgen",  # more than the title
        "Ich habe Finanzen, Personal oder IT gelernt",
        # "Weiß ich noch nicht" answers the open question, whichever it is (the parser).
        "Weiß ich noch nicht",
        '/inform{"training": "office"}',  # a payload stays as it is
        "",
        "?!",
    ],
)
def test_other_messages_are_left_to_nlu(typed):
    assert payload_for(typed) is None


def test_every_button_of_the_domain_is_known_and_sends_valid_json():
    import json

    table = typed_buttons.known_buttons()
    for title, payload in response_buttons(domain_responses()):
        if normalise(title) != normalise(payload) and not typed_buttons._unsure(payload):
            assert table[normalise(title)] == payload
        assert "{{" not in payload
        _, brace, rest = payload.partition("{")
        if brace:
            assert isinstance(json.loads(brace + rest), dict)


def test_a_title_with_two_payloads_is_left_to_nlu():
    table = build_table([("Weiter", "/a"), ("weiter!", "/b"), ("Zurück", "/c"), ("zurück", "/c")])
    assert table == {"zurück": "/c"}
    assert payload_for("Weiter", table) is None
    assert payload_for("Zurück", table) == "/c"


def test_the_channels_send_the_payload_of_a_typed_title():
    from career_quiz import input_checks
    from rasa_addons import channel_support

    verdict = channel_support.check(None, "visitor-1", "Ja, Daten löschen")
    assert verdict == input_checks.Verdict(input_checks.OK, "/erase_data_confirm")
    other = channel_support.check(None, "visitor-1", "Ja, bitte")
    assert other == input_checks.Verdict(input_checks.OK, "Ja, bitte")
    assert channel_support.check(None, "bad id!", "Ja, Daten löschen").status == (
        input_checks.BAD_SENDER
    )
