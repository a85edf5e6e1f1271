"""Text normalisation for place matching: folding, tokens, phonetic keys and transliteration.

Three comparison levels, from strict to loose, all applied the same way to the gazetteer and
to the user's message:

* ``fold``: casefold, ß→ss, Latin diacritics dropped (ü→u), Arabic letter variants unified
  (أإآ→ا, ة→ه, ى→ي), tatweel and harakat removed, Arabic-Indic digits → 0-9, apostrophes removed.
* ``latin_key``: a German-flavoured phonetic key of Latin text (ue→u, sch→s, z→s, w→v→f, h dropped,
  double letters collapsed), so that "salskoten" and "Salzkotten", or a Cyrillic spelling
  transliterated by ``cyrillic_to_latin``, meet on one key.
* ``skeleton``: the consonant skeleton used for Arabic script, which writes few vowels and has no p/v.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_APOSTROPHES = "'’ʼ`´"
_MARKS = "\u0300-\u036f\u0640\u064b-\u065f\u0670"
_TOKEN_RE = re.compile(
    rf"\d+|(?:[^\W\d_]|[{_MARKS}])+(?:[{_APOSTROPHES}](?:[^\W\d_]|[{_MARKS}])+)*",
)

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "پ": "ب",
        "ڤ": "ف",
        "گ": "ك",
        "ک": "ك",
        "ی": "ي",
        "چ": "ج",
        "ژ": "ز",
        "ё": "е",
        "ґ": "г",
        **{chr(c): None for c in range(0x064B, 0x0660)},
        "\u0670": None,
        "\u0640": None,
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        **{a: None for a in _APOSTROPHES},
    }
)


class Token(NamedTuple):
    """One word or number of the original text, with its character offsets."""

    start: int
    end: int
    text: str  # folded
    script: str  # "latin", "cyrillic", "arabic", "digits" or "other"


def fold(text: str) -> str:
    """Casefold and strip what people vary on: accents, ß, Arabic letter variants, apostrophes."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
    if text.isascii():
        return text
    out: list[str] = []
    after_latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not after_latin:
                out.append(ch)
            continue
        after_latin = ch < "\u0250"
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def script_of(folded: str) -> str:
    """Name the script of a folded token (by its first character)."""
    ch = folded[0]
    if ch.isdigit():
        return "digits"
    if ch < "\u0250":
        return "latin"
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    if "\u0600" <= ch <= "\u06ff":
        return "arabic"
    return "other"


_LINK_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+", re.IGNORECASE)


def tokenize(text: str) -> list[Token]:
    """Split text into words and digit runs; hyphens, slashes and punctuation separate words.

    Web and e-mail addresses are skipped ("www.paderborn.de" names a site, not a home).
    """
    text = _LINK_RE.sub(lambda m: " " * len(m.group()), text)
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        folded = fold(match.group())
        if folded:
            tokens.append(Token(match.start(), match.end(), folded, script_of(folded)))
    return tokens


def words(text: str) -> list[str]:
    """The folded tokens of a text (used for gazetteer names, so they split like user input)."""
    return [t.text for t in tokenize(text)]


# Ordered rewrite rules for the phonetic key; earlier rules see the output of the ones before.
_KEY_RULES = (
    ("tsch", "s"),
    ("sch", "s"),
    ("ch", "h"),
    ("ck", "k"),
    ("ph", "f"),
    ("th", "t"),
    ("dt", "t"),
    ("tz", "s"),
    ("ts", "s"),
    ("z", "s"),
    ("c", "k"),
    ("qu", "kf"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "f"),
    ("v", "f"),
    ("y", "i"),
    ("j", "i"),
    ("eu", "oi"),
    ("ae", "a"),
    ("oe", "o"),
    ("ue", "u"),
    ("ie", "i"),
    ("ei", "ai"),
    ("h", ""),
)
_REPEAT_RE = re.compile(r"(.)\1+")
_NON_LETTER_RE = re.compile(r"[^a-z]")


def latin_key(folded: str) -> str:
    """German-flavoured phonetic key of folded Latin text (spaces and non-letters dropped)."""
    key = _NON_LETTER_RE.sub("", folded)
    for old, new in _KEY_RULES:
        if old in key:
            key = key.replace(old, new)
    key = _REPEAT_RE.sub(r"\1", key)
    return key[:-1] + "t" if key.endswith("d") else key  # final devoicing: Detmolt = Detmold


_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "д": "d",
    "е": "e",
    "є": "e",
    "ж": "s",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "tsch",
    "ш": "sch",
    "щ": "sch",
    "ь": "",
    "ъ": "",
    "ы": "i",
    "э": "e",
    "ю": "u",
    "я": "a",
}
# Ukrainian writes German H and G both as Г (Гамбург, Гютерсло); Russian writes G as Г, H as Х.
_CYRILLIC_H = str.maketrans({**_CYRILLIC, "г": "h"})
_CYRILLIC_G = str.maketrans({**_CYRILLIC, "г": "g"})


def cyrillic_to_latin(folded: str, *, lang: str | None = None) -> tuple[str, ...]:
    """Transliterate folded Cyrillic into Latin spellings of a German name (Г read as h and as g)."""
    as_h, as_g = folded.translate(_CYRILLIC_H), folded.translate(_CYRILLIC_G)
    if as_h == as_g:
        return (as_h,)
    return (as_g, as_h) if lang == "ru" else (as_h, as_g)


_SKELETON_LATIN = str.maketrans("pabdefgiklmnorstuv", "b_bd_fg_klmn_rst_f", "aeiouhjwyxzcq")
_SKELETON_ARABIC = str.maketrans(
    {
        "ب": "b",
        "ت": "t",
        "ط": "t",
        "ث": "s",
        "س": "s",
        "ص": "s",
        "ش": "s",
        "ز": "s",
        "ذ": "s",
        "ظ": "s",
        "ج": "g",
        "غ": "g",
        "ق": "k",
        "ك": "k",
        "د": "d",
        "ض": "d",
        "ر": "r",
        "ف": "f",
        "ل": "l",
        "م": "m",
        "ن": "n",
        **{c: None for c in "اويءعحخه"},
    }
)
_NON_SKELETON_RE = re.compile(r"[^bdfgklmnrst]")


def skeleton_from_latin_key(key: str) -> str:
    """Consonant skeleton of a phonetic key, as Arabic script would write it (p→b, vowels and h dropped)."""
    return _REPEAT_RE.sub(r"\1", _NON_SKELETON_RE.sub("", key.translate(_SKELETON_LATIN)))


def skeleton_from_arabic(folded: str) -> str:
    """Consonant skeleton of folded Arabic text (long-vowel letters, ح/خ/ه/ع dropped)."""
    latin = folded.translate(_SKELETON_ARABIC)
    return _REPEAT_RE.sub(r"\1", _NON_SKELETON_RE.sub("", latin))


_CYRILLIC_ENDINGS = ("ові", "еві", "ом", "ем", "ою", "ої", "і", "у", "ю", "а", "я", "е", "и")
_CYRILLIC_ALTERNATIONS = (("зі", "г"), ("ці", "к"), ("сі", "х"))
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "لل", "ال", "وب", "ول", "و", "ب", "ل", "ف")


def inflection_stems(folded: str, script: str) -> list[str]:
    """Base forms a word may have before grammar changed it (Падерборні → Падерборн, بدلبروك → دلبروك)."""
    stems = []
    if script == "cyrillic":
        for ending in _CYRILLIC_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= 4:
                stems.append(folded[: -len(ending)])
        for ending, final in _CYRILLIC_ALTERNATIONS:  # Ukrainian locative: Гамбург → у Гамбурзі
            if folded.endswith(ending) and len(folded) - len(ending) >= 4:
                stems.append(folded[: -len(ending)] + final)
    elif script == "arabic":
        for prefix in _ARABIC_PREFIXES:
            if folded.startswith(prefix) and len(folded) - len(prefix) >= 3:
                stems.append(folded[len(prefix) :])
    elif script == "latin" and folded.endswith("s") and len(folded) >= 6:
        stems.append(folded[:-1])  # genitive: Paderborns, Delbrücks
    return stems
