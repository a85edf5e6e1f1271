"""Recognise acute danger from unambiguous phrases (data: emergency_words.yml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.choices import normalise


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    data = yaml.safe_load((Path(__file__).with_name("emergency_words.yml")).read_text(encoding="utf-8"))
    phrases = sorted({normalise(str(p)) for words in data.values() for p in words}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + ")")


def mentions_emergency(text: str) -> bool:
    """True when ``text`` contains a phrase that means acute danger."""
    return bool(text) and _pattern().search(normalise(text)) is not None
