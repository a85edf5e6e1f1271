"""What the handoff actions share: the form's slots, the case database and roster, the session's topics."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from bot.config import Settings
from bot.handoff.db import Database, database
from bot.handoff.intake import conversation_topics
from bot.handoff.roster import Roster, load_roster

SLOTS = (
    "handoff_consent",
    "handoff_place",
    "handoff_description",
    "handoff_health_consent",
    "handoff_contact",
    "handoff_name",
    "handoff_urgency",
    "handoff_confirm",
)


@lru_cache(maxsize=1)
def handoff_settings() -> Settings:
    return Settings.from_env()


def handoff_db() -> Database:
    return database(handoff_settings().db_url)


def handoff_roster() -> Roster:
    return load_roster(handoff_settings().roster_path)


def _session_events(tracker: Tracker) -> list[dict[str, Any]]:
    events = tracker.events
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index:]
    return events


def session_topics(tracker: Tracker) -> tuple[str, ...]:
    """The topics asked about since this conversation session began (the case's topics)."""
    intents = (
        ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        for e in _session_events(tracker)
        if e.get("event") == "user"
    )
    return conversation_topics(intents)


def user_text(tracker: Tracker) -> str:
    """The user's words; empty for a button tap or the page's automatic greeting."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text.strip()
