"""Slot mapping action: decide the answer language after every user message."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._common import entity_value, latest_intent
from bot.language import SUPPORTED, decide_language
from bot.municipality import resolve


class ActionDetectLanguage(Action):
    """Sets ``language`` (sticky) and ``language_picker`` (this turn only)."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        current = tracker.get_slot("language")
        chosen = entity_value(tracker, "language")  # from a language button
        if chosen in SUPPORTED:
            return [SlotSet("language", chosen), SlotSet("language_picker", False)]
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):
            # A button or the page's automatic greeting: no words to judge the language by.
            return [SlotSet("language_picker", False)]
        if current and _only_a_place(text, current):
            # "Hövelhof", "Дельбрюк": a place name says where the user lives, not which language they want.
            return [SlotSet("language_picker", False)]
        decision = decide_language(text, current, latest_intent(tracker))
        return [SlotSet("language", decision.language), SlotSet("language_picker", decision.show_picker)]


def _only_a_place(text: str, language: str) -> bool:
    words = re.sub(r"[^\w\s-]", " ", text).split()
    if not words or len(words) > 4:
        return False
    span = resolve(text, language).span or ""
    return len(span.split()) >= len(words) - (1 if len(words) > 2 else 0)
