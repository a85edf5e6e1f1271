"""Local machine translation for the KIM assistant (de, uk, ar, en), offline, on the CPU.

Public surface::

    from bot.translation import translate, back_translate, TranslationUnavailable

    try:
        result = translate(user_text, "uk", "de")   # Translation(text=..., machine_translated=True)
    except TranslationError as exc:                   # includes TranslationUnavailable
        show(original_text, note=exc.user_message("de"))

Models are installed with ``python -m bot models fetch`` (see docs/translation.md); importing
this package loads nothing.
"""

from bot.translation.api import back_translate, configure, get_engine, translate
from bot.translation.engine import BackTranslation, Translation, TranslationEngine
from bot.translation.errors import TranslationError, TranslationInputTooLong, TranslationUnavailable
from bot.translation.settings import TranslationSettings

__all__ = [
    "BackTranslation",
    "Translation",
    "TranslationEngine",
    "TranslationError",
    "TranslationInputTooLong",
    "TranslationSettings",
    "TranslationUnavailable",
    "back_translate",
    "configure",
    "get_engine",
    "translate",
]
