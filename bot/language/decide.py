"""Which language should the assistant answer in, given the message and the conversation so far?

The language sticks to the user: a short "ok" or "👍" never switches it. It switches when the user
asks (intent change_language, naming the language), or writes a clear sentence in another of our
languages. Russian is answered in Ukrainian. A clear sentence in a language we do not speak, or a
first message whose language cannot be told, gets the language picker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.language.detect import SUPPORTED, detect_language

ANSWER_IN = {"ru": "uk"}  # written language -> language we answer in


@dataclass(frozen=True)
class LanguageDecision:
    """The outcome for one message.

    ``language``: the language to answer in (None only when ``show_picker`` and nothing is known).
    ``show_picker``: ask the user to choose, in all four languages.
    ``changed``: the language differs from the conversation's previous one.
    ``written``: what the message itself was written in, if known ("ru", "fr", ...).
    """

    language: str | None
    show_picker: bool
    changed: bool
    written: str | None


@lru_cache(maxsize=1)
def _language_names() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((Path(__file__).parent / "names.yml").read_text(encoding="utf-8"))
    return {lang: tuple(str(w).casefold() for w in words) for lang, words in data.items()}


def requested_language(text: str) -> str | None:
    """The language a message names ("auf Englisch bitte" -> "en"), if exactly one is named."""
    words = re.findall(r"\w+", (text or "").casefold())
    found = set()
    for lang, names in _language_names().items():
        for word in words:
            if any(word == name or (len(name) >= 5 and word.startswith(name)) for name in names):
                found.add(lang)
    return found.pop() if len(found) == 1 else None


def decide_language(text: str, current: str | None, intent: str | None = None) -> LanguageDecision:
    """Decide the answer language for ``text`` in a conversation currently in ``current``."""
    detection = detect_language(text or "")
    written = detection.language

    if intent == "change_language":
        wanted = requested_language(text)
        if wanted is None:
            return LanguageDecision(current, True, False, written)
        return LanguageDecision(wanted, False, wanted != current, written)

    answer_in = ANSWER_IN.get(written or "", written)
    if answer_in in SUPPORTED and (detection.confident or current is None):
        return LanguageDecision(answer_in, False, answer_in != current, written)
    if written is not None and answer_in not in SUPPORTED and detection.confident:
        return LanguageDecision(current, True, False, written)
    if current is None:
        return LanguageDecision(None, True, False, written)
    return LanguageDecision(current, False, False, written)
