"""Acute danger in plain words is recognised in all four languages, ordinary questions are not."""

import pytest

from bot.emergency import mentions_emergency


@pytest.mark.parametrize(
    "text",
    [
        "help my husband is not breathing",
        "mein kind ist bewusstlos",
        "Er schlägt mich jeden Abend",
        "він не дихає",
        "мой муж бьет меня",
        "عم يضربني جوزي",
        "ابني فاقد الوعي",
        "я хочу покінчити з собою",
        "I want to kill myself",
        "bitte krankenwagen",
        "somebody stabbed my friend",
        "мене хочуть вбити, хтось ломиться в квартиру",
        "مرتي ما عم تتنفس",
        "ich möchte nicht mehr leben",
    ],
)
def test_acute_danger(text):
    assert mentions_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "ich suche eine ausbildung bei der feuerwehr",
        "wo finde ich einen arzt",
        "my wife feels sad all the time",
        "can I work as a firefighter",
        "де знайти лікаря для дитини",
        "وين في دكتور أسنان",
        "meine oma ist gestorben, wo bekomme ich hilfe",
        "i am not responding to the jobcenter letter",
        "der drucker reagiert nicht",
        "das amt antwortet nicht mehr auf meine mails",
        "",
    ],
)
def test_ordinary_questions(text):
    assert not mentions_emergency(text)
