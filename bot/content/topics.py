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
