"""NLU components that keep over-long messages cheap and harmless, and recognise job ads.

A quiz answer is a sentence or two. A message of thousands of characters costs
every featurizer time (regex features grow with the text), and the classifiers'
guesses on it are noise: a noisy "ja" or "hilfreich" could store feedback the
user never gave. A pasted job ad is long too, but it is a request of its own
(the job-ad check, career_quiz/job_ad.py). Two components handle both:

* `TruncateLongMessages` runs first. It marks a text with the structure of a job ad
  (`career_quiz.job_ad.looks_like_ad`, up to `max_ad_chars`), and cuts every text to
  `max_chars`, marking the message, so the rest of the pipeline only ever sees a
  bounded text; an ad is cut to its first AD_PIPELINE_CHARS characters (the action
  reads the whole ad from the tracker's user message, which keeps the text as it
  was sent);
* `MessageLengthGuard` runs last and sets intent `job_ad` for marked ads and
  `out_of_scope` for other marked messages (confidence 1, no entities).
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
JOB_AD = "message_is_job_ad"
DEFAULT_MAX_CHARS = 2000
DEFAULT_MAX_AD_CHARS = 6000
# What the pipeline sees of an ad: its intent is set by the guard, whatever the
# classifiers say, so the featurizers need not read the whole text.
AD_PIPELINE_CHARS = 300


class _LengthComponent(GraphComponent):
    """Shared configuration and construction (nothing to train)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Default: 2,000 characters, far above any quiz answer; job ads up to 6,000."""
        return {
            "max_chars": DEFAULT_MAX_CHARS,
            "intent": "out_of_scope",
            "max_ad_chars": DEFAULT_MAX_AD_CHARS,
            "ad_intent": "job_ad",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Stores the configuration."""
        self._max_chars = int(config["max_chars"])
        self._intent = str(config["intent"])
        self._max_ad_chars = int(config.get("max_ad_chars", DEFAULT_MAX_AD_CHARS))
        self._ad_intent = str(config.get("ad_intent", "job_ad"))

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
    """Marks job ads; cuts texts longer than `max_chars` and marks the message."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Marks ads and truncates over-long texts before any other component sees them."""
        from career_quiz.job_ad import looks_like_ad, retold_ad

        for message in messages:
            text = message.get(TEXT) or ""
            if len(text) <= self._max_ad_chars and (looks_like_ad(text) or retold_ad(text)):
                message.set(JOB_AD, True)
                message.set(TEXT, text[:AD_PIPELINE_CHARS])
            elif len(text) > self._max_chars:
                message.set(TEXT, text[: self._max_chars])
                message.set(TOO_LONG, True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageLengthGuard(_LengthComponent):
    """Sets intent `job_ad` for marked ads and `out_of_scope` for other marked messages
    (confidence 1, no entities).
    """

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides intent and entities of ads and over-long messages."""
        for message in messages:
            if message.get(JOB_AD):
                name = self._ad_intent
            elif message.get(TOO_LONG) or len(message.get(TEXT) or "") > self._max_chars:
                name = self._intent
            else:
                name = ""
            if name:
                intent = {"name": name, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
