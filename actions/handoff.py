"""The handoff: the intake's questions, sending the case, and deleting the user's data on request.

Thin: the texts come from bot.handoff.dialogue, the case from bot.handoff.service; the answers are
read by the form validation in actions/handoff_form.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._common import channel_of, entity_value, language_of, send
from actions._handoff import SLOTS, handoff_db, handoff_roster, handoff_settings, session_topics, user_text
from bot.content import Reply, load_store
from bot.content.reply import place_replies
from bot.handoff import dialogue
from bot.handoff.intake import SKIPPED, Contact
from bot.handoff.models import utcnow
from bot.handoff.service import create_case, delete_user_data
from bot.handoff.summary import HEALTH_TOPICS, Intake
from bot.municipality import municipalities, resolve

log = logging.getLogger(__name__)


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
        return dialogue.consent_question(store, language, handoff_settings().retention_days)


class ActionAskHandoffPlace(_AskHandoff, Action):
    slot = "handoff_place"

    def replies(self, tracker: Tracker, store: Any, language: str) -> list[Reply]:
        text = user_text(tracker)
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
                created = await asyncio.to_thread(create_case, handoff_db(), handoff_roster(), intake)
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
                days=handoff_roster().response_working_days,
                contact=Contact(intake.contact_kind, intake.contact_value),
            )
            dispatcher.utter_message(text=reply.text, json_message={"handoff": {"case": created.case_id}})
        return reset

    @staticmethod
    def _open_case(tracker: Tracker) -> str:
        from bot.handoff.service import open_case

        with handoff_db().session() as session:
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
            deleted = await asyncio.to_thread(
                delete_user_data, handoff_db(), channel_of(tracker), tracker.sender_id
            )
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
