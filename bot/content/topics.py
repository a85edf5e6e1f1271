"""Which answer each intent gets (data: topics.yml) and the answer keys the dialogue needs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.choices import load_choices

# UI texts every conversation needs besides the per-intent answers.
UI_KEYS = frozenset(
    {
        "greet_topics",
        "fallback",
        "language_picker_prompt",
        "language_name",
        "input_empty",
        "input_media",
        "input_too_long",
        "machine_note",
        "topic_person",
        "municipality_which",
        "municipality_outside",
        "municipality_unknown",
        "session_expired",
        "rate_limited",
        "service_unavailable",
        # Handoff to the KIM case manager, data deletion, web chat with a person
        "handoff_consent_info",
        "handoff_consent_question",
        "btn_consent_yes",
        "btn_consent_no",
        "handoff_declined",
        "handoff_ask_place",
        "btn_place_unknown",
        "handoff_ask_description",
        "handoff_text_too_short",
        "handoff_text_too_long",
        "btn_skip",
        "handoff_ask_health_consent",
        "btn_yes",
        "btn_no",
        "handoff_ask_contact",
        "btn_contact_chat",
        "handoff_contact_invalid",
        "handoff_ask_name",
        "handoff_name_invalid",
        "handoff_ask_urgency",
        "btn_urgent",
        "btn_not_urgent",
        "handoff_confirm_title",
        "label_place",
        "label_topics",
        "label_words",
        "label_contact",
        "label_name",
        "label_urgency",
        "value_not_given",
        "value_place_unknown",
        "value_contact_chat",
        "value_urgent",
        "value_not_urgent",
        "value_health_withheld",
        "btn_send",
        "btn_edit_place",
        "btn_edit_text",
        "btn_edit_contact",
        "btn_cancel",
        "handoff_cancelled",
        "handoff_sent",
        "handoff_sent_biz",
        "contact_phrase_chat",
        "contact_phrase_given",
        "handoff_already_open",
        "handoff_unavailable",
        "delete_confirm_question",
        "btn_delete_yes",
        "btn_delete_no",
        "delete_done",
        "delete_cancelled",
        "chat_to_assistant",
        "chat_to_person",
        "chat_writing_to_assistant",
        "chat_writing_to_person",
        "chat_label_assistant",
        "chat_label_person",
        "chat_label_you",
        "chat_machine_translation",
        "chat_show_original",
        "chat_untranslated",
        "chat_person_sent",
        "chat_no_open_case",
        "topic_recognition",
        "topic_emergency",
        "topic_other",
    }
)


@dataclass(frozen=True)
class Topic:
    intent: str
    answer: str
    ui: bool = False
    depends_on: str | None = None

    def answer_key(self, option: str | None = None) -> str:
        return f"{self.answer}_{option}" if self.depends_on and option else self.answer


@lru_cache(maxsize=1)
def load_topics() -> dict[str, Topic]:
    data = yaml.safe_load((Path(__file__).parent / "topics.yml").read_text(encoding="utf-8"))
    return {intent: Topic(intent=intent, **spec) for intent, spec in data.items()}


def required_keys() -> set[str]:
    """Every key the dialogue may look up."""
    keys = set(UI_KEYS)
    choices = load_choices()
    for topic in load_topics().values():
        if topic.depends_on:
            keys.update(topic.answer_key(option) for option in choices[topic.depends_on].option_ids())
        else:
            keys.add(topic.answer)
    return keys
