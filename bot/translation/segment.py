"""Sentence splitting: cut a message into pieces a translation model handles well.

Marian models are trained on single sentences; a long chat message translated in one piece
loses or repeats parts of it. :func:`split` cuts at line breaks, list bullets and sentence ends
(not after abbreviations such as ``z. B.`` or ordinals such as ``1. Januar``), and cuts any
sentence longer than ``max_chars`` at ``;``/``:``, then commas, then spaces. The layout between
pieces (line breaks, bullets, spaces) is kept as untranslated pieces, so ``"".join`` of all
pieces gives back the message exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINES = re.compile(r"(\r?\n[\s]*)")
_BULLET = re.compile(r"^\s*(?:[•\-*–·▪►✓✔]|\d{1,2}[.)])\s+")
# A sentence end: . ! ? … ؟ (and runs of them), closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…؟]+[\"'»“”)\]]*(\s+)")
_ABBREVIATIONS = {
    "z",
    "b",
    "bzw",
    "ca",
    "nr",
    "dr",
    "str",
    "usw",
    "etc",
    "u",
    "a",
    "d",
    "h",
    "ggf",
    "evtl",
    "inkl",
    "vgl",
    "abs",
    "s",
    "tel",
    "mo",
    "di",
    "mi",
    "do",
    "fr",
    "sa",
    "e",
    "g",
    "i",
    "mr",
    "mrs",
    "ms",
    "prof",
    "geb",
    "hr",
    "jan",
    "feb",
    "mär",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dez",
    "ст",
    "т",
    "п",
    "вул",
    "тел",
    "м",
    "р",
    "див",
    "напр",
}
_SOFT_BREAKS = (re.compile(r"[;:؛]\s+"), re.compile(r"[,،]\s+"), re.compile(r"\s+"))


@dataclass(frozen=True)
class Piece:
    """A part of a message: a sentence to translate, or layout kept as it is."""

    text: str
    translate: bool


def split(text: str, *, max_chars: int = 400) -> list[Piece]:
    """Cut ``text`` into sentences and layout; ``"".join(p.text for p in pieces) == text``."""
    pieces: list[Piece] = []
    for part in _LINES.split(text):
        if not part:
            continue
        if _LINES.fullmatch(part):
            pieces.append(Piece(part, translate=False))
            continue
        bullet = _BULLET.match(part)
        if bullet:
            pieces.append(Piece(bullet.group(0), translate=False))
            part = part[bullet.end() :]
        for sentence, gap in _sentences(part):
            pieces.extend(_pad(chunk) for chunk in _cut(sentence, max_chars))
            if gap:
                pieces.append(Piece(gap, translate=False))
    return _merge_layout(pieces)


def _sentences(line: str) -> list[tuple[str, str]]:
    """``(sentence, whitespace after it)`` pairs."""
    out: list[tuple[str, str]] = []
    start = 0
    for match in _END.finditer(line):
        gap_start, gap_end = match.span(1)
        if gap_end >= len(line) or not _is_boundary(line, match.start(), gap_end):
            continue
        out.append((line[start:gap_start], line[gap_start:gap_end]))
        start = gap_end
    if start < len(line):
        rest = line[start:]
        stripped = rest.rstrip()
        out.append((stripped, rest[len(stripped) :]))
    return out


def _is_boundary(line: str, punct_at: int, next_at: int) -> bool:
    following = line[next_at]
    if following.islower():
        return False
    if line[punct_at] != ".":
        return True
    word = re.search(r"(\w+)$", line[:punct_at])
    if word is None:
        return True
    token = word.group(1)
    if token.isdigit():
        return len(token) > 2  # "am 1. Januar" is not a sentence end, "im Jahr 2026. Danach" is
    return token.lower() not in _ABBREVIATIONS


def _cut(sentence: str, max_chars: int) -> list[str]:
    """Cut an over-long sentence at the softest break that makes it fit."""
    if len(sentence) <= max_chars:
        return [sentence]
    for pattern in _SOFT_BREAKS:
        cuts = [m.end() for m in pattern.finditer(sentence)]
        if not cuts:
            continue
        chunks: list[str] = []
        start = 0
        last_fit = None
        for cut in [*cuts, len(sentence)]:
            if cut - start > max_chars and last_fit is not None:
                chunks.append(sentence[start:last_fit])
                start = last_fit
            last_fit = cut
        chunks.append(sentence[start:])
        if all(len(c) <= max_chars for c in chunks):
            return chunks
    # No break fits (one very long "word"): hard cut.
    return [sentence[i : i + max_chars] for i in range(0, len(sentence), max_chars)]


def _pad(chunk: str) -> Piece:
    return Piece(chunk, translate=bool(chunk.strip()))


def _merge_layout(pieces: list[Piece]) -> list[Piece]:
    """Move the spaces at the edges of sentences into layout pieces and join neighbouring layout."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.translate:
            core = piece.text.strip()
            lead = piece.text[: len(piece.text) - len(piece.text.lstrip())]
            trail = piece.text[len(lead) + len(core) :]
            parts = [Piece(lead, False), Piece(core, True), Piece(trail, False)]
        else:
            parts = [piece]
        for part in parts:
            if not part.text:
                continue
            if out and not part.translate and not out[-1].translate:
                out[-1] = Piece(out[-1].text + part.text, False)
            else:
                out.append(part)
    return out
