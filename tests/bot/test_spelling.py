"""Spellings of one word in different scripts meet on one form, so the intent model generalises."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.spelling import consonant_skeleton, romanize
from bot.rasa_components import SpellingCountVectorsFeaturizer


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("дякую", "diakuiu"),
        ("дякую", "dyakuyu"),
        ("привіт", "pryvit"),
        ("житло", "zhytlo"),
        ("хочу", "khochu"),
        ("хочу", "xochu"),
        ("шукаю", "shukaiu"),
        ("щастя", "shchastia"),
        ("Центр", "tsentr"),
        ("їжа", "yizha"),
        ("роботу", "robotu"),
    ],
)
def test_cyrillic_and_its_latin_transliterations_meet(cyrillic, latin):
    assert romanize(cyrillic) == romanize(latin)


@pytest.mark.parametrize(
    ("arabic", "arabizi"),
    [
        ("عندي", "3ndi"),
        ("حضانة", "7dana"),
        ("خلص", "5ls"),
    ],
)
def test_arabic_script_reads_as_arabizi(arabic, arabizi):
    assert romanize(arabic) == romanize(arabizi)


def test_arabizi_with_vowels_meets_arabic_without_them_on_the_skeleton():
    assert consonant_skeleton("بدي شغل") == consonant_skeleton("badi shoghl")
    assert consonant_skeleton("شو يعني") == consonant_skeleton("shu ya3ni")


def test_german_spellings_without_umlauts_meet():
    assert romanize("Ausländerbehörde") == romanize("auslanderbehorde")
    assert romanize("Straße") == romanize("strasse")


def test_arabic_letter_variants_and_vowel_marks_fold():
    assert romanize("أريد") == romanize("اريد")
    assert romanize("مَدْرَسَة") == romanize("مدرسه")


def test_digits_and_punctuation_stay():
    assert romanize("33104") == "33104"
    assert romanize("§ 24") == "§ 24"


def _featurizer(tmp_path, spelling):
    storage = LocalModelStorage(tmp_path)
    config = {
        **SpellingCountVectorsFeaturizer.get_default_config(),
        "analyzer": "char_wb",
        "spelling": spelling,
    }
    config["min_ngram"], config["max_ngram"] = 3, 3
    return SpellingCountVectorsFeaturizer.create(
        config, storage, Resource(f"cv-{spelling}"), ExecutionContext(graph_schema=None, model_id="test")
    )


def _features(featurizer, tokenizer, text):
    message = Message.build(text=text)
    tokenizer.process([message])
    featurizer.process([message])
    _, sentence = message.get_sparse_features("text")
    return set(sentence.features.tocsr().indices)


def test_featurizer_learns_from_cyrillic_and_fires_on_transliteration(tmp_path):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    training = TrainingData(
        [Message.build(text="дякую дуже", intent="thank"), Message.build(text="шукаю житло")]
    )
    tokenizer.process_training_data(training)
    romanized = _featurizer(tmp_path, "romanized")
    romanized.train(training)

    assert _features(romanized, tokenizer, "diakuiu") == _features(romanized, tokenizer, "дякую")
    assert _features(romanized, tokenizer, "shukaiu zhytlo")


def test_unknown_spelling_is_refused(tmp_path):
    with pytest.raises(ValueError, match="spelling must be one of"):
        _featurizer(tmp_path, "phonetic")


def test_the_arabic_article_and_its_prepositions_do_not_count():
    assert romanize("الكيتا") == romanize("كيتا")
    assert romanize("بالمدرسة") == romanize("مدرسة")
    assert romanize("ال") == "al"  # a bare article stays a word
