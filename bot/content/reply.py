"""Compose what the assistant says: chat bubbles with optional buttons, in one language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.choices import load_choices
from bot.content.store import LANGUAGES, ContentStore
from bot.content.topics import load_topics
from bot.municipality import Resolution

MAX_SOURCES_SHOWN = 2
# UI answers after which the topic menu (menu.yml) is shown.
MENU_AFTER = frozenset({"greet", "fallback", "out_of_scope", "deny"})


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


def intent_payload(intent: str, **entities: str) -> str:
    """A Rasa button payload that triggers ``intent`` with ``entities``, bypassing NLU."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


@lru_cache(maxsize=1)
def _menu() -> tuple[tuple[str, str], ...]:
    data = yaml.safe_load((Path(__file__).parent / "menu.yml").read_text(encoding="utf-8"))
    return tuple((item["label"], item["intent"]) for item in data)


def menu_buttons(store: ContentStore, language: str) -> tuple[Button, ...]:
    return tuple(Button(store.ui(label, language), intent_payload(intent)) for label, intent in _menu())


def language_picker(store: ContentStore) -> Reply:
    """ "Please choose your language" in all four languages, one button per language."""
    text = "\n".join(store.ui("language_picker_prompt", lang) for lang in LANGUAGES)
    buttons = tuple(
        Button(store.ui("language_name", lang), intent_payload("change_language", language=lang))
        for lang in LANGUAGES
    )
    return Reply(text, buttons)


def choice_question(store: ContentStore, choice_name: str, language: str, trigger_intent: str) -> Reply:
    """The question of a choice, with one button per option that re-sends ``trigger_intent``."""
    choice = load_choices()[choice_name]
    buttons = tuple(
        Button(store.ui(option.label, language), intent_payload(trigger_intent, **{choice_name: option.id}))
        for option in choice.options
    )
    return Reply(store.ui(choice.question, language), buttons)


def ui_reply(store: ContentStore, key: str, language: str, **values: str) -> list[Reply]:
    """A UI text; after greeting, fallback, out-of-scope and "no" comes the topic menu."""
    replies = [Reply(store.ui(key, language, **values))]
    if key in MENU_AFTER:
        replies.append(Reply(store.ui("greet_topics", language), menu_buttons(store, language)))
    return replies


def answer_replies(store: ContentStore, key: str, language: str) -> list[Reply]:
    """A sourced answer: its bubbles, then when to ask a person with the date and sources."""
    answer = store.answer(key, language)
    footer = store.ui("machine_note", language, date=answer.reviewed.strftime("%d.%m.%Y"))
    sources = "\n".join(answer.sources[:MAX_SOURCES_SHOWN])
    person = Button(store.ui("topic_person", language), intent_payload("request_case_manager"))
    closing = f"{answer.ask_person}\n\n{footer}\n{sources}"
    if key == "case_manager":
        return [Reply(m) for m in answer.messages] + [Reply(closing)]
    return [Reply(m) for m in answer.messages] + [Reply(closing, (person,))]


def place_replies(store: ContentStore, language: str, resolution: Resolution) -> list[Reply]:
    """What the assistant says when the user names where they live."""
    if resolution.confident:
        place = resolution.municipality or ""
        if resolution.district and resolution.district != place:
            place = f"{place} ({resolution.district})"
        return [Reply(store.ui("municipality_ack", language, municipality=place))]
    if resolution.outside and not resolution.candidates:
        return [Reply(store.ui("municipality_outside", language, place=resolution.outside))]
    candidates = resolution.candidates or ((resolution.municipality,) if resolution.municipality else ())
    if candidates:
        buttons = tuple(
            Button(name, intent_payload("inform_municipality", municipality=name)) for name in candidates
        )
        return [Reply(store.ui("municipality_which", language), buttons)]
    return [Reply(store.ui("municipality_unknown", language))]


def topic_replies(
    store: ContentStore, intent: str, language: str, *, option: str | None = None, **values: str
) -> list[Reply]:
    """Everything the assistant says for ``intent`` (and the chosen ``option`` where it depends on one)."""
    topics = load_topics()
    topic = topics.get(intent) or topics["nlu_fallback"]
    key = topic.answer_key(option)
    if topic.ui:
        return ui_reply(store, key, language, **values)
    return answer_replies(store, key, language)
