"""The German summary a case manager reads first: labels, flags, health consent, local time."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.handoff.summary import Intake, german_summary, labels
from tests.handoff.factories import naive_utc

WINTER = naive_utc(2026, 1, 15, 10, 30)  # as stored
SUMMER = naive_utc(2026, 7, 1, 10, 30)


def _intake(**fields: object) -> Intake:
    base: dict[str, object] = {
        "channel": "webchat",
        "channel_user": "conv-1",
        "language": "uk",
        "consent_at": WINTER,
        "municipality": "Paderborn",
        "district": "Elsen",
        "topics": ("ask_housing", "ask_school"),
    }
    return Intake(**{**base, **fields})  # type: ignore[arg-type]


def _lines(intake: Intake) -> dict[str, str]:
    return {
        line.split(": ", 1)[0]: line.split(": ", 1)[1]
        for line in german_summary(intake).splitlines()
        if ": " in line
    }


def test_summary_has_german_labels_for_every_field() -> None:
    intake = _intake(
        residence_status="protection_24",
        school_stage="new_arrival",
        contact_kind="phone",
        contact_value="+49 5251 123456",
        name="Olena",
        urgency="urgent",
    )
    lines = _lines(intake)
    assert lines["Gemeinde"] == "Paderborn, Ortsteil Elsen"
    assert lines["Themen"] == "Wohnen / Auszug aus der Unterkunft, Schule"
    assert lines["Sprache der Person"] == "Ukrainisch"
    assert lines["Kanal"] == "Web-Chat auf der Kreis-Website"
    assert lines["Dringlichkeit"].startswith("dringend")
    assert (
        lines["Aufenthaltspapier (Angabe der Person)"] == "Aufenthaltserlaubnis nach § 24 AufenthG (Ukraine)"
    )
    assert lines["Schule"] == "Kind neu in Deutschland, sucht Schulplatz"
    assert lines["Kontakt"] == "Telefon: +49 5251 123456"
    assert lines["Name"] == "Olena"


def test_every_topic_and_language_has_a_german_label() -> None:
    names = labels()
    for topic in names["topics"]:
        assert names["topics"][topic] in german_summary(_intake(topics=(topic,), health_consent=True))
    for language, label in names["languages"].items():
        assert _lines(_intake(language=language))["Sprache der Person"] == label


def test_without_municipality_the_summary_names_the_biz_queue() -> None:
    lines = _lines(_intake(municipality=None, district=None, topics=()))
    assert lines["Gemeinde"] == "unbekannt (BIZ-Koordination)"
    assert lines["Themen"] == "Sonstiges"
    assert lines["Name"] == "nicht angegeben"
    assert lines["Kontakt"] == "Antwort über den Chat"


def test_emergency_is_flagged_on_the_first_line() -> None:
    summary = german_summary(_intake(emergency=True))
    assert summary.splitlines()[0].startswith("⚠ NOTFALL")
    assert "110/112" in summary
    assert "NOTFALL" not in german_summary(_intake())


def test_health_topic_with_consent_is_flagged_and_shared() -> None:
    summary = german_summary(_intake(topics=("ask_psychological_help", "ask_housing"), health_consent=True))
    assert summary.splitlines()[0].startswith("⚠ GESUNDHEIT")
    assert (
        "Psychologische Hilfe"
        in _lines(_intake(topics=("ask_psychological_help",), health_consent=True))["Themen"]
    )


@pytest.mark.parametrize("consent", [False, None])
def test_health_topics_are_left_out_without_consent(consent: bool | None) -> None:
    intake = _intake(
        topics=("ask_health_care", "ask_psychological_help", "ask_housing"), health_consent=consent
    )
    summary = german_summary(intake)
    assert "Gesundheit / Krankenversicherung" not in summary
    assert "Psychologische Hilfe" not in summary
    assert "GESUNDHEIT" not in summary
    assert "Gesundheitsangaben" not in summary and "Einwilligung zur Weitergabe:" in summary
    assert _lines(intake)["Themen"] == "Wohnen / Auszug aus der Unterkunft"


def test_summary_leaves_out_the_description() -> None:
    summary = german_summary(_intake(description="Mein Vermieter hat mir gekündigt"))
    assert "Vermieter" not in summary


@pytest.mark.parametrize(("moment", "local"), [(WINTER, "15.01.2026 11:30"), (SUMMER, "01.07.2026 12:30")])
def test_consent_time_is_shown_in_german_local_time(moment: datetime, local: str) -> None:
    assert _lines(_intake(consent_at=moment))["Einwilligung zur Weitergabe"] == f"{local} Uhr"
