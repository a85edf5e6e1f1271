"""A linear intent classifier for Rasa: TF-IDF per featurizer, a linear SVM, confidences by temperature.

Why not only DIET: on our data (short phone messages in four languages and three scripts, ~100
examples per intent and language) a linear SVM over sublinear TF-IDF n-grams generalises better in
cross-validation and trains in seconds instead of minutes (benchmarks/README.md has the comparison).
An SVM gives scores, not probabilities: a softmax over the scores with one temperature, fitted on
cross-validated scores of the training data, turns them into confidences that mean something, so a
doubtful message falls below the FallbackClassifier's threshold and gets the topic menu instead.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, hstack, vstack
from scipy.special import log_softmax, softmax
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)

_MODEL_FILE = "linear_intents.skops"
# The only types the persisted model may contain; anything else in the file is refused on load.
_TRUSTED_TYPES = [
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.svm._classes.LinearSVC",
    "scipy.sparse._csr.csr_matrix",
]


def _feature_blocks(messages: list[Message]) -> list[csr_matrix]:
    """The sentence-level sparse features of each featurizer, one matrix per featurizer (by origin)."""
    rows: dict[str, list[csr_matrix]] = defaultdict(list)
    for message in messages:
        found = {
            f.origin: f.features
            for f in message.features
            if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()
        }
        if not found:
            raise ValueError("LinearIntentClassifier needs a sparse featurizer before it in the pipeline")
        for origin, features in found.items():
            rows[origin].append(csr_matrix(features))
    return [vstack(rows[origin]).tocsr() for origin in sorted(rows)]


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The factor T for which softmax(T x scores) best predicts the true classes (least log loss)."""

    def log_loss(t: float) -> float:
        return -float(log_softmax(scores * t, axis=1)[np.arange(len(truth)), truth].mean())

    return float(minimize_scalar(log_loss, bounds=(0.1, 50.0), method="bounded").x)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Predicts the intent and a ranking of the intents with calibrated confidences."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 0.5, "calibration_folds": 3, "ranking_length": 10, "random_seed": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model: dict[str, Any] | None = None  # {"tfidf": [per featurizer], "svm": ..., "temperature": T}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self._config["C"], random_state=self._config["random_seed"])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: the linear intent classifier stays untrained.")
            return self._resource
        labels = np.array([e.get(INTENT) for e in examples])
        names, counts = np.unique(labels, return_counts=True)
        if len(names) < 2 or counts.min() < 2:
            raise ValueError("the intent classifier needs at least 2 intents with at least 2 examples each")

        tfidf = [TfidfTransformer(sublinear_tf=True) for _ in _feature_blocks(examples[:1])]
        features = hstack([t.fit_transform(b) for t, b in zip(tfidf, _feature_blocks(examples), strict=True)])
        features = features.tocsr()
        folds = StratifiedKFold(
            min(self._config["calibration_folds"], int(counts.min())),
            shuffle=True,
            random_state=self._config["random_seed"],
        )
        held_out_scores = cross_val_predict(
            self._svm(), features, labels, cv=folds, method="decision_function"
        )
        temperature = fit_temperature(held_out_scores, np.searchsorted(names, labels))
        self._model = {"tfidf": tfidf, "svm": self._svm().fit(features, labels), "temperature": temperature}
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None or not messages:
            return messages
        blocks = _feature_blocks(messages)
        features = hstack([t.transform(b) for t, b in zip(self._model["tfidf"], blocks, strict=True)]).tocsr()
        svm = self._model["svm"]
        probabilities = softmax(svm.decision_function(features) * self._model["temperature"], axis=1)
        for message, row in zip(messages, probabilities, strict=True):
            order = np.argsort(-row)[: max(1, self._config["ranking_length"])]
            ranking = [
                {INTENT_NAME_KEY: str(svm.classes_[i]), PREDICTED_CONFIDENCE_KEY: float(row[i])}
                for i in order
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self._model, model_dir / _MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        import skops.io as sio

        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                component._model = sio.load(model_dir / _MODEL_FILE, trusted=_TRUSTED_TYPES)
        except ValueError:  # nothing stored: trained without intent examples
            logger.debug("No stored linear intent model in %s.", resource.name)
        return component
