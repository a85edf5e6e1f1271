"""Slot mapping action: notice where the user lives, in any message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._common import entity_value, language_of
from bot.municipality import municipalities, resolve


class ActionExtractMunicipality(Action):
    """Sets ``municipality`` and ``district`` when a message names a place in the Kreis with confidence."""

    def name(self) -> str:
        return "action_extract_municipality"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        chosen = entity_value(tracker, "municipality")  # from a "which place?" button
        if chosen in municipalities():
            return [SlotSet("municipality", chosen), SlotSet("district", None)]
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):
            return []
        resolution = resolve(text, language_of(tracker))
        if not resolution.confident:
            return []
        return [SlotSet("municipality", resolution.municipality), SlotSet("district", resolution.district)]
