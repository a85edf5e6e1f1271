"""Language of the user: detection per message and the sticky per-conversation decision."""

from bot.language.decide import LanguageDecision, decide_language, requested_language
from bot.language.detect import SUPPORTED, Detection, detect_language

__all__ = [
    "SUPPORTED",
    "Detection",
    "LanguageDecision",
    "decide_language",
    "detect_language",
    "requested_language",
]
