"""Helpers shared by the actions: reading the tracker and sending replies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content import Reply

DEFAULT_LANGUAGE = "de"
CHOICE_FORMS = frozenset({"residence_status_form", "school_stage_form"})  # forms asking a choice first


def language_of(tracker: Tracker) -> str:
    return tracker.get_slot("language") or DEFAULT_LANGUAGE


def send(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
        dispatcher.utter_message(text=reply.text, buttons=buttons or None)


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def input_issues(tracker: Tracker) -> list[str]:
    return list(tracker.latest_message.get("input_issues") or [])


def form_trigger_intent(tracker: Tracker, form_name: str) -> str | None:
    """The intent of the user message that activated ``form_name`` most recently."""
    activated = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form_name:
            activated = True
        elif activated and event.get("event") == "user":
            return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return None


def entity_value(tracker: Tracker, entity: str) -> Any:
    return next(tracker.get_latest_entity_values(entity), None)


CHANNELS = frozenset({"webchat", "telegram", "whatsapp"})


def channel_of(tracker: Tracker) -> str:
    """Our channel name: from the metadata our channels send, else Rasa's input channel."""
    metadata = tracker.latest_message.get("metadata") or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return channel if channel in CHANNELS else (tracker.get_latest_input_channel() or "rest")
