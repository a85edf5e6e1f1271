"""The German intake summary for the case manager, built from what the intake collected.

Structured fields only; the user's own words are not part of it: they are the first message of
the case thread, kept in the original and translated (marked as machine translation) beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

LABELS_PATH = Path(__file__).with_name("labels_de.yml")
BERLIN = ZoneInfo("Europe/Berlin")
HEALTH_TOPICS = frozenset({"ask_psychological_help", "ask_health_care"})
EMERGENCY_TOPICS = frozenset({"report_emergency"})


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load(LABELS_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Intake:
    """Everything the intake form collected, after validation. Times are naive UTC."""

    channel: str
    channel_user: str
    language: str
    consent_at: datetime
    municipality: str | None = None
    district: str | None = None
    topics: tuple[str, ...] = ()
    residence_status: str | None = None
    school_stage: str | None = None
    description: str = ""
    contact_kind: str = "chat"
    contact_value: str | None = None
    name: str | None = None
    urgency: str = "normal"
    health_consent: bool | None = None
    emergency: bool = False

    @property
    def health(self) -> bool:
        return bool(HEALTH_TOPICS.intersection(self.topics))

    @property
    def shared_topics(self) -> tuple[str, ...]:
        """Health topics are shared only with explicit consent."""
        if self.health and not self.health_consent:
            return tuple(t for t in self.topics if t not in HEALTH_TOPICS)
        return self.topics


def local_time(moment: datetime) -> str:
    aware = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return aware.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")


def german_summary(intake: Intake) -> str:
    """The structured German summary (one field per line)."""
    names = labels()
    lines: list[str] = []
    if intake.emergency:
        lines.append(
            "⚠ NOTFALL: Im Gespräch wurde ein Notfall genannt. "
            "Die Person hat die Notrufnummern 110/112 erhalten."
        )
    if intake.health and intake.health_consent:
        lines.append("⚠ GESUNDHEIT: Die Anfrage betrifft Gesundheit; Einwilligung zur Weitergabe liegt vor.")
    place = intake.municipality or "unbekannt (BIZ-Koordination)"
    if intake.district:
        place += f", Ortsteil {intake.district}"
    topics = [names["topics"].get(t, t) for t in intake.shared_topics] or [names["topics"]["other"]]
    lines += [
        f"Gemeinde: {place}",
        f"Themen: {', '.join(topics)}",
        f"Sprache der Person: {names['languages'].get(intake.language, intake.language)}",
        f"Kanal: {names['channels'].get(intake.channel, intake.channel)}",
        f"Dringlichkeit: {names['urgency'].get(intake.urgency, intake.urgency)}",
    ]
    if intake.residence_status:
        lines.append(
            f"Aufenthaltspapier (Angabe der Person): {names['residence_status'][intake.residence_status]}"
        )
    if intake.school_stage:
        lines.append(f"Schule: {names['school_stage'][intake.school_stage]}")
    contact = names["contact"][intake.contact_kind]
    if intake.contact_value:
        contact += f": {intake.contact_value}"
    lines.append(f"Kontakt: {contact}")
    lines.append(f"Name: {intake.name or 'nicht angegeben'}")
    lines.append(f"Einwilligung zur Weitergabe: {local_time(intake.consent_at)} Uhr")
    return "\n".join(lines)
