"""Load ``gazetteer.yml`` and build the look-up index, once and lazily (no I/O at import time).

Every name of the gazetteer is entered under its folded form (exact), its phonetic key (spelling
variants, transliterated Cyrillic) and, for Arabic script, its consonant skeleton. Errors in the
data raise ``GazetteerError``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot.municipality.normalise import (
    cyrillic_to_latin,
    latin_key,
    script_of,
    skeleton_from_arabic,
    skeleton_from_latin_key,
    words,
)

GAZETTEER_PATH = Path(__file__).with_name("gazetteer.yml")
CONTEXTS = (None, "word", "municipality")
FUZZY_MIN_LEN = 6  # shorter keys only match exactly: "fever" must not become Wewer
_MAX_FUZZY_LEN = 40
_UMLAUT_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


class GazetteerError(ValueError):
    """The gazetteer file is missing or malformed."""


@dataclass(frozen=True)
class Place:
    """What a name refers to: a municipality (and district), a place outside, or the Kreis itself."""

    municipality: str | None = None
    district: str | None = None
    outside: str | None = None
    kreis: bool = False
    context: str | None = None  # None, "word" (also a common word) or "municipality" (generic name)
    verified: bool = True


@dataclass(frozen=True)
class Index:
    """Look-up tables built from the gazetteer."""

    exact: Mapping[str, tuple[Place, ...]]
    keys: Mapping[str, tuple[Place, ...]]
    skeletons: Mapping[str, tuple[Place, ...]]  # of one-word names
    phrase_skeletons: Mapping[str, tuple[Place, ...]]  # of names of two or more words
    fuzzy_keys: tuple[tuple[str, ...], ...]  # by query length: keys within reach of the distance budget
    fuzzy_phrases: tuple[tuple[str, ...], ...]  # the same, only names of two or more words
    fuzzy_arabic: tuple[tuple[str, ...], ...]
    postal: Mapping[str, tuple[Place, ...]]
    postal_ranges: tuple[tuple[int, int, Place], ...]
    district_postal: Mapping[tuple[str, str], frozenset[str]]
    municipalities: tuple[str, ...]
    max_words: int


class _Builder:
    def __init__(self) -> None:
        self.exact: dict[str, dict[Place, None]] = {}
        self.keys: dict[str, dict[Place, None]] = {}
        self.skeletons: dict[str, dict[Place, None]] = {}
        self.phrase_skeletons: dict[str, dict[Place, None]] = {}
        self.fuzzy_keys: set[str] = set()
        self.fuzzy_phrases: set[str] = set()
        self.fuzzy_arabic: set[str] = set()
        self.max_words = 1

    def add(self, name: str, place: Place) -> None:
        for spelling in {name, name.translate(_UMLAUT_SPELLINGS)}:
            tokens = words(spelling)
            if not tokens:
                raise GazetteerError(f"name without letters: {name!r}")
            self.max_words = max(self.max_words, len(tokens))
            glued = "".join(tokens)
            for form in {" ".join(tokens), glued}:
                self.exact.setdefault(form, {})[place] = None
            script = script_of(glued)
            phrase = len(tokens) > 1
            if script == "latin":
                self._add_key(latin_key(glued), place, phrase=phrase)
            elif script == "cyrillic":
                for latin in cyrillic_to_latin(glued):  # exact key only: fuzzy compares Latin names
                    self.keys.setdefault(latin_key(latin), {})[place] = None
            elif script == "arabic":
                self._skeletons(phrase).setdefault(skeleton_from_arabic(glued), {})[place] = None
                if place.context is None and len(glued) >= 5:
                    self.fuzzy_arabic.add(glued)

    def _skeletons(self, phrase: bool) -> dict[str, dict[Place, None]]:
        return self.phrase_skeletons if phrase else self.skeletons

    def _add_key(self, key: str, place: Place, *, phrase: bool) -> None:
        self.keys.setdefault(key, {})[place] = None
        self._skeletons(phrase).setdefault(skeleton_from_latin_key(key), {})[place] = None
        if place.context is None and len(key) >= FUZZY_MIN_LEN:
            self.fuzzy_keys.add(key)
            if phrase:
                self.fuzzy_phrases.add(key)


def _names(
    items: Iterable[Any], where: str, context: str | None = None
) -> Iterator[tuple[str, str | None, bool]]:
    """Yield (name, context, verified) from a list of strings or {name, context, unverified} maps."""
    for item in items or ():
        if isinstance(item, str):
            yield item, context, True
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            own = item.get("context", context)
            if own not in CONTEXTS:
                raise GazetteerError(f"{where}: unknown context {own!r}")
            yield item["name"], own, not item.get("unverified", False)
        else:
            raise GazetteerError(f"{where}: bad name entry {item!r}")


def _native(entry: dict[str, Any], where: str) -> Iterator[tuple[str, str | None, bool]]:
    """Native-script names; as translations of the entry's name they share its context."""
    for lang, items in (entry.get("native") or {}).items():
        if lang not in ("uk", "ru", "ar"):
            raise GazetteerError(f"{where}: unknown native language {lang!r}")
        yield from _names(items, f"{where}/{lang}", entry.get("context"))


def _check_plz(codes: Iterable[Any], where: str) -> list[str]:
    codes = list(codes or ())
    for code in codes:
        if not (isinstance(code, str) and len(code) == 5 and code.isdigit()):
            raise GazetteerError(f"{where}: postal code must be a 5-digit string, got {code!r}")
    return codes


def _add_entry_names(
    builder: _Builder, entry: dict[str, Any], base: Place, where: str, *, own_name: bool = True
) -> None:
    """Enter an entry's own name (unless told not to), aliases, localities and native names."""
    own = replace(base, context=entry.get("context"), verified=not entry.get("unverified"))
    if own.context not in CONTEXTS:
        raise GazetteerError(f"{where}: unknown context {own.context!r}")
    if own_name:
        builder.add(entry["name"], own)
    for key in ("aliases", "localities"):
        for name, context, verified in _names(entry.get(key), f"{where}/{key}"):
            builder.add(name, replace(own, context=context, verified=verified and own.verified))
    for name, context, verified in _native(entry, where):
        builder.add(name, replace(own, context=context, verified=verified and own.verified))


def build_index(data: Mapping[str, Any]) -> Index:
    """Build the look-up index from parsed gazetteer data."""
    if not isinstance(data, Mapping) or not data.get("municipalities") or not data.get("sources"):
        raise GazetteerError("gazetteer needs 'sources' and 'municipalities'")
    builder = _Builder()
    postal: dict[str, dict[Place, None]] = {}
    ranges: list[tuple[int, int, Place]] = []
    district_postal: dict[tuple[str, str], frozenset[str]] = {}
    municipalities = []
    for entry in data["municipalities"]:
        name = entry["name"]
        municipalities.append(name)
        _add_entry_names(builder, entry, Place(municipality=name), name)
        for code in _check_plz(entry.get("postal_codes"), name):
            postal.setdefault(code, {})[Place(municipality=name)] = None
        if entry.get("postal_code_range"):
            low, high = _check_plz(entry["postal_code_range"], name)
            ranges.append((int(low), int(high), Place(municipality=name, verified=False)))
        for district in entry.get("districts") or ():
            where = f"{name}/{district['name']}"
            if district["name"] == name:  # the Ortsteil named like its municipality: district stays None
                _add_entry_names(builder, district, Place(municipality=name), where, own_name=False)
                continue
            _add_entry_names(builder, district, Place(municipality=name, district=district["name"]), where)
            codes = _check_plz(district.get("postal_codes"), where)
            if codes:
                district_postal[(name, district["name"])] = frozenset(codes)
    if len(municipalities) != len(set(municipalities)):
        raise GazetteerError("duplicate municipality")
    for entry in data.get("outside") or ():
        _add_entry_names(builder, entry, Place(outside=entry["name"]), f"outside/{entry['name']}")
        verified = not entry.get("unverified_postal_codes", False)
        for code in _check_plz(entry.get("postal_codes"), entry["name"]):
            postal.setdefault(code, {})[Place(outside=entry["name"], verified=verified)] = None
    for name in data.get("kreis") or ():
        builder.add(name, Place(kreis=True))
    return Index(
        exact=_freeze(builder.exact),
        keys=_freeze(builder.keys),
        skeletons=_freeze(builder.skeletons),
        phrase_skeletons=_freeze(builder.phrase_skeletons),
        fuzzy_keys=_by_length(builder.fuzzy_keys),
        fuzzy_phrases=_by_length(builder.fuzzy_phrases),
        fuzzy_arabic=_by_length(builder.fuzzy_arabic),
        postal=_freeze(postal),
        postal_ranges=tuple(ranges),
        district_postal=district_postal,
        municipalities=tuple(municipalities),
        max_words=builder.max_words,
    )


def _freeze(table: dict[str, dict[Place, None]]) -> dict[str, tuple[Place, ...]]:
    return {key: tuple(places) for key, places in table.items() if key}


def fuzzy_budget(length: int) -> int:
    """How many single-letter insertions/deletions a fuzzy match of a key this long may need."""
    if length < FUZZY_MIN_LEN:
        return 0
    return 1 if length <= 8 else 2 if length <= 12 else 3


def _by_length(vocabulary: set[str]) -> tuple[tuple[str, ...], ...]:
    """For each query length, the words whose length is within the distance budget."""
    ordered = sorted(vocabulary)
    return tuple(
        tuple(w for w in ordered if abs(len(w) - length) <= fuzzy_budget(length))
        for length in range(_MAX_FUZZY_LEN + 1)
    )


def load_data(path: Path = GAZETTEER_PATH) -> dict[str, Any]:
    """Read the gazetteer YAML."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise GazetteerError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: not a mapping")
    return data


@functools.lru_cache(maxsize=1)
def load_index() -> Index:
    """The index of the packaged gazetteer, built on first use and then cached."""
    return build_index(load_data())
