"""What career_quiz/dialogue.py derives from the domain and the rules for the action
server: the control intents, the in-quiz replies, and the generated file that is all
the action server reads. Whether the domain, rules and code agree with each other, and
whether the generated files are up to date: test_couplings.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import yaml

from career_quiz import dialogue, turns


def _clear_dialogue_caches():
    for cached in (
        dialogue.domain_intents,
        dialogue.domain_responses,
        dialogue.topic_intents,
        dialogue.in_quiz_replies,
        dialogue.control_intents,
        dialogue.action_server_data,
    ):
        cached.cache_clear()


def test_the_action_server_reads_neither_the_domain_nor_the_rules(monkeypatch):
    # An action-server image may hold neither domain/ nor data/rules/: the turn decisions
    # read only the generated career_quiz/dialogue.yml.
    read: List[Path] = []
    original = dialogue._read
    monkeypatch.setattr(dialogue, "_read", lambda path: read.append(path) or original(path))
    _clear_dialogue_caches()
    try:
        assert turns.is_control_intent("start_over") and not turns.is_control_intent("inform")
        assert turns.is_digression_intent("chitchat_thanks")
        assert turns.digression_response("greet") == "utter_greet_in_quiz"
        decision = turns.decide(
            "training", turns.QuizState("training"), turns.Message("faq_privacy")
        )
        assert decision.responses == ("utter_faq_privacy",)
        assert read == [dialogue.ACTION_SERVER_FILE]
    finally:
        _clear_dialogue_caches()


def test_the_action_server_data_is_what_the_rules_say():
    data = dialogue.action_server_data()
    assert data.control_intents == dialogue.control_intents()
    assert data.in_quiz_replies == dialogue.in_quiz_replies()
    assert {"start_over", "ask_why", "goodbye"} <= data.control_intents


def test_in_quiz_replies_come_from_the_domain():
    replies = dialogue.in_quiz_replies()
    responses = dialogue.domain_responses()
    assert replies["faq_degree_needed"] == "utter_faq_degree_needed"
    assert replies["out_of_scope"] == "utter_out_of_scope"
    assert replies["greet"] == "utter_greet_in_quiz"
    assert "goodbye" not in replies and "start_quiz" not in replies
    assert all(name in responses for name in replies.values())
    # Thanks in the quiz: its own reply, no farewell before the question (visit10 #10).
    assert turns.digression_response("chitchat_thanks") == "utter_chitchat_thanks_in_quiz"
    assert turns.is_digression_intent("greet") and not turns.is_digression_intent("inform")


def test_control_intents_are_the_intents_of_the_hand_written_rules_in_the_quiz():
    # The set turns.py kept by hand before it was derived from data/rules.
    assert dialogue.control_intents() == {
        "start_over",
        "goodbye",
        "start_quiz",
        "feedback_positive",
        "feedback_negative",
        "ask_why",
        # "Meine Daten löschen" (data/rules/privacy.yml)
        "erase_data",
        "erase_data_confirm",
        "erase_data_cancel",
        # data/rules/job_ad.yml: a pasted ad or the request for a check in the quiz.
        "job_ad",
        "ask_job_ad_check",
        "ask_summary",
    }
    in_quiz = dialogue.rules_in_quiz()
    for intent in in_quiz:
        assert turns.is_control_intent(intent) != turns.is_digression_intent(intent), intent
    # "Nein, weitermachen" goes back to the question through the form, not through a rule.
    assert not set(turns.RESUME_INTENTS) & set(in_quiz)


def test_a_new_in_quiz_rule_makes_a_control_intent(tmp_path):
    rules = {
        "version": "3.1",
        "rules": [
            {
                "rule": "x",
                "condition": [{"active_loop": "career_quiz_form"}],
                "steps": [{"intent": "deny"}, {"action": "utter_goodbye"}],
            },
            {"rule": "outside", "steps": [{"intent": "affirm"}, {"action": "utter_goodbye"}]},
        ],
    }
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(rules), encoding="utf-8")
    assert dialogue.rules_in_quiz(tmp_path) == {"deny": ["x"]}
