"""Inputs on which translation models are known to invent text, caught before the model.

Marian/OPUS-MT models asked to translate nothing, a number, a row of emojis or one word said
twenty times tend to produce fluent sentences that were never written. Such input is returned
as it is, marked as not machine-translated, with the reason.
"""

from __future__ import annotations

import re

EMPTY = "empty"
NO_WORDS = "no_words"
REPETITION = "repetition"

_WORD = re.compile(r"\w+")
_CHAR_LOOP = re.compile(r"(.{1,4}?)\1{4,}", re.DOTALL)
_MIN_REPEATS = 3


def skip_reason(text: str) -> str | None:
    """Why ``text`` must not go to the model (``"empty"``, ``"no_words"``, ``"repetition"``), or None."""
    stripped = text.strip()
    if not stripped:
        return EMPTY
    if not any(ch.isalpha() for ch in stripped):
        return NO_WORDS  # digits, phone numbers, emojis, punctuation only
    words = _WORD.findall(stripped.casefold())
    if len(words) >= _MIN_REPEATS and len(set(words)) == 1:
        return REPETITION  # "hilfe hilfe hilfe hilfe"
    compact = re.sub(r"\s+", "", stripped)
    if _CHAR_LOOP.fullmatch(compact):
        return REPETITION  # "hahahahaha", "ааааааа"
    return None
