"""Spelling-independent forms of a word, for the intent classifier's character n-grams.

The same word reaches us in several scripts and spellings: "дякую", "dyakuyu" and "diakuiu";
"وين الروضة" and "wen el rawda"; "Ausländerbehörde" and "auslanderbehorde". Character n-grams
only generalise between spellings that share characters, so the classifier sees two extra forms:

* ``romanize``: folded (``bot.municipality.normalise.fold``), Cyrillic written the way Ukrainian
  and Russian users type it in Latin letters, Arabic written as Arabizi (ع→3, ح→7, خ→5, ق→2) without
  the article (الكيتا = كيتا), and the letters people choose between collapsed (kh/h, y/i/j, x/h),
  so "дякую" and "diakuiu" meet.
* ``consonant_skeleton``: the romanized word without its inner vowels (w counts as the vowel u),
  because Arabic script leaves short vowels out that Arabizi writes ("بدي شغل" and "badi sho3'l"
  meet on "bd shgl").

Both work on one word at a time (the tokenizer's tokens) and on whole texts alike.
"""

from __future__ import annotations

import re

from bot.municipality.normalise import fold

# Not bot.municipality.normalise's table: that one spells Cyrillic as German would write a place name
# (ж→s, ч→tsch); this one as Ukrainian and Russian users write their own words in Latin (ж→zh, ч→ch).
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "h",  # Ukrainian г is h; Russian users write both, "kh" below collapses to h as well
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "з": "z",
        "и": "y",
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
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ь": None,
        "ъ": None,
        "ы": "y",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    }
)
_ARABIC_TO_ARABIZI = str.maketrans(
    {
        "ا": "a",
        "ب": "b",
        "ت": "t",
        "ث": "th",
        "ج": "j",
        "ح": "7",
        "خ": "5",
        "د": "d",
        "ذ": "th",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "sh",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "ع": "3",
        "غ": "gh",
        "ف": "f",
        "ق": "2",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "و": "w",
        "ي": "i",
        "ء": "2",
    }
)
# Letters that transliterations choose between (applied after the script mapping, to all Latin).
_LATIN_CHOICES = (("kh", "h"), ("y", "i"), ("j", "i"), ("ii", "i"), ("x", "h"))
_ARABIC_ARTICLE = re.compile(r"(?<!\S)[وف]?(?:بال|كال|لل|ال)(?=\w\w)")  # والمدرسة, بالكيتا, للجوب سنتر
_FINAL_HA = re.compile(r"ه\b")  # after folding mostly ة, which Arabizi writes as a: حضانة → 7adana
_INNER_VOWELS = re.compile(r"(?<=\w)[aeiou]+")
_REPEATS = re.compile(r"(.)\1+")


def romanize(text: str) -> str:
    """Fold ``text`` and write it in Latin letters the way phone users transliterate."""
    folded = _FINAL_HA.sub("a", _ARABIC_ARTICLE.sub("", fold(text)))
    latin = folded.translate(_CYRILLIC_TO_LATIN).translate(_ARABIC_TO_ARABIZI)
    for old, new in _LATIN_CHOICES:
        latin = latin.replace(old, new)
    return latin


def consonant_skeleton(text: str) -> str:
    """The romanized text without vowels inside words and without doubled letters."""
    skeleton = _INNER_VOWELS.sub("", romanize(text).replace("w", "u"))
    return _REPEATS.sub(r"\1", skeleton)
