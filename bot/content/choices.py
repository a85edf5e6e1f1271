"""Questions asked before an answer (residence status, school stage) and reading the user's reply."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

_ARABIC_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": None})


@dataclass(frozen=True)
class Option:
    id: str
    label: str  # ui.yml key of the button label
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    name: str  # also the slot name
    question: str  # ui.yml key of the question
    options: tuple[Option, ...]

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


def normalise(text: str) -> str:
    """Lower case, no Latin diacritics (ü->u, ß->ss), unified Arabic letters, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ß", "ss")
    text = text.translate(_ARABIC_VARIANTS)
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            # Drop Latin accents and Arabic harakat; keep Cyrillic й/ї, which NFC restores below.
            base = kept[-1] if kept else ""
            if base and unicodedata.name(base, "").startswith("CYRILLIC"):
                kept.append(char)
            continue
        kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def load_choices() -> dict[str, Choice]:
    """All choices from ``choices.yml``."""
    data = yaml.safe_load((Path(__file__).parent / "choices.yml").read_text(encoding="utf-8"))
    return {
        name: Choice(
            name=name,
            question=spec["question"],
            options=tuple(
                Option(o["id"], o["label"], tuple(normalise(k) for k in o["keywords"]))
                for o in spec["options"]
            ),
        )
        for name, spec in data.items()
    }


def match_option(choice: Choice, text: str) -> str | None:
    """The option the user's free text names, or None.

    Exact keyword occurrence first (options in file order); then one-typo tolerance for words of six
    or more letters ("dulding", "gestatung") via rapidfuzz.
    """
    norm = normalise(text)
    if not norm:
        return None
    for option in choice.options:
        if any(keyword in norm for keyword in option.keywords):
            return option.id
    words = [w for w in re.findall(r"\w+", norm) if len(w) >= 6]
    for option in choice.options:
        long_keywords = [k for k in option.keywords if len(k) >= 6 and " " not in k]
        for word in words:
            if long_keywords and process.extractOne(word, long_keywords, scorer=fuzz.ratio, score_cutoff=84):
                return option.id
    return None
