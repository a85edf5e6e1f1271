"""What the NLU gets to read of odd messages, and what the assistant learns about them."""

from bot.input_guard import MAX_NLU_CHARS, guard_input


def test_plain_text_passes_unchanged():
    guarded = guard_input("Wo finde ich eine Kita?")
    assert guarded.text == "Wo finde ich eine Kita?"
    assert guarded.issues == ()


def test_empty_and_whitespace_are_flagged():
    assert guard_input("").issues == ("empty",)
    assert guard_input(None).issues == ("empty",)
    assert guard_input(" \n\t ").issues == ("empty",)


def test_control_characters_are_removed():
    guarded = guard_input("kita\x00\x07 bitte\u202e")
    assert guarded.text == "kita bitte"


def test_emoji_only_has_no_letters():
    assert guard_input("🙏🙏😢").issues == ("no_letters",)


def test_media_from_channel_metadata():
    guarded = guard_input("", {"media": "voice"})
    assert "media" in guarded.issues


def test_unknown_metadata_is_ignored():
    assert guard_input("hallo", {"media": "<script>"}).issues == ()


def test_long_text_keeps_the_question_at_the_end():
    story = "Wir sind 2022 gekommen und wohnen im Heim. " * 250 + "Wo finde ich eine Wohnung?"
    guarded = guard_input(story)
    assert "too_long" in guarded.issues
    assert len(guarded.text) <= MAX_NLU_CHARS + 3
    assert guarded.text.endswith("Wo finde ich eine Wohnung?")
