"""Find place mentions in tokenised text: postal codes, then names from strict to loose.

Passes, each only over tokens no earlier pass has taken (longest n-grams first):

1. postal codes (5 digits) - the Kreis's delivery codes, older ranges, known codes outside;
2. exact folded names (confidence 1.0);
3. grammatical forms: Cyrillic case endings, Arabic prefixes (ب، و، ال…), German genitive -s (0.95);
4. phonetic key of Latin or transliterated Cyrillic text, consonant skeleton of Arabic (0.9 / 0.85);
5. fuzzy match of keys of length >= 6 (rapidfuzz Indel distance, i.e. ``fuzz.ratio``'s distance, with
   a budget of 1-3 edits by length); two-word spans only against names of two or more words.

Names that are part of a street name ("Paderborner Straße") are skipped. Common words never
start or end a phonetic or fuzzy match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from bot.municipality.gazetteer import FUZZY_MIN_LEN, Index, Place, fuzzy_budget
from bot.municipality.normalise import (
    Token,
    cyrillic_to_latin,
    inflection_stems,
    latin_key,
    skeleton_from_arabic,
)
from bot.municipality.words import COMMON, STREET_AFTER, STREET_BEFORE

EXACT, INFLECTED, PHONETIC, SKELETON = 1.0, 0.95, 0.9, 0.85
POSTAL_RANGE, UNVERIFIED_POSTAL = 0.7, 0.7
UNVERIFIED_FACTOR = 0.9
FUZZY_HIGH = 0.85  # fuzzy confidence = 0.85 x normalised similarity: always below CONFIDENT
CYRILLIC_KEY_MIN, LATIN_KEY_MIN, CYRILLIC_FUZZY_MIN = 5, 6, 7
SKELETON_MIN, PHRASE_SKELETON_MIN = 5, 7  # consonants; Arabic words are mostly 3-4 of them


@dataclass
class Mention:
    """A run of tokens (first..last, inclusive) that names one or more places."""

    first: int
    last: int
    places: tuple[Place, ...]
    confidence: float
    postal_code: str | None = None
    weak: bool = False  # set by the resolver: "bei Paderborn", "Jobcenter Paderborn"
    residence: bool = False  # set by the resolver: "ich wohne in …" just before


class _Finder:
    def __init__(self, tokens: list[Token], index: Index, lang: str | None) -> None:
        self.tokens = tokens
        self.index = index
        self.lang = lang
        self.taken = [False] * len(tokens)
        self.mentions: list[Mention] = []
        for i in range(len(tokens)):  # street names are not places of residence
            after = tokens[i + 1].text if i + 1 < len(tokens) else ""
            before = tokens[i - 1].text if i else ""
            if after in STREET_AFTER or before in STREET_BEFORE:
                self.taken[i] = True

    def add(
        self, first: int, n: int, places: tuple[Place, ...], confidence: float, postal: str | None = None
    ) -> None:
        if all(not p.verified for p in places):
            confidence *= UNVERIFIED_FACTOR
        self.mentions.append(Mention(first, first + n - 1, places, confidence, postal))
        for i in range(first, first + n):
            self.taken[i] = True

    def spans(self, n: int, *, content: bool) -> list[int]:
        """Start positions of free n-grams in one script (and, if content, not edged by common words)."""
        starts = []
        for i in range(len(self.tokens) - n + 1):
            run = self.tokens[i : i + n]
            if any(self.taken[i : i + n]) or any(t.script != run[0].script for t in run):
                continue
            if run[0].script == "digits" or (content and (run[0].text in COMMON or run[-1].text in COMMON)):
                continue
            starts.append(i)
        return starts

    def postal_codes(self) -> None:
        for i, token in enumerate(self.tokens):
            if token.script != "digits" or len(token.text) != 5 or self.taken[i]:
                continue
            places = self.index.postal.get(token.text)
            if places:
                confidence = (
                    EXACT if any(p.verified for p in places) else UNVERIFIED_POSTAL / UNVERIFIED_FACTOR
                )
                self.add(i, 1, places, confidence, postal=token.text)
                continue
            number = int(token.text)
            for low, high, place in self.index.postal_ranges:
                if low <= number <= high:
                    self.add(i, 1, (place,), POSTAL_RANGE / UNVERIFIED_FACTOR, postal=token.text)
                    break

    def exact(self) -> None:
        for n in range(self.index.max_words, 0, -1):
            for i in self.spans(n, content=False):
                if any(self.taken[i : i + n]):
                    continue
                texts = [t.text for t in self.tokens[i : i + n]]
                places = self.index.exact.get(" ".join(texts)) or self.index.exact.get("".join(texts))
                if places:
                    self.add(i, n, places, EXACT)

    def _variants(self, i: int, n: int) -> list[str]:
        """An n-gram (words joined by spaces) with grammatical endings or prefixes removed."""
        run = [t.text for t in self.tokens[i : i + n]]
        script = self.tokens[i].script
        if script == "arabic":  # prefixes sit on the first word: وبادربورن
            return [" ".join([stem, *run[1:]]) for stem in inflection_stems(run[0], script)]
        return [" ".join([*run[:-1], stem]) for stem in inflection_stems(run[-1], script)]

    def inflected(self) -> None:
        for n in (2, 1):
            for i in self.spans(n, content=True):
                if any(self.taken[i : i + n]):
                    continue
                for text in self._variants(i, n):
                    places = self.index.exact.get(text) or self.index.exact.get(text.replace(" ", ""))
                    if places:
                        self.add(i, n, places, INFLECTED)
                        break

    def _keys(self, i: int, n: int) -> list[str]:
        """Phonetic keys (Latin, Cyrillic) or consonant skeletons (Arabic) of an n-gram and its stems."""
        script = self.tokens[i].script
        glued = "".join(t.text for t in self.tokens[i : i + n])
        forms = [glued, *(text.replace(" ", "") for text in self._variants(i, n))]
        if script == "latin":
            return [latin_key(glued)]
        if script == "cyrillic":
            return [latin_key(latin) for form in forms for latin in cyrillic_to_latin(form, lang=self.lang)]
        if script == "arabic":
            return [skeleton_from_arabic(form) for form in forms]
        return []

    def phonetic(self) -> None:
        for n in (3, 2, 1):
            for i in self.spans(n, content=True):
                if any(self.taken[i : i + n]):
                    continue
                script = self.tokens[i].script
                table = self.index.keys
                if script == "arabic":
                    table = self.index.phrase_skeletons if n > 1 else self.index.skeletons
                minimum = {"latin": LATIN_KEY_MIN, "cyrillic": CYRILLIC_KEY_MIN}.get(script, SKELETON_MIN)
                if script == "arabic" and n > 1:
                    minimum = PHRASE_SKELETON_MIN
                for key in self._keys(i, n):
                    if len(key) >= minimum and key in table:
                        self.add(i, n, table[key], SKELETON if script == "arabic" else PHONETIC)
                        break

    def _fuzzy_one(
        self, query: str, vocabulary: tuple[tuple[str, ...], ...], table: Mapping[str, tuple[Place, ...]]
    ) -> tuple[float, tuple[Place, ...], float] | None:
        """(distance, places, confidence) of the nearest names within the edit budget.

        Names at the same distance are all kept, so two different places make the mention ambiguous.
        """
        if len(query) >= len(vocabulary):
            return None
        budget = fuzzy_budget(len(query))
        found = process.extract(
            query, vocabulary[len(query)], scorer=Indel.distance, score_cutoff=budget, limit=4
        )
        if not found:
            return None
        best = found[0][1]
        places = tuple(
            dict.fromkeys(p for choice, distance, _ in found if distance == best for p in table[choice])
        )
        similarity = 1.0 - best / (len(query) + len(found[0][0]))
        return best, places, FUZZY_HIGH * similarity

    def fuzzy(self) -> None:
        found: list[tuple[float, int, int, tuple[Place, ...], float]] = []
        for n in (2, 1):
            for i in self.spans(n, content=True):
                script = self.tokens[i].script
                if script == "arabic" and n == 1:  # Arabic phrases: exact and skeleton passes only
                    queries = [(self.tokens[i].text, self.index.fuzzy_arabic, self.index.exact)]
                elif script == "latin":
                    vocabulary = self.index.fuzzy_phrases if n > 1 else self.index.fuzzy_keys
                    queries = [(key, vocabulary, self.index.keys) for key in self._keys(i, n)]
                elif script == "cyrillic":  # the word as written: fuzzy on guessed stems finds too much
                    vocabulary = self.index.fuzzy_phrases if n > 1 else self.index.fuzzy_keys
                    glued = "".join(t.text for t in self.tokens[i : i + n])
                    keys = [latin_key(latin) for latin in cyrillic_to_latin(glued, lang=self.lang)]
                    queries = [
                        (key, vocabulary, self.index.keys) for key in keys if len(key) >= CYRILLIC_FUZZY_MIN
                    ]
                else:
                    continue
                for query, vocabulary, table in queries:
                    if len(query) < FUZZY_MIN_LEN:
                        continue
                    hit = self._fuzzy_one(query, vocabulary, table)
                    if hit:
                        found.append((hit[0], n, i, hit[1], hit[2]))
                        break
        for _distance, n, i, places, confidence in sorted(found, key=lambda f: (f[0], -f[1], f[2])):
            if not any(self.taken[i : i + n]):
                self.add(i, n, places, confidence)


def find_mentions(tokens: list[Token], index: Index, lang: str | None = None) -> list[Mention]:
    """All place mentions in the tokens, in text order."""
    finder = _Finder(tokens, index, lang)
    finder.postal_codes()
    finder.exact()
    finder.inflected()
    finder.phonetic()
    finder.fuzzy()
    return sorted(finder.mentions, key=lambda m: m.first)
