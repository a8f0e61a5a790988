"""An NLU component that names the topic of a side question by its words.

Runs after the DIETClassifier and before the FallbackClassifier. When
career_quiz/side_topics.py finds a side-question topic in the message's question part
(or in a message the classifier did not read as a quiz answer), that topic becomes the
intent with confidence 1 and heads the ranking; otherwise the classifier's result
stays. For a topic with facts (data/knowledge/side_facts.yml) it also builds the answer
(career_quiz/side_answers.py: the core, the facts nearest the question, the pointer; for
two topics in one message both) and adds it as the entities `side_answer_topic` and
`side_answer`, which fill the slots the topic's response shows. Nothing to train.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from career_quiz import side_model
from career_quiz.english import answer_prefix
from career_quiz.side_answers import compose, has_facts
from career_quiz.side_topics import (
    SIDE_TOPIC_KEY,
    clause_topics,
    is_english,
    message_topic,
    reading,
)
from rasa_addons.length_guard import JOB_AD

# Entities that carry the answer built from the facts to the slots of the same names
# (domain/side_questions.yml); the response utter_<topic> shows `side_answer` when
# `side_answer_topic` names its topic.
ANSWER_TOPIC_ENTITY = "side_answer_topic"
ANSWER_ENTITY = "side_answer"
OUT_OF_SCOPE = "out_of_scope"
# The topic slot's value for an English question without reliable facts: utter_out_of_scope
# shows its bilingual variant (domain/faq.yml).
OUT_OF_SCOPE_ENGLISH = "out_of_scope_english"


def _add_answer(
    message: Message, topic: Any, pairs: List[Any], text: str, prefix: str = ""
) -> None:
    """Adds the answer to `topic` (and a second topic of `pairs`) as two entities;
    `prefix` (a line) goes before it.
    """
    if topic == OUT_OF_SCOPE:
        # No facts: the static reply. An English question gets its variant with the line
        # that says why the reply is German (visit9 #15); a German one resets the topic
        # slot so that an earlier English question's variant is not chosen again.
        marked = OUT_OF_SCOPE_ENGLISH if prefix else OUT_OF_SCOPE
        _set_entities(message, ((ANSWER_TOPIC_ENTITY, marked),))
        return
    if not has_facts(topic):
        return
    named = [(t, q) for t, q in pairs if t] if len(pairs) > 1 else [(topic, text)]
    answer = compose(named)
    if not answer:
        return
    answer = f"{prefix}\n{answer}" if prefix else answer
    _set_entities(message, ((ANSWER_TOPIC_ENTITY, topic), (ANSWER_ENTITY, answer)))


def _set_entities(message: Message, values: Any) -> None:
    found = [
        {"entity": name, "value": value, "start": 0, "end": 0, "extractor": "SideTopicClassifier"}
        for name, value in values
    ]
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SideTopicClassifier(GraphComponent):
    """Puts a side-question topic named by its words above the classifier's guess."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No settings."""
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SideTopicClassifier":
        """Creates the component, with the side-question classifier loaded: loaded on
        the first side question instead, it kept that visitor waiting 0.6-2 s.
        """
        side_model.side_classifier()
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent when the words name a side-question topic, and adds the
        answer built from the facts for a topic that has them.
        """
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/") or message.get(JOB_AD):
                continue  # button payloads keep their intent; a pasted job ad is no question
            intent = message.get(INTENT) or {}
            topic = message_topic(text, intent.get("name"), float(intent.get("confidence") or 0.0))
            # An English question on a topic is read on its German gloss, and its German
            # answer says why it is German (career_quiz/english.py).
            read = reading(text)
            prefix = answer_prefix() if read != text or is_english(text) else ""
            pairs = clause_topics(read) if not topic or has_facts(topic) else []
            if pairs:
                topic = pairs[0][0]  # "Was verdient man und wie lange dauert ...?": both
            named: List[Any] = pairs or [(topic, read)]
            _add_answer(message, topic or intent.get("name"), named, read, prefix)
            if not topic:
                continue
            # Also when the classifier guessed the same topic: with confidence 1 the
            # FallbackClassifier keeps it.
            # The others at half their confidence: within 0.05 of the top, the
            # FallbackClassifier would call the message ambiguous.
            ranking = [
                {**r, "confidence": float(r.get("confidence") or 0.0) / 2}
                for r in message.get(INTENT_RANKING_KEY) or []
                if r.get("name") != topic
            ]
            top = {"name": topic, "confidence": 1.0}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
            # The action server reads this to tell a question from an answer that the
            # question splitter missed (actions/actions.py, ActionExtractAnswers).
            message.set(SIDE_TOPIC_KEY, topic, add_to_output=True)
        return messages
