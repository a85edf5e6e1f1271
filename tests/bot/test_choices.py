"""Reading the user's reply to "which paper do you have?" and "is your child finishing Grundschule?"."""

import pytest

from bot.content import load_choices, match_option


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Duldung", "duldung"),
        ("ich habe eine dulding", "duldung"),
        ("у мене дульдунг", "duldung"),
        ("معي دولدونغ", "duldung"),
        ("Aufenthaltsgestattung", "gestattung"),
        ("asylverfahren läuft noch", "gestattung"),
        ("طالب لجوء", "gestattung"),
        ("§24", "protection_24"),
        ("Aufenthaltserlaubnis nach § 24", "protection_24"),
        ("тимчасовий захист", "protection_24"),
        ("Aufenthaltserlaubnis", "permit"),
        ("I am recognised as refugee, I have residence permit", "permit"),
        ("عندي إقامة", "permit"),
        ("weiß nicht", "unsure"),
        ("не знаю", "unsure"),
        ("ما بعرف", "unsure"),
    ],
)
def test_residence_status_from_free_text(text, expected):
    assert match_option(load_choices()["residence_status"], text) == expected


@pytest.mark.parametrize("text", ["", "hallo", "ok", "wo ist die kita", "12345"])
def test_no_status_when_none_is_named(text):
    assert match_option(load_choices()["residence_status"], text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мій син закінчує Grundschule", "grundschule_end"),
        ("sie ist in der 4. Klasse", "grundschule_end"),
        ("we just arrived, no school yet", "new_arrival"),
        ("وصلنا جديد على ألمانيا", "new_arrival"),
        ("ابني في الصف الرابع", "grundschule_end"),
    ],
)
def test_school_stage_from_free_text(text, expected):
    assert match_option(load_choices()["school_stage"], text) == expected
