"""First look at every incoming message: what the NLU may read, and what was wrong with it.

Phones send odd things: nothing at all, a photo or voice message (channels say so in metadata), a
pasted letter of 10,000 characters, control characters. The NLU reads a cleaned, bounded text; the
issues found travel with the parse result so the assistant can say something helpful.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_NLU_CHARS = 1000
# People tell their story first and ask at the end: keep the start and, mostly, the end.
KEEP_HEAD_CHARS = 300

_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
MEDIA_KINDS = frozenset(
    {"photo", "image", "voice", "audio", "video", "file", "document", "sticker", "location"}
)


@dataclass(frozen=True)
class GuardedInput:
    text: str
    issues: tuple[str, ...]  # subset of: "empty", "media", "too_long", "no_letters"


def guard_input(text: str | None, metadata: dict[str, Any] | None = None) -> GuardedInput:
    """Clean ``text`` for the NLU and name what was wrong with it."""
    issues: list[str] = []
    media = (metadata or {}).get("media")
    if isinstance(media, str) and media.casefold() in MEDIA_KINDS:
        issues.append("media")
    clean = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))
    clean = re.sub(r"\s+", " ", clean).strip()
    if not clean:
        issues.append("empty")
    elif not any(char.isalpha() for char in clean):
        issues.append("no_letters")
    if len(clean) > MAX_NLU_CHARS:
        issues.append("too_long")
        tail = MAX_NLU_CHARS - KEEP_HEAD_CHARS
        clean = f"{clean[:KEEP_HEAD_CHARS]} … {clean[-tail:]}"
    return GuardedInput(clean, tuple(issues))
