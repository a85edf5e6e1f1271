"""German wording for the inbox pages: states, languages, topics, times (Jinja filters)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.handoff.summary import labels, local_time

STATE_LABELS = {
    "open": "neu",
    "claimed": "übernommen",
    "waiting": "wartet auf Antwort",
    "closed": "geschlossen",
}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku"})


def berlin(moment: datetime | None) -> str:
    return local_time(moment) if moment else ""


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def language_name(code: str) -> str:
    return labels()["languages"].get(code, code)


def topic_labels(topics: Any) -> list[str]:
    names = labels()["topics"]
    return [names.get(topic, topic) for topic in topics] or [names["other"]]


def urgency_label(urgency: str) -> str:
    return "dringend" if urgency == "urgent" else labels()["urgency"].get(urgency, urgency)


def text_dir(language: str) -> str:
    """``rtl`` for right-to-left scripts; otherwise let the browser decide from the text."""
    return "rtl" if language in RTL_LANGUAGES else "auto"


FILTERS = {
    "berlin": berlin,
    "state_label": state_label,
    "language_name": language_name,
    "topic_labels": topic_labels,
    "urgency_label": urgency_label,
    "text_dir": text_dir,
}
