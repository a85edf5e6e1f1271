"""Errors of the translation package.

Hierarchy (catch :class:`TranslationError` to handle all of them)::

    TranslationError                 the model failed while translating
    ├── TranslationUnavailable       the direction is not installed, or its files are broken
    └── TranslationInputTooLong      the message is longer than ``TranslationSettings.max_chars``

Every error carries ``user_message(lang)``: a short sentence the caller can show next to the
original text, in the reader's language.
"""

from __future__ import annotations

# Shown instead of a translation. The lead may move these into translations/<lang>/ui.yml.
_UNAVAILABLE = {
    "de": "Übersetzung nicht verfügbar – der Originaltext wird angezeigt.",
    "en": "Translation not available – the original text is shown.",
    "uk": "Переклад недоступний – показано оригінальний текст.",
    "ar": "الترجمة غير متاحة – يُعرض النص الأصلي.",
}
_TOO_LONG = {
    "de": "Die Nachricht ist zu lang für die Übersetzung – der Originaltext wird angezeigt.",
    "en": "The message is too long to translate – the original text is shown.",
    "uk": "Повідомлення задовге для перекладу – показано оригінальний текст.",
    "ar": "الرسالة طويلة جدًا للترجمة – يُعرض النص الأصلي.",
}


class TranslationError(Exception):
    """A translation could not be made; the caller shows the original text instead."""

    _user_messages: dict[str, str] = _UNAVAILABLE

    def __init__(self, message: str, *, src: str | None = None, tgt: str | None = None) -> None:
        super().__init__(message)
        self.src = src
        self.tgt = tgt

    def user_message(self, lang: str = "de") -> str:
        """A sentence for the reader (``de``, ``uk``, ``ar`` or ``en``; German otherwise)."""
        return self._user_messages.get(lang, self._user_messages["de"])


class TranslationUnavailable(TranslationError):
    """The direction is not installed (or its model files are missing or damaged)."""


class TranslationInputTooLong(TranslationError):
    """The message is longer than the configured limit; nothing was translated."""

    _user_messages = _TOO_LONG

    def __init__(self, length: int, limit: int, *, src: str | None = None, tgt: str | None = None) -> None:
        super().__init__(f"input has {length} characters, the limit is {limit}", src=src, tgt=tgt)
        self.length = length
        self.limit = limit
