"""Recognise Arabic written in Latin letters ("Arabizi": "3ndi duldung", "shu lazem a3mel").

Language detectors do not know Arabizi: they call it English, Turkish or Albanian. Two signals
decide: digits used as letters inside words (2 = hamza, 3 = ain, 5/7 = kha/ha, 8/9 = ghain/qaf) and a
lexicon of frequent Arabizi words. German and English words are excluded so "ok kita" stays Latin.
"""

from __future__ import annotations

import re

_DIGIT_LETTER = re.compile(r"(?:[a-z]+[2356789][a-z']*|[2356789][a-z]{2,})")

# Frequent function and content words in Levantine, Iraqi and Egyptian Arabizi.
_LEXICON = frozenset(
    """
    shu sho shou chou esh eish ish shlon shloon kif keef kifak kifik keefak kaif izzay ezay ezzay
    wen wein wain fen feen wayn lesh leish lish leh lae la2 la2a aywa aiwa eh ah akid akeed tab tayeb tayyib
    bade badi biddi bedi beddi baddi bidi ana enta enti inta inti ehna nehna ni7na hiye huwe howa hiya
    3andi 3ndi 3indi andi ma3i mafi fi fini feni fiya bs bas bass halla2 hala2 hal2 hallaq hassa hasa
    yalla yallah inshallah inshalla mashallah wallah walla habibi habibti marhaba mar7aba salam salamu
    shukran shokran choukran mashkor mamnoon afwan 3afwan fadlak fadlik lo samaht law sama7t
    sho3'l sho3l shoghl shughl 3amal 3mel a3mel a3ml bshtghel eshtghel eshte8el ashtghel shta3'l
    beit bet bayt madrase madrasa rawda rawdha 7adana hadana ebni ibni binti bint mart marti zoji zawji
    3yle 3ele 3a2ile daktor mostashfa mustashfa flus masari masare ma3ash
    kteer ktir kter shway shwai shwaye mnih mni7 mneeh kwayes kwayyes zaki
    """.split()
)

# Words that are also German or English and must never count as Arabizi evidence.
_NOT_ARABIZI = frozenset("in is bin man was fi so am an da die der eh ah bass tab leben".split())


def arabizi_score(text: str) -> float:
    """Share of words (0..1) that look like Arabizi; 0 for text with Arabic or Cyrillic letters."""
    words = re.findall(r"[a-z0-9']+", text.casefold())
    words = [w for w in words if not w.isdigit()]
    if not words:
        return 0.0
    hits = 0
    for word in words:
        if word in _NOT_ARABIZI:
            continue
        if word in _LEXICON or _DIGIT_LETTER.fullmatch(word):
            hits += 1
    return hits / len(words)


def looks_like_arabizi(text: str) -> bool:
    """True when the message is most likely Arabic in Latin letters."""
    words = re.findall(r"[a-z0-9']+", text.casefold())
    score = arabizi_score(text)
    if len(words) <= 2:
        return score >= 0.5 and any(w in _LEXICON or _DIGIT_LETTER.fullmatch(w) for w in words)
    return score >= 0.3
