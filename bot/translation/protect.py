"""Protected spans: parts of a message that must leave translation exactly as they came in.

Protected are placeholders (``{municipality}``), URLs, e-mail addresses, phone numbers, dates and
times, paragraphs of law (``§ 60a AufenthG``) and the official German terms in
``protected_terms.yml`` (Duldung, Jobcenter, Kita, ...).

How: each span is replaced by a numbered marker ``[1]``, ``[2]`` ... that translation models copy
through (bracketed numbers are frequent in their training data). After translation the markers
are put back. If any marker is lost, doubled or invented, :meth:`Masked.restore` returns
``None`` and the engine falls back to translating the text *between* the spans on its own; so a
protected span survives even when the model does not cooperate.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import yaml

_TERMS_FILE = "protected_terms.yml"

# Markers as the model may write them back: Western, Arabic-Indic or Persian digits, with spaces.
_MARKER_OUT = re.compile(r"\[\s*([0-9\u0660-\u0669\u06f0-\u06f9]{1,3})\s*\]")
# Text that already looks like a marker is protected itself, so it cannot be confused with ours.
_MARKER_IN = r"\[\s*\d{1,3}\s*\]"

_PLACEHOLDER = r"\{[A-Za-z_][A-Za-z0-9_]*\}"
_URL = r"(?:https?://|www\.)[^\s<>\"']+"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_DATE = (
    r"(?<![\d.])(?:\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{4}|\d{2})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})(?![\d])"
)
_TIME = r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])"
_PHONE = r"(?<![\w+])(?:\+\d|\(0|0)[\d /().\u00a0-]{4,}\d(?!\w)"
_LAW = (
    r"§§?\s?\d+[a-z]?(?:\s(?:Abs\.|Absatz)\s?\d+[a-z]?)?(?:\s(?:S\.|Satz)\s?\d+)?(?:\s?Nr\.\s?\d+)?"
    r"(?:\s(?:SGB\s[IVX]+|[A-ZÄÖÜ][A-Za-zÄÖÜäöü]*(?:G|V)))?"
)
_TRAILING_PUNCT = ".,;:!?)]}'\"»“”"
_MIN_PHONE_DIGITS = 6
_TRIMMED = {_URL, _EMAIL, _PHONE}


@dataclass(frozen=True)
class Masked:
    """A text with its protected spans replaced by numbered markers."""

    text: str
    spans: tuple[str, ...]

    def restore(self, translated: str) -> str | None:
        """Put the spans back into ``translated``; ``None`` if the markers did not come through 1:1."""
        if not self.spans:
            return translated if not _MARKER_OUT.search(translated) else None
        seen: list[int] = []

        def put_back(match: re.Match[str]) -> str:
            number = int("".join(str(unicodedata.digit(ch)) for ch in match.group(1)))
            seen.append(number)
            return self.spans[number - 1] if 1 <= number <= len(self.spans) else match.group(0)

        restored = _MARKER_OUT.sub(put_back, translated)
        if sorted(seen) != list(range(1, len(self.spans) + 1)):
            return None
        return restored

    def pieces(self) -> list[tuple[str, bool]]:
        """The masked text cut at the markers: ``(text, is_span)`` in order, for the fallback."""
        out: list[tuple[str, bool]] = []
        position = 0
        for match in _MARKER_OUT.finditer(self.text):
            if match.start() > position:
                out.append((self.text[position : match.start()], False))
            out.append((self.spans[int(match.group(1)) - 1], True))
            position = match.end()
        if position < len(self.text):
            out.append((self.text[position:], False))
        return out


class Protector:
    """Finds protected spans and masks them."""

    def __init__(self, terms: list[str]) -> None:
        words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, term.split())) for term in words)
        term_pattern = rf"(?<!\w)(?:{alternatives})(?:es|en|s|n)?(?!\w)" if words else r"(?!x)x"
        # Order matters: on overlap the earlier kind wins (a URL before the date inside it).
        self._patterns = [
            re.compile(_MARKER_IN),
            re.compile(_PLACEHOLDER),
            re.compile(_URL),
            re.compile(_EMAIL),
            re.compile(_LAW),
            re.compile(_DATE),
            re.compile(_TIME),
            re.compile(_PHONE),
            re.compile(term_pattern, re.IGNORECASE),
        ]

    def find(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping ``(start, end)`` of all protected spans, in text order."""
        taken: list[tuple[int, int]] = []
        for pattern in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.start(), match.end()
                if pattern.pattern in _TRIMMED:
                    end = _trim(text, start, end)
                if end <= start or not _accept(pattern.pattern, text[start:end]):
                    continue
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
        return sorted(taken)

    def mask(self, text: str) -> Masked:
        """Replace each protected span with ``[n]``."""
        spans: list[str] = []
        parts: list[str] = []
        position = 0
        for start, end in self.find(text):
            parts.append(text[position:start])
            spans.append(text[start:end])
            parts.append(f"[{len(spans)}]")
            position = end
        parts.append(text[position:])
        return Masked(text="".join(parts), spans=tuple(spans))


def _trim(text: str, start: int, end: int) -> int:
    """Drop sentence punctuation that a greedy pattern (URL, phone) took from the end."""
    while end > start and text[end - 1] in _TRAILING_PUNCT + " \u00a0/(-":
        end -= 1
    return end


def _accept(pattern: str, span: str) -> bool:
    if pattern == _PHONE:
        return sum(ch.isdigit() for ch in span) >= _MIN_PHONE_DIGITS
    return True


@functools.lru_cache(maxsize=1)
def default_protector() -> Protector:
    """The protector with the project's term list (read once, on first use)."""
    raw = resources.files(__package__).joinpath(_TERMS_FILE).read_text(encoding="utf-8")
    return Protector(list(yaml.safe_load(raw)["terms"]))
