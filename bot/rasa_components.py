"""Custom Rasa NLU components (referenced by name in config.yml). Thin adapters over ``bot``."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.emergency import mentions_emergency
from bot.input_guard import guard_input
from bot.language.spelling import consonant_skeleton, romanize

INPUT_ISSUES = "input_issues"
SPELLINGS = {"romanized": romanize, "skeleton": consonant_skeleton}


class _Stateless(GraphComponent):
    """A component with no configuration and nothing to train or persist."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class InputGuard(_Stateless):
    """Cleans and bounds the text before tokenisation; adds ``input_issues`` to the parse result."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            guarded = guard_input(message.get(TEXT), message.get("metadata"))
            message.set(TEXT, guarded.text)
            message.set(INPUT_ISSUES, list(guarded.issues), add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(_Stateless):
    """Makes a message that names acute danger ``report_emergency``, whatever the classifier said.

    Runs after the FallbackClassifier, so a message the model did not understand but that says "he is
    not breathing" still gets the emergency numbers.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if predicted != "report_emergency" and mentions_emergency(message.get(TEXT) or ""):
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: "report_emergency", PREDICTED_CONFIDENCE_KEY: 1.0},
                    add_to_output=True,
                )
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SpellingCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer over a spelling-independent form of each word of the text.

    ``spelling: romanized`` or ``skeleton`` (see ``bot.language.spelling``) lets character n-grams
    learnt from "дякую" also fire on "diakuiu", and those of "بدي شغل" on "badi sho3'l".
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**CountVectorsFeaturizer.get_default_config(), "spelling": "romanized"}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        super().validate_config(config)
        if config.get("spelling") not in SPELLINGS:
            raise ValueError(f"spelling must be one of {sorted(SPELLINGS)}, not {config.get('spelling')!r}")

    def _get_message_tokens_by_attribute(self, message: Message, attribute: str) -> list[str]:
        tokens = super()._get_message_tokens_by_attribute(message, attribute)
        if attribute != TEXT:
            return tokens
        spell = SPELLINGS[self._config["spelling"]]
        return [spell(token) or token for token in tokens]
