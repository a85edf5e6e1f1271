"""The one action that answers: picks the topic, the language and the variant, and sends it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._common import CHOICE_FORMS, form_trigger_intent, input_issues, language_of, latest_intent, send
from bot.content import language_picker, load_store, load_topics, topic_replies, ui_reply


class ActionAnswer(Action):
    """Answers the latest intent, or the question that started a just-finished choice form."""

    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        store = load_store()
        language = language_of(tracker)
        issues = input_issues(tracker)
        intent = latest_intent(tracker) or "nlu_fallback"

        if "media" in issues or "empty" in issues:
            send(dispatcher, ui_reply(store, "input_media" if "media" in issues else "input_empty", language))
            return []
        if tracker.get_slot("language_picker") and intent != "report_emergency":
            send(dispatcher, [language_picker(store)])
            return []
        if "too_long" in issues:
            send(dispatcher, ui_reply(store, "input_too_long", language))

        events: list[dict[str, Any]] = []
        form = tracker.active_loop.get("name")
        if form in CHOICE_FORMS and intent != form_trigger_intent(tracker, form):
            # The user asked something else while we were asking: answer that, drop the question.
            events = [ActiveLoop(None), SlotSet("requested_slot", None)]
        elif latest_intent_is_form_answer(tracker):
            intent = _finished_form_intent(tracker) or intent

        topic = load_topics().get(intent)
        option = tracker.get_slot(topic.depends_on) if topic and topic.depends_on else None
        values = {"municipality": tracker.get_slot("municipality") or ""}
        send(dispatcher, topic_replies(store, intent, language, option=option, **values))
        return events


def latest_intent_is_form_answer(tracker: Tracker) -> bool:
    """True when a choice form just completed (its question was answered)."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop":
            return event.get("name") is None
        if event.get("event") == "user":
            return False
    return False


def _finished_form_intent(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") in CHOICE_FORMS:
            return form_trigger_intent(tracker, event["name"])
    return None
