"""Module-level ``translate``/``back_translate`` over one shared engine.

The application calls :func:`configure` once at start-up with its settings; a call before that
builds the engine from ``TranslationSettings.from_env()``. Nothing is loaded until the first
translation in a direction.
"""

from __future__ import annotations

import threading

from bot.translation.engine import BackTranslation, Translation, TranslationEngine
from bot.translation.settings import TranslationSettings

_engine: TranslationEngine | None = None
_lock = threading.Lock()


def configure(settings: TranslationSettings) -> TranslationEngine:
    """Replace the shared engine with one built from ``settings`` (models load lazily)."""
    global _engine
    with _lock:
        _engine = TranslationEngine(settings)
        return _engine


def get_engine() -> TranslationEngine:
    """The shared engine, built from the environment on first use if not configured."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = TranslationEngine(TranslationSettings.from_env())
        return _engine


def translate(text: str, src: str, tgt: str) -> Translation:
    """Translate ``text`` from ``src`` to ``tgt`` (``de``, ``uk``, ``ar``, ``en``).

    Returns a :class:`Translation`; ``machine_translated`` is True when a model wrote the text.
    Raises :class:`TranslationUnavailable` (direction not installed),
    :class:`TranslationInputTooLong` or :class:`TranslationError`; all carry ``user_message``.
    """
    return get_engine().translate(text, src, tgt)


def back_translate(text: str, src: str, tgt: str) -> BackTranslation:
    """Translate ``text`` to ``tgt`` and back to ``src``, so the case manager can check a reply."""
    return get_engine().back_translate(text, src, tgt)
