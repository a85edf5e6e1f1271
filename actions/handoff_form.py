"""The handoff form's validation: reads each answer of the intake, only when that question was asked.

Each ``extract_<slot>`` answers a wrong input itself (a ``handoff_retry`` counter keeps the form
from being rejected, so a typo in a phone number is never answered as a topic). An emergency is
answered at once; the cancel button under every question ends the form.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._common import channel_of, entity_value, language_of, latest_intent, send
from actions._handoff import SLOTS, handoff_db, session_topics, user_text
from bot.content import Reply, load_store, topic_replies
from bot.content.reply import place_replies
from bot.handoff.intake import SKIPPED, Contact, check_description, clean_name, parse_contact
from bot.handoff.service import has_open_case
from bot.handoff.summary import HEALTH_TOPICS
from bot.municipality import municipalities, resolve

log = logging.getLogger(__name__)

EDITS = {"edit_place": "handoff_place", "edit_text": "handoff_description", "edit_contact": "handoff_contact"}


def _answered_this_turn(tracker: Tracker) -> bool:
    """Did the assistant already answer the latest user message (the emergency rule ran)?"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == "action_answer":
            return True
    return False


def _yes_no(tracker: Tracker, yes: str, no: str) -> str | None:
    value = entity_value(tracker, "handoff")
    if value in (yes, no):
        return "yes" if value == yes else "no"
    return {"affirm": "yes", "deny": "no"}.get(latest_intent(tracker) or "")


class ValidateHandoffForm(FormValidationAction):
    """Reads the answers of the intake; which questions are asked depends on the earlier answers."""

    def name(self) -> str:
        return "validate_handoff_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if entity_value(tracker, "handoff") == "cancel":  # the cancel button under every question
            return [SlotSet("handoff_confirm", "cancel"), SlotSet("requested_slot", None)]
        emergency = latest_intent(tracker) == "report_emergency" and bool(user_text(tracker))
        if emergency and not _answered_this_turn(tracker):
            if tracker.get_slot("requested_slot") == "handoff_description":
                # Their story names danger: answer the emergency now, and keep the story for the person.
                send(dispatcher, topic_replies(load_store(), "report_emergency", language_of(tracker)))
            else:
                # No slot set: Rasa rejects the form for this turn, the emergency rule answers at once,
                # and the form then asks its question again (stories/rules_handoff.yml).
                return []
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        if tracker.get_slot("handoff_consent") != "yes" or tracker.get_slot("handoff_confirm") == "cancel":
            return ["handoff_consent"]  # asked, refused, cancelled, or the user already has an open case
        if tracker.get_slot("handoff_place") == "outside":
            return ["handoff_consent", "handoff_place"]
        health = bool(HEALTH_TOPICS.intersection(session_topics(tracker)))
        return [s for s in SLOTS if health or s != "handoff_health_consent"]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # The extract_ methods validate already; keep every slot they set (also district, retry).
        return [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items()]

    @staticmethod
    def _asked(tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot("requested_slot") == slot

    @staticmethod
    def _retry(tracker: Tracker, dispatcher: CollectingDispatcher, key: str, **values: str) -> dict[str, Any]:
        """Say what was wrong (not for a button or a page reload: the question simply comes again)."""
        if user_text(tracker):
            send(dispatcher, [Reply(load_store().ui(key, language_of(tracker), **values))])
        return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}

    async def extract_handoff_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if tracker.get_slot("handoff_consent") is not None:
            return {}
        if tracker.get_slot("requested_slot") is None:  # the form starts
            try:
                if await asyncio.to_thread(
                    has_open_case, handoff_db(), channel_of(tracker), tracker.sender_id
                ):
                    return {"handoff_consent": "open_case"}
            except SQLAlchemyError as exc:
                log.error("case database unavailable: %s", type(exc).__name__)
                return {"handoff_consent": "unavailable"}
            return {}
        answer = _yes_no(tracker, "consent_yes", "consent_no")
        if answer is None:
            return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}
        slots: dict[str, Any] = {"handoff_consent": answer}
        if answer == "yes" and tracker.get_slot("municipality") in municipalities():
            slots["handoff_place"] = tracker.get_slot("municipality")
        return slots

    async def extract_handoff_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_place"):
            return {}
        if entity_value(tracker, "handoff") == "place_unknown":
            return {"handoff_place": "unknown", "district": None}
        chosen = entity_value(tracker, "municipality")
        if chosen in municipalities():
            return {"handoff_place": chosen, "district": None}
        resolution = resolve(user_text(tracker), language_of(tracker))
        if resolution.confident:
            return {"handoff_place": resolution.municipality, "district": resolution.district}
        if resolution.outside and not resolution.candidates:
            send(dispatcher, place_replies(load_store(), language_of(tracker), resolution))
            return {"handoff_place": "outside"}
        # Unsure or not found: the ask action shows the candidates (or the question) again.
        return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}

    async def extract_handoff_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_description"):
            return {}
        if entity_value(tracker, "handoff") == "skip":
            return {"handoff_description": SKIPPED}
        text = user_text(tracker)
        if "too_long" in (tracker.latest_message.get("input_issues") or []):
            text = "x" * 10_000  # cut by the input guard: too long whatever is left
        problem = check_description(text)
        if problem:
            return self._retry(tracker, dispatcher, problem, max_chars="1000")
        return {"handoff_description": text}

    async def extract_handoff_health_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_health_consent"):
            return {}
        answer = _yes_no(tracker, "health_yes", "health_no")
        if answer is None:
            return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}
        return {"handoff_health_consent": answer}

    async def extract_handoff_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_contact"):
            return {}
        if entity_value(tracker, "handoff") == "contact_chat":
            return {"handoff_contact": Contact("chat").as_slot()}
        contact = parse_contact(user_text(tracker))
        if contact is None:
            return self._retry(tracker, dispatcher, "handoff_contact_invalid")
        return {"handoff_contact": contact.as_slot()}

    async def extract_handoff_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_name"):
            return {}
        if entity_value(tracker, "handoff") == "skip" or latest_intent(tracker) == "deny":
            return {"handoff_name": SKIPPED}
        name = clean_name(user_text(tracker))
        if name is None:
            return self._retry(tracker, dispatcher, "handoff_name_invalid")
        return {"handoff_name": name}

    async def extract_handoff_urgency(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_urgency"):
            return {}
        answer = _yes_no(tracker, "urgent", "not_urgent")
        if answer is None:
            return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}
        return {"handoff_urgency": "urgent" if answer == "yes" else "normal"}

    async def extract_handoff_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if not self._asked(tracker, "handoff_confirm"):
            return {}
        value = entity_value(tracker, "handoff")
        if value in EDITS:
            return {EDITS[value]: None, "handoff_confirm": None}
        if value in ("send", "cancel"):
            return {"handoff_confirm": value}
        if latest_intent(tracker) == "affirm":
            return {"handoff_confirm": "send"}
        return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}
