"""Resolve free text to a municipality of Kreis Paderborn.

``resolve(text, lang=None)`` finds place mentions (see ``matching``) and decides:

* all mentions agree on one municipality → that municipality; the district if one was named;
* mentions contradict each other ("33104 Delbrück", "Barkhausen") → municipality None and the
  candidates, unless one mention says where the person lives ("ich wohne in …") or is clearly stronger;
* a name that is also a place outside ("Hagen") and has no support → None, candidates and ``outside``;
* only places outside the Kreis → ``outside`` names the first (or the one the person lives in);
* "bei/near Paderborn", "Jobcenter Paderborn" only count when nothing else is named, and then weakly.

Confidence: 1.0 exact name or PLZ; 0.95 inflected form; 0.9 phonetic key; 0.85 Arabic skeleton;
0.7-0.85 fuzzy (a typo: ask back); x0.9 for NOT VERIFIED names, for a district named with another
of its municipality's PLZ, and for a contradiction settled by "ich wohne in"; 0.7 older PLZ range, or
a town next to a PLZ that does not fit it; 0.6 only "near"/office mentions; 0.5 ambiguous; 0.0 not
found (also for "Kreis Paderborn" alone, whose span is still given). ``CONFIDENT`` (0.85) is the
line below which the assistant should ask back. A place in the Kreis wins over a place outside named
in the same message ("von Bielefeld nach Paderborn" → Paderborn), unless only the outside one is
where the person lives ("ich wohne in Bielefeld, arbeite in Paderborn" → outside Bielefeld).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from bot.municipality.gazetteer import load_index
from bot.municipality.matching import Mention, find_mentions
from bot.municipality.normalise import Token, tokenize
from bot.municipality.words import (
    ALTERNATIVES,
    PREPOSITIONS,
    QUALIFIER_FILLERS,
    QUALIFIERS,
    RESIDENCE,
)

CONFIDENT = 0.85
AMBIGUOUS = 0.5
WEAK = 0.6
CONTRADICTED = 0.7
MAX_CHARS = 2000  # a chat message longer than this is not an answer to "where do you live?"
LANGUAGES = ("de", "uk", "ar", "en", "ru")


@dataclass(frozen=True)
class Resolution:
    """The outcome of ``resolve``; ``to_dict`` gives the JSON shape of ``python -m bot where``."""

    municipality: str | None = None
    district: str | None = None
    postal_code: str | None = None
    span: str | None = None
    confidence: float = 0.0
    candidates: tuple[str, ...] = ()
    outside: str | None = None

    @property
    def confident(self) -> bool:
        """A municipality was found and the assistant need not ask back."""
        return self.municipality is not None and self.confidence >= CONFIDENT

    def to_dict(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "district": self.district,
            "postal_code": self.postal_code,
            "span": self.span,
            "confidence": round(self.confidence, 2),
            "candidates": list(self.candidates),
            "outside": self.outside,
        }


NOT_FOUND = Resolution()


def resolve(text: str, lang: str | None = None) -> Resolution:
    """Find the municipality named in text (any of de/uk/ar/en, any script); never raises on bad input."""
    if not isinstance(text, str) or not text.strip():
        return NOT_FOUND
    text = text[:MAX_CHARS]
    tokens = tokenize(text)
    if not tokens:
        return NOT_FOUND
    mentions = find_mentions(tokens, load_index(), lang if lang in LANGUAGES else None)
    return _Decision(text, tokens, _in_context(mentions, tokens)).result()


def _munis(mention: Mention) -> list[str]:
    return list(dict.fromkeys(p.municipality for p in mention.places if p.municipality))


def _outs(mention: Mention) -> list[str]:
    return list(dict.fromkeys(p.outside for p in mention.places if p.outside))


def _in_context(mentions: list[Mention], tokens: list[Token]) -> list[Mention]:
    """Drop readings that need context they lack ("Weine" as wine, "Innenstadt" of another city)."""

    def supported(municipality: str | None, mention: Mention) -> bool:
        return any(
            p.municipality == municipality and p.context is None
            for other in mentions
            if other is not mention
            for p in other.places
        )

    kept = []
    for m in mentions:
        cue = m.first > 0 and tokens[m.first - 1].text in PREPOSITIONS
        alone = m.last - m.first + 1 == len(tokens)  # the whole message is the name
        places = tuple(
            p
            for p in m.places
            if p.context is None
            or (p.context == "municipality" and supported(p.municipality, m))
            or (p.context == "word" and (cue or alone or (p.municipality and supported(p.municipality, m))))
        )
        if places:
            m.places = places
            m.weak = _qualified(tokens, m.first)
            m.residence = any(t.text in RESIDENCE for t in tokens[max(0, m.first - 4) : m.first])
            kept.append(m)
    for before, after in itertools.pairwise(kept):
        if before.residence and any(t.text in ALTERNATIVES for t in tokens[before.last + 1 : after.first]):
            after.residence = True
    return kept


def _qualified(tokens: list[Token], first: int) -> bool:
    """Is the name preceded by "bei", "near", "Jobcenter" … (skipping "der", "von")?"""
    j = first - 1
    while j >= 0 and first - j <= 3 and tokens[j].text in QUALIFIER_FILLERS:
        j -= 1
    return j >= 0 and tokens[j].text in QUALIFIERS


class _Decision:
    def __init__(self, text: str, tokens: list[Token], mentions: list[Mention]) -> None:
        self.text = text
        self.tokens = tokens
        self.mentions = mentions
        taken = {j for m in mentions for j in range(m.first, m.last + 1)}
        self.stray_codes = {
            j for j, t in enumerate(tokens) if t.script == "digits" and len(t.text) == 5 and j not in taken
        }

    def span(self, mentions: list[Mention]) -> str | None:
        if not mentions:
            return None
        start = min(self.tokens[m.first].start for m in mentions)
        end = max(self.tokens[m.last].end for m in mentions)
        if (
            self.text.count("(", start, end) > self.text.count(")", start, end)
            and self.text[end : end + 1] == ")"
        ):
            end += 1  # "Büren (Westfalen)"
        return self.text[start:end]

    def result(self) -> Resolution:
        named = [m for m in self.mentions if _munis(m) or _outs(m)]
        if not named:  # at most "Kreis Paderborn": inside the Kreis, municipality open
            return Resolution(span=self.span(self.mentions[:1])) if self.mentions else NOT_FOUND
        strong = [m for m in named if not m.weak]
        inside = [m for m in strong or named if _munis(m)]
        outside = [m for m in strong or named if not _munis(m)]
        if not inside:
            return self.outside(outside)
        common = _intersection(inside)
        factor = 1.0
        if not common:
            chosen = _prefer(inside)
            if chosen is None:
                return self.ambiguous(inside, list(dict.fromkeys(mu for m in inside for mu in _munis(m))))
            inside, common, factor = [m for m in inside if chosen in _munis(m)], [chosen], 0.9
        if len(common) > 1:  # "Barkhausen bei Büren": a weak mention may still settle it
            settled = [mu for mu in common if any(mu in _munis(m) for m in named if m.weak)]
            if len(settled) != 1:
                return self.ambiguous(inside, common)
            inside, common = inside + [m for m in named if m.weak and settled[0] in _munis(m)], settled
        return self.resolved(common[0], inside, outside, factor=factor, weak=not strong)

    def resolved(
        self, municipality: str, inside: list[Mention], outside: list[Mention], *, factor: float, weak: bool
    ) -> Resolution:
        support = [m for m in inside if municipality in _munis(m)]
        if all(_outs(m) for m in support):  # "Hagen": the Delbrück Stadtteil or the city
            return Resolution(
                postal_code=_postal(support),
                span=self.span(support),
                confidence=AMBIGUOUS,
                candidates=(municipality,),
                outside=_outs(support[0])[0],
            )
        lived_outside = [m for m in outside if m.residence]
        if lived_outside and not any(m.residence for m in support):
            return self.outside(lived_outside)
        confidence = max(m.confidence for m in support) * factor
        if weak:
            confidence = min(confidence, WEAK)
        contradicted = any(m.postal_code for m in outside) or any(
            m.first - 1 in self.stray_codes for m in support
        )
        if contradicted:
            confidence = min(confidence, CONTRADICTED)
        district = _district(municipality, support)
        postal = _postal(support)
        codes = load_index().district_postal.get((municipality, district or ""))
        if postal and codes and postal not in codes:
            confidence *= 0.9
        return Resolution(municipality, district, postal, self.span(support), confidence)

    def ambiguous(self, inside: list[Mention], candidates: list[str]) -> Resolution:
        return Resolution(
            postal_code=_postal(inside),
            span=self.span(inside),
            confidence=AMBIGUOUS,
            candidates=tuple(candidates),
        )

    def outside(self, mentions: list[Mention]) -> Resolution:
        """The place outside the Kreis that the person lives in, or else the first one named."""
        place = _outs(next((m for m in mentions if m.residence), mentions[0]))[0]
        support = [m for m in mentions if place in _outs(m)]
        confidence = max(m.confidence for m in support)
        return Resolution(
            postal_code=_postal(support),
            span=self.span(support),
            confidence=min(confidence, WEAK) if all(m.weak for m in support) else confidence,
            outside=place,
        )


def _intersection(mentions: list[Mention]) -> list[str]:
    common = _munis(mentions[0])
    for m in mentions[1:]:
        common = [mu for mu in common if mu in _munis(m)]
    return common


def _prefer(mentions: list[Mention]) -> str | None:
    """Settle a contradiction: the one place the person says they live in, or a clearly stronger one."""
    lived = {mu for m in mentions if m.residence for mu in _munis(m)}
    if len(lived) == 1:
        return lived.pop()
    best = max(mentions, key=lambda m: m.confidence)
    if best.confidence >= 0.9 and len(_munis(best)) == 1:
        rivals = [m for m in mentions if _munis(best)[0] not in _munis(m)]
        if all(m.confidence < 0.75 for m in rivals):
            return _munis(best)[0]
    return None


def _district(municipality: str, mentions: list[Mention]) -> str | None:
    for m in sorted(mentions, key=lambda m: -m.confidence):
        districts = {p.district for p in m.places if p.municipality == municipality}
        if len(districts) == 1 and None not in districts:
            return districts.pop()
    return None


def _postal(mentions: list[Mention]) -> str | None:
    return next((m.postal_code for m in mentions if m.postal_code), None)
