"""Side questions in a quiz turn (actions/actions.py: the mixed message's question part,
a question the splitter missed) and the live harness's scoring (devtools/side_questions.py).
The topic words are tested in test_side_topics.py, the summary in test_recap.py.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionExtractAnswers
from devtools.side_questions import matches, state_changes
from tests.helpers import domain_dict, make_tracker


async def test_a_mixed_message_gets_the_topic_of_its_question_not_small_talk():
    text = "Ich bin Steuerfachangestellte – reicht das?"
    tracker = make_tracker(
        text=text,
        intent="inform",
        active_loop="career_quiz_form",
        slots={"requested_slot": "training"},
    )
    tracker.latest_message["intent_ranking"] = [
        {"name": "inform", "confidence": 0.6},
        {"name": "chitchat_bot_challenge", "confidence": 0.3},
    ]
    events = await ActionExtractAnswers().run(CollectingDispatcher(), tracker, domain_dict())
    turn = next(e["value"] for e in events if e.get("name") == "quiz_turn")
    assert turn["reply"] == "utter_faq_enough"
    assert any(e.get("name") == "training" and e["value"] for e in events)


def test_harness_counts_a_group_as_matched_by_any_alternative():
    assert matches([["Entgeltatlas", "Entgelt-Atlas"], "Tarif"], "Im Entgeltatlas … Tarif") == []
    assert matches([["IHK"], ["Kammer"]], "Die IHK prüft.") == [["Kammer"]]


def test_harness_sees_a_changed_slot_and_a_moved_question():
    before = {"training": ["office"], "languages": None, "task_preference": None}
    same = {**before, "requested_slot": "languages"}
    assert state_changes("languages", before, same, None) == {}
    answered = {**before, "languages": ["en:good"], "requested_slot": "task_preference"}
    assert state_changes("languages", before, answered, ["en:good"]) == {}
    assert set(state_changes("languages", before, answered, None)) == {
        "languages",
        "requested_slot",
    }
    wrong = {**before, "training": ["degree"], "requested_slot": "languages"}
    assert set(state_changes("languages", before, wrong, None)) == {"training"}


async def test_a_side_question_the_splitter_missed_stores_no_answer():
    # No word opens a question for the splitter, so "Umschulung" would be a training.
    text = "umschulung übers jobcenter möglich?"
    tracker = make_tracker(
        text=text,
        intent="faq_retraining",
        active_loop="career_quiz_form",
        slots={"requested_slot": "training"},
    )
    events = await ActionExtractAnswers().run(CollectingDispatcher(), tracker, domain_dict())
    # Without the topic the words still name one: "Umschulung" alone in a question on
    # retraining is no training (career_quiz/asked_values.py; it was stored until the
    # fourth session of 2026-12-03).
    assert not any(e.get("name") == "training" for e in events)
    tracker.latest_message["side_topic"] = "faq_retraining"
    events = await ActionExtractAnswers().run(CollectingDispatcher(), tracker, domain_dict())
    assert not any(e.get("name") == "training" for e in events)
    turn = next(e["value"] for e in events if e.get("name") == "quiz_turn")
    assert turn["asks"] is True
