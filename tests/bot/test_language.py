"""Which language the assistant answers in."""

import pytest

from bot.language import decide_language, detect_language, requested_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ich habe eine Duldung, darf ich arbeiten?", "de"),
        ("ich nix arbeit erlaubnis wo jobcenter", "de"),
        ("where can my wife get help for trauma", "en"),
        ("pls how i can get work permit", "en"),
        ("Мій син закінчує Grundschule, яку школу тепер?", "uk"),
        ("де знайти садочок для дитини", "uk"),
        ("можно ли работать с параграфом 24", "ru"),
        ("وين بلاقي روضة لابني؟", "ar"),
        ("بدي اشتغل عندي دولدونغ", "ar"),
        ("3ndi duldung fini e2tghel?", "ar"),
        ("shu lazem a3mel la la2e beit", "ar"),
        ("من کجا می توانم کار پیدا کنم", "fa"),
        ("bonjour je cherche un travail pour mon mari", "fr"),
        ("merhaba iş arıyorum nasıl bulabilirim", "tr"),
    ],
)
def test_detects_the_written_language(text, expected):
    assert detect_language(text).language == expected


@pytest.mark.parametrize("text", ["", "   ", "👍👍", "33104", "?!"])
def test_no_language_without_letters(text):
    detection = detect_language(text)
    assert detection.language is None
    assert not detection.confident


def test_short_word_does_not_switch_an_ongoing_conversation():
    for text in ["ok", "danke", "thanks", "👍", "kita?"]:
        decision = decide_language(text, "uk")
        assert decision.language == "uk", text
        assert not decision.show_picker


def test_a_clear_sentence_in_another_supported_language_switches():
    decision = decide_language("where can I find a German course for my wife", "de")
    assert decision.language == "en"
    assert decision.changed


def test_russian_is_answered_in_ukrainian():
    decision = decide_language("где найти детский сад для ребенка", None)
    assert decision.written == "ru"
    assert decision.language == "uk"


def test_arabic_in_latin_letters_is_answered_in_arabic():
    assert decide_language("salam 3ndi so2al 3an el kita", "de").language == "ar"


def test_unknown_language_gets_the_picker_and_keeps_the_language():
    decision = decide_language("bonjour je cherche un travail pour mon mari", "de")
    assert decision.show_picker
    assert decision.language == "de"


def test_first_message_without_language_gets_the_picker():
    decision = decide_language("👍", None)
    assert decision.show_picker
    assert decision.language is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("English please", "en"),
        ("auf Deutsch bitte", "de"),
        ("можна українською?", "uk"),
        ("можно на русском?", None),  # Russian is not offered; the picker follows
        ("بالعربي لو سمحت", "ar"),
        ("kannst du arabisch", "ar"),
        ("can you write in ukrainian", "uk"),
    ],
)
def test_requested_language(text, expected):
    assert requested_language(text) == expected


def test_change_language_switches_to_the_named_language_not_the_written_one():
    decision = decide_language("can you answer in Arabic please", "en", intent="change_language")
    assert decision.language == "ar"
    assert decision.changed


def test_change_language_without_a_name_shows_the_picker():
    decision = decide_language("other language please", "en", intent="change_language")
    assert decision.show_picker
    assert decision.language == "en"
