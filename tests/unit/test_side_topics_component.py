"""The NLU component that applies the topic words (rasa_addons/side_topics.py). The
built answer it adds as entities: test_side_answers.py.
"""

from __future__ import annotations


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
