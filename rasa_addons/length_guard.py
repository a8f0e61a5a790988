"""NLU components that keep over-long messages cheap and harmless.

A quiz answer is a sentence or two. A message of thousands of characters costs
every featurizer time (regex features grow with the text), and the classifiers'
guesses on it are noise: a noisy "ja" or "hilfreich" could store feedback the
user never gave. Two components handle it:

* `TruncateLongMessages` runs first and cuts the text to `max_chars`, marking
  the message, so the rest of the pipeline only ever sees a bounded text;
* `MessageLengthGuard` runs last and sets intent `out_of_scope` (confidence 1,
  no entities) for marked messages.
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

TOO_LONG = "message_too_long"
DEFAULT_MAX_CHARS = 2000


class _LengthComponent(GraphComponent):
    """Shared configuration and construction (nothing to train)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Default: 2,000 characters, far above any quiz answer."""
        return {"max_chars": DEFAULT_MAX_CHARS, "intent": "out_of_scope"}

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
    ) -> "_LengthComponent":
        """Creates the component."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged."""
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TruncateLongMessages(_LengthComponent):
    """Cuts texts longer than `max_chars` and marks the message."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Truncates over-long texts before any other component sees them."""
        for message in messages:
            text = message.get(TEXT) or ""
            if len(text) > self._max_chars:
                message.set(TEXT, text[: self._max_chars])
                message.set(TOO_LONG, True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageLengthGuard(_LengthComponent):
    """Sets intent `out_of_scope` (confidence 1, no entities) for marked messages."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides intent and entities of over-long messages."""
        for message in messages:
            if message.get(TOO_LONG) or len(message.get(TEXT) or "") > self._max_chars:
                intent = {"name": self._intent, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
