"""The one action that answers: picks the topic, the language and the variant, and sends it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._common import (
    CHOICE_FORMS,
    entity_value,
    form_trigger_intent,
    input_issues,
    language_of,
    latest_intent,
    send,
)
from bot.content import Reply, language_picker, load_store, load_topics, topic_replies, ui_reply
from bot.content.reply import place_replies
from bot.municipality import Resolution, resolve


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

        form = completed_form(tracker)
        if form is not None:
            # The user answered our question: answer the question that started it.
            intent = form_trigger_intent(tracker, form) or intent

        if intent == "inform_municipality":
            send(dispatcher, self._place_replies(tracker, language))
            return []

        topic = load_topics().get(intent)
        option = tracker.get_slot(topic.depends_on) if topic and topic.depends_on else None
        values = {"municipality": tracker.get_slot("municipality") or ""}
        replies = topic_replies(store, intent, language, option=option, **values)
        if intent == "greet" and tracker.get_slot("language") is None:
            replies = [replies[0], language_picker(store)]  # not known yet: offer all four first
        send(dispatcher, replies)
        return []

    @staticmethod
    def _place_replies(tracker: Tracker, language: str) -> list[Reply]:
        """Acknowledge the place (slot already set by action_extract_municipality), or ask back."""
        store = load_store()
        municipality = tracker.get_slot("municipality")
        text = tracker.latest_message.get("text") or ""
        if entity_value(tracker, "municipality") == municipality and municipality:
            return place_replies(store, language, Resolution(municipality=municipality, confidence=1.0))
        return place_replies(store, language, resolve(text, language))


def completed_form(tracker: Tracker) -> str | None:
    """The choice form that completed in this turn, if any.

    A form that completes logs its own action and then ``active_loop: null``; a form that was
    interrupted is closed by ``action_deactivate_loop`` instead (rules_choices.yml).
    """
    last_action = None
    for event in tracker.events[_last_user_index(tracker) + 1 :]:
        if event.get("event") == "action":
            last_action = event.get("name")
        elif (
            event.get("event") == "active_loop" and event.get("name") is None and last_action in CHOICE_FORMS
        ):
            return last_action
    return None


def _last_user_index(tracker: Tracker) -> int:
    for index in range(len(tracker.events) - 1, -1, -1):
        if tracker.events[index].get("event") == "user":
            return index
    return -1
