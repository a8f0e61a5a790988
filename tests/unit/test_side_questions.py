"""Side questions: topic words, the summary on request, the mixed message's question part,
and the live harness's scoring (devtools/side_questions.py).
"""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionExtractAnswers
from actions.recap import ActionRecap
from career_quiz import dialogue
from career_quiz.recap import EMPTY, FULL, PARTIAL, build_recap
from career_quiz.side_topics import message_topic, question_topic
from devtools.side_questions import matches, state_changes
from tests.helpers import domain_dict, make_tracker


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Und was verdient man da so?", "faq_salary"),
        ("Was genau ist die IHK?", "faq_ihk"),
        ("Wie lange dauert die Ausbildung?", "faq_training_duration"),
        ("Wer bezahlt die Umschulung?", "faq_retraining"),
        ("Was verdient man in der Ausbildung?", "faq_training_pay"),
        ("Geht das auch im Homeoffice?", "faq_part_time"),
        ("Wird mein Abschluss aus Polen anerkannt?", "faq_recognition"),
        ("Was bedeutet B2?", "faq_cefr"),
        ("Welche Variante hatten Sie mir vorhin empfohlen?", "ask_summary"),
        ("Können Sie mir das kurz zusammenfassen?", "ask_summary"),
        ("Schicken Sie mir das Ergebnis per E-Mail?", "faq_email_result"),
        ("Was heißt verhandlungssicher?", "faq_verhandlungssicher"),
        ("Welche IHK-Weiterbildungen gibt es?", "faq_ihk_training"),
        ("👍👍", "chitchat_thanks"),
        ("👋", "goodbye"),
    ],
)
def test_a_side_question_is_named_by_its_words(text, topic):
    assert message_topic(text, "out_of_scope", 0.4) == topic
    assert message_topic(text, "inform", 0.99) == topic  # question form wins over "inform"


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin Bankkauffrau",
        "Industriekauffrau, Ausbildung in Teilzeit gemacht",
        "Wie lange dauert das Quiz?",
        "🤔",
        "Englisch gut, Französisch Grundkenntnisse",
    ],
)
def test_answers_and_other_topics_keep_the_classifiers_intent(text):
    assert message_topic(text, "inform", 0.99) is None


def test_every_topic_word_list_names_an_intent_of_the_domain():
    from career_quiz.side_topics import side_topics

    assert side_topics().names() <= set(dialogue.domain_intents())


def test_the_question_of_a_mixed_message_is_taken_from_its_question_part():
    assert question_topic("reicht das?") == "faq_enough"
    assert question_topic("") is None


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


def test_recap_without_answers_offers_the_quiz():
    assert build_recap({}, None).response == EMPTY


def test_recap_during_the_quiz_lists_the_answers_so_far():
    recap = build_recap({"training": ["bank_insurance"], "languages": ["en:fluent"]}, None)
    assert recap.response == PARTIAL
    assert recap.values["answers"] == (
        "Ausbildung: Ausbildung bei Bank oder Versicherung; Fremdsprachen: Englisch fließend"
    )


def test_recap_after_the_result_names_answers_recommendation_and_next_step():
    answers = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    recap = build_recap(answers, "secretarial", {"secretarial": 91}, skipped=["languages"])
    assert recap.response == FULL
    assert recap.values["score"] == 91
    assert recap.values["title"] and recap.values["next_step"]
    assert "Fremdsprachen: übersprungen" in recap.values["answers"]


async def test_the_recap_action_fills_the_summary_from_the_slots():
    tracker = make_tracker(
        text="Können Sie das kurz zusammenfassen?",
        intent="ask_summary",
        slots={
            "training": ["degree"],
            "languages": ["en:business"],
            "task_preference": "projects",
            "recommended_variant": "project_management",
            "variant_scores": {"project_management": 88, "secretarial": 50, "specialist": 40},
        },
    )
    dispatcher = CollectingDispatcher()
    assert await ActionRecap().run(dispatcher, tracker, domain_dict()) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_recap" and message["score"] == 88
    assert "Englisch verhandlungssicher" in message["answers"]


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
    assert any(e.get("name") == "training" for e in events)  # without the topic: stored
    tracker.latest_message["side_topic"] = "faq_retraining"
    events = await ActionExtractAnswers().run(CollectingDispatcher(), tracker, domain_dict())
    assert not any(e.get("name") == "training" for e in events)
    turn = next(e["value"] for e in events if e.get("name") == "quiz_turn")
    assert turn["asks"] is True


def test_a_message_of_several_sentences_keeps_its_answer():
    from career_quiz.side_topics import asks_instead_of_answering

    assert asks_instead_of_answering("faq_salary", "", "gehalt als bürokauffrau?")
    assert not asks_instead_of_answering("faq_salary", "", "Bürokauffrau. Gehalt?")
    assert not asks_instead_of_answering("faq_enough", "", "Bürokauffrau, reicht das")
    assert not asks_instead_of_answering("faq_salary", "was verdient man?", "x")
    assert not asks_instead_of_answering("faq_ihk", "", "Teamassistentin (IHK)")
    assert asks_instead_of_answering("faq_training_duration", "", "wie lang geht bankkaufmann")


def test_the_nlu_component_puts_the_named_topic_first_and_clear_of_the_fallback():
    from rasa.shared.nlu.training_data.message import Message

    from rasa_addons.side_topics import SideTopicClassifier

    message = Message(data={"text": "Was genau ist die IHK?"})
    message.set("intent", {"name": "faq_ihk", "confidence": 0.55})
    message.set(
        "intent_ranking",
        [{"name": "faq_ihk", "confidence": 0.55}, {"name": "out_of_scope", "confidence": 0.53}],
    )
    [out] = SideTopicClassifier().process([message])
    assert out.get("intent") == {"name": "faq_ihk", "confidence": 1.0}
    ranking = out.get("intent_ranking")
    assert ranking[0]["name"] == "faq_ihk" and ranking[1]["confidence"] <= 0.5
    assert out.get("side_topic") == "faq_ihk"
    payload = Message(data={"text": '/inform{"training": ["office"]}'})
    payload.set("intent", {"name": "inform", "confidence": 1.0})
    assert SideTopicClassifier().process([payload])[0].get("side_topic") is None
