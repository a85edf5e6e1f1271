"""The handoff form: consent, intake, overview, sending; and deleting the user's data on request.

Thin: the texts come from bot.handoff.dialogue, the checks from bot.handoff.intake, the case from
bot.handoff.service. Each ``extract_<slot>`` reads the user's answer only when that slot was asked,
and answers a wrong input itself (a ``handoff_retry`` counter keeps the form from being rejected,
so a typo in a phone number never ends up answered as a topic).
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._common import channel_of, entity_value, language_of, latest_intent, send
from bot.config import Settings
from bot.content import Reply, load_store, topic_replies
from bot.content.reply import place_replies
from bot.handoff import dialogue
from bot.handoff.db import Database, database
from bot.handoff.intake import (
    SKIPPED,
    Contact,
    check_description,
    clean_name,
    conversation_topics,
    parse_contact,
)
from bot.handoff.models import utcnow
from bot.handoff.roster import Roster, load_roster
from bot.handoff.service import create_case, delete_user_data, has_open_case
from bot.handoff.summary import HEALTH_TOPICS, Intake
from bot.municipality import municipalities, resolve

log = logging.getLogger(__name__)

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
EDITS = {"edit_place": "handoff_place", "edit_text": "handoff_description", "edit_contact": "handoff_contact"}


@lru_cache(maxsize=1)
def _settings() -> Settings:
    return Settings.from_env()


def _db() -> Database:
    return database(_settings().db_url)


def _roster() -> Roster:
    return load_roster(_settings().roster_path)


def _session_events(tracker: Tracker) -> list[dict[str, Any]]:
    events = tracker.events
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index:]
    return events


def session_topics(tracker: Tracker) -> tuple[str, ...]:
    intents = (
        ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        for e in _session_events(tracker)
        if e.get("event") == "user"
    )
    return conversation_topics(intents)


def _text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text.strip()


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
        emergency = latest_intent(tracker) == "report_emergency" and bool(_text(tracker))
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
        if _text(tracker):
            send(dispatcher, [Reply(load_store().ui(key, language_of(tracker), **values))])
        return {"handoff_retry": (tracker.get_slot("handoff_retry") or 0) + 1}

    async def extract_handoff_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if tracker.get_slot("handoff_consent") is not None:
            return {}
        if tracker.get_slot("requested_slot") is None:  # the form starts
            try:
                if await asyncio.to_thread(has_open_case, _db(), channel_of(tracker), tracker.sender_id):
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
        resolution = resolve(_text(tracker), language_of(tracker))
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
        text = _text(tracker)
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
        contact = parse_contact(_text(tracker))
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
        name = clean_name(_text(tracker))
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


class _AskHandoff:
    """``action_ask_<slot>``: the question for one intake slot in the user's language (a mixin)."""

    slot: str

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        store, language = load_store(), language_of(tracker)
        send(dispatcher, self.replies(tracker, store, language))
        return []

    def replies(self, tracker: Tracker, store: Any, language: str) -> list[Reply]:
        return [dialogue.question(store, language, self.slot)]


class ActionAskHandoffConsent(_AskHandoff, Action):
    slot = "handoff_consent"

    def replies(self, tracker: Tracker, store: Any, language: str) -> list[Reply]:
        return dialogue.consent_question(store, language, _settings().retention_days)


class ActionAskHandoffPlace(_AskHandoff, Action):
    slot = "handoff_place"

    def replies(self, tracker: Tracker, store: Any, language: str) -> list[Reply]:
        text = _text(tracker)
        if tracker.get_slot("requested_slot") == self.slot and text:
            resolution = resolve(text, language)
            if resolution.candidates:  # "did you mean ...?" with a button per candidate
                which = place_replies(store, language, resolution)[0]
                unknown = dialogue.question(store, language, self.slot).buttons
                return [Reply(which.text, which.buttons + unknown)]
        return [dialogue.question(store, language, self.slot)]


class ActionAskHandoffDescription(_AskHandoff, Action):
    slot = "handoff_description"


class ActionAskHandoffHealthConsent(_AskHandoff, Action):
    slot = "handoff_health_consent"


class ActionAskHandoffContact(_AskHandoff, Action):
    slot = "handoff_contact"


class ActionAskHandoffName(_AskHandoff, Action):
    slot = "handoff_name"


class ActionAskHandoffUrgency(_AskHandoff, Action):
    slot = "handoff_urgency"


class ActionAskHandoffConfirm(_AskHandoff, Action):
    slot = "handoff_confirm"

    def replies(self, tracker: Tracker, store: Any, language: str) -> list[Reply]:
        return [dialogue.overview(store, language, tracker.slots, session_topics(tracker))]


def _intake(tracker: Tracker) -> Intake:
    slot = tracker.get_slot
    place = slot("handoff_place")
    known_place = place in municipalities()
    topics = session_topics(tracker)
    contact = Contact.from_slot(slot("handoff_contact"))
    description = slot("handoff_description")
    return Intake(
        channel=channel_of(tracker),
        channel_user=tracker.sender_id,
        language=language_of(tracker),
        consent_at=utcnow(),
        municipality=place if known_place else None,
        district=slot("district") if known_place and slot("municipality") == place else None,
        topics=topics,
        residence_status=slot("residence_status"),
        school_stage=slot("school_stage"),
        description="" if description in (None, SKIPPED) else description,
        contact_kind=contact.kind,
        contact_value=contact.value,
        name=None if slot("handoff_name") in (None, SKIPPED) else slot("handoff_name"),
        urgency=slot("handoff_urgency") or "normal",
        health_consent=(slot("handoff_health_consent") == "yes")
        if HEALTH_TOPICS.intersection(topics)
        else None,
        emergency="report_emergency" in topics,
    )


class ActionHandoffSubmit(Action):
    """After the form: send the case (or say why nothing was sent), then forget the form's answers."""

    def name(self) -> str:
        return "action_handoff_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        store, language = load_store(), language_of(tracker)
        consent = tracker.get_slot("handoff_consent")
        reset = [SlotSet(slot, None) for slot in (*SLOTS, "handoff_retry")]
        if consent == "open_case":
            send(
                dispatcher,
                [Reply(store.ui("handoff_already_open", language, case_number=self._open_case(tracker)))],
            )
        elif consent == "no":
            send(
                dispatcher,
                [Reply(store.ui("handoff_declined", language)), *dialogue.public_contact(store, language)],
            )
        elif consent == "unavailable":
            self._unavailable(dispatcher, store, language)
        elif tracker.get_slot("handoff_place") == "outside":
            pass  # the "outside the Kreis" answer was given when the place was named
        elif tracker.get_slot("handoff_confirm") != "send":
            send(dispatcher, [Reply(store.ui("handoff_cancelled", language))])
        else:
            intake = _intake(tracker)
            try:
                created = await asyncio.to_thread(create_case, _db(), _roster(), intake)
            except SQLAlchemyError as exc:
                log.error("case could not be stored: %s", type(exc).__name__)
                self._unavailable(dispatcher, store, language)
                return reset
            log.info("handoff: case %s created (queue %s)", created.case_id, created.assignee_id or "biz")
            reply = dialogue.sent(
                store,
                language,
                case_id=created.case_id,
                municipality=intake.municipality,
                days=_roster().response_working_days,
                contact=Contact(intake.contact_kind, intake.contact_value),
            )
            dispatcher.utter_message(text=reply.text, json_message={"handoff": {"case": created.case_id}})
        return reset

    @staticmethod
    def _open_case(tracker: Tracker) -> str:
        from bot.handoff.service import open_case

        with _db().session() as session:
            case = open_case(session, channel_of(tracker), tracker.sender_id)
            return str(case.id) if case else "?"

    @staticmethod
    def _unavailable(dispatcher: CollectingDispatcher, store: Any, language: str) -> None:
        send(
            dispatcher,
            [Reply(store.ui("handoff_unavailable", language)), *dialogue.public_contact(store, language)],
        )


class ActionDeleteData(Action):
    """Deletes the user's cases (with their threads) after a confirmation button."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        store, language = load_store(), language_of(tracker)
        choice = entity_value(tracker, "handoff")
        if choice == "delete_no":
            send(dispatcher, [Reply(store.ui("delete_cancelled", language))])
            return []
        if choice != "delete_yes":
            send(dispatcher, [dialogue.delete_question(store, language)])
            return []
        try:
            deleted = await asyncio.to_thread(delete_user_data, _db(), channel_of(tracker), tracker.sender_id)
        except SQLAlchemyError as exc:
            log.error("deletion failed: %s", type(exc).__name__)
            self_unavailable = [Reply(store.ui("handoff_unavailable", language))]
            send(dispatcher, self_unavailable + dialogue.public_contact(store, language))
            return []
        log.info("deleted %d case(s) at the user's request", deleted)
        send(dispatcher, [Reply(store.ui("delete_done", language))])
        dispatcher.utter_message(json_message={"privacy": "deleted"})  # the channel forgets the conversation
        # The conversation's own slots go too; the tracker history is wiped by the channel (see webchat).
        return [SlotSet(slot, None) for slot in (*SLOTS, "handoff_retry", "municipality", "district")]
