"""The linear intent classifier: trains, ranks intents with confidences, survives save and load."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.linear_intents import LinearIntentClassifier

EXAMPLES = {
    "ask_kita": [
        "kita platz",
        "wo finde ich eine kita",
        "kindergarten für meinen sohn",
        "садок для дитини",
        "kita anmeldung",
        "tagesmutter oder kita",
    ],
    "ask_school": [
        "welche schule nach der grundschule",
        "schule für meine tochter",
        "gymnasium anmelden",
        "schulplatz gesucht",
        "realschule oder gesamtschule",
        "школа для сина",
    ],
    "ask_housing": [
        "wohnung suchen",
        "aus dem heim ausziehen",
        "wer zahlt die miete",
        "шукаю квартиру",
        "eine wohnung finden",
        "wohnung mieten wie",
    ],
}
CONTEXT = ExecutionContext(graph_schema=None, model_id="test")


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def parts(storage):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    config = {
        **CountVectorsFeaturizer.get_default_config(),
        "analyzer": "char_wb",
        "min_ngram": 2,
        "max_ngram": 4,
    }
    featurizer = CountVectorsFeaturizer.create(config, storage, Resource("cv"), CONTEXT)
    training = TrainingData(
        [Message.build(text=text, intent=intent) for intent, texts in EXAMPLES.items() for text in texts]
    )
    tokenizer.process_training_data(training)
    featurizer.train(training)
    featurizer.process_training_data(training)
    return tokenizer, featurizer, training


def _parse(parts, classifier, text):
    tokenizer, featurizer, _ = parts
    message = Message.build(text=text)
    tokenizer.process([message])
    featurizer.process([message])
    classifier.process([message])
    return message


def test_predicts_the_topic_with_a_ranking_of_all_intents(storage, parts):
    classifier = LinearIntentClassifier.create({"calibration_folds": 2}, storage, Resource("lin"), CONTEXT)
    classifier.train(parts[2])

    message = _parse(parts, classifier, "kita plaz für meine tochter")

    assert message.get("intent")["name"] == "ask_kita"
    ranking = message.get("intent_ranking")
    assert {r["name"] for r in ranking} == set(EXAMPLES)
    assert ranking[0]["confidence"] >= ranking[1]["confidence"] >= ranking[2]["confidence"]
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_saved_model_loads_and_predicts_the_same(storage, parts):
    trained = LinearIntentClassifier.create({"calibration_folds": 2}, storage, Resource("lin"), CONTEXT)
    trained.train(parts[2])
    loaded = LinearIntentClassifier.load({"calibration_folds": 2}, storage, Resource("lin"), CONTEXT)

    before = _parse(parts, trained, "ich will eine wohnung suchen")
    after = _parse(parts, loaded, "ich will eine wohnung suchen")

    assert after.get("intent") == before.get("intent")
    assert after.get("intent")["name"] == "ask_housing"


def test_a_model_file_with_foreign_types_is_refused(storage, parts, tmp_path):
    import skops.io as sio

    with storage.write_to(Resource("evil")) as model_dir:
        sio.dump({"payload": LinearIntentClassifier}, model_dir / "linear_intents.skops")

    with pytest.raises(Exception, match="[Uu]ntrusted"):
        LinearIntentClassifier.load({}, storage, Resource("evil"), CONTEXT)
