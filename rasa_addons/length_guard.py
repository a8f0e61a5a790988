"""NLU component: treats over-long messages as out of scope.

A quiz answer is a sentence or two. For a message of thousands of characters
the classifiers' guesses are noise, and a noisy "ja" or "hilfreich" could store
feedback the user never gave. This component runs last in the pipeline and
replaces intent and entities of such messages.
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


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessageLengthGuard(GraphComponent):
    """Sets intent `out_of_scope` (confidence 1) for messages above `max_chars`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Default: 2,000 characters, far above any quiz answer."""
        return {"max_chars": 2000, "intent": "out_of_scope"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Stores the configuration."""
        self._max_chars = int(config["max_chars"])
        self._intent = str(config["intent"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageLengthGuard":
        """Creates the component (nothing to train)."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides intent and entities of over-long messages."""
        for message in messages:
            text = message.get(TEXT) or ""
            if len(text) > self._max_chars:
                intent = {"name": self._intent, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged."""
        return training_data
