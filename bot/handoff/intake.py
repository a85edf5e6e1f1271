"""Reading the intake answers: contact, name and description checks, topics from the conversation.

Pure functions; the form validation action (actions/handoff.py) calls them with the user's text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.handoff.summary import labels

MAX_DESCRIPTION = 1000
MIN_DESCRIPTION_LETTERS = 3
MAX_NAME = 80
SKIPPED = "-"
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]+)*\.?$")


@dataclass(frozen=True)
class Contact:
    kind: str  # chat | phone | email
    value: str | None = None

    def as_slot(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    @classmethod
    def from_slot(cls, slot: str | None) -> Contact:
        kind, _, value = (slot or "chat").partition(":")
        return cls(kind, value or None)


def _letters(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch).startswith("L"))


def parse_contact(text: str) -> Contact | None:
    """A phone number (German by default, international with +) or an e-mail address, else None."""
    text = text.strip()
    if not text or len(text) > 254:
        return None
    if "@" in text:
        candidate = text.split()[-1] if " " in text else text
        try:
            checked = validate_email(candidate.strip(".,;"), check_deliverability=False)
        except EmailNotValidError:
            return None
        return Contact("email", checked.normalized)
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if not 6 <= len(digits.lstrip("+")) <= 15:
        return None
    try:
        number = phonenumbers.parse(digits, "DE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return Contact("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def check_description(text: str) -> str | None:
    """None when fine, else the ui key of the problem."""
    if len(text) > MAX_DESCRIPTION:
        return "handoff_text_too_long"
    if _letters(text) < MIN_DESCRIPTION_LETTERS:
        return "handoff_text_too_short"
    return None


def clean_name(text: str) -> str | None:
    """A plausible name (letters of any script, spaces, hyphens, apostrophes), else None."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME or _letters(name) < 2 or not _NAME_CHARS.match(name):
        return None
    return name


def conversation_topics(intents: Iterable[str | None]) -> tuple[str, ...]:
    """The topics the user asked about in this conversation, in order, without repeats."""
    known = labels()["topics"]
    seen: dict[str, None] = {}
    for intent in intents:
        if intent and intent in known and intent != "other":
            seen.setdefault(intent, None)
    return tuple(seen)
