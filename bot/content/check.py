"""The content check (``python -m bot content check``): every answer in every language, sourced and dated.

Each problem names the file and key, so a writer can fix it without reading code.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.content.choices import load_choices
from bot.content.store import LANGUAGES, UI_FILE, ContentError, ContentStore, Entry
from bot.content.topics import required_keys

MAX_BUBBLE_CHARS = 600
ANSWER_FIELDS = {"reviewed", "sources", "messages", "ask_person"}
# A text this long must be written partly in the script of its language (catches untranslated copies).
SCRIPT_CHECK_MIN_LETTERS = 40
MIN_SCRIPT_SHARE = 0.25  # German office names and addresses are fine inside a translated bubble
EXPECTED_SCRIPT = {"uk": "CYRILLIC", "ar": "ARABIC", "de": "LATIN", "en": "LATIN"}


@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


def _texts(entry: Entry) -> list[str]:
    data = entry.data if isinstance(entry.data, dict) else {}
    if entry.file.endswith(UI_FILE):
        return [str(data.get("text", ""))]
    return [str(m) for m in data.get("messages") or []] + [str(data.get("ask_person", ""))]


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}


def _script_share(text: str, script: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum(unicodedata.name(c, "").startswith(script) for c in letters) / len(letters)


def _check_entry(entry: Entry, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(entry.file, entry.key, message))

    data = entry.data
    if not isinstance(data, dict):
        problem("expected a mapping")
        return problems
    if entry.file.endswith(UI_FILE):
        if set(data) != {"text"}:
            problem(f"a UI text has only the field 'text' (found {sorted(data)})")
        if not str(data.get("text") or "").strip():
            problem("empty text")
        return problems

    missing, unknown = ANSWER_FIELDS - set(data), set(data) - ANSWER_FIELDS
    if missing:
        problem(f"missing field(s) {sorted(missing)}")
    if unknown:
        problem(f"unknown field(s) {sorted(unknown)}")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        problem("no sources: list at least one URL from shared/facts.md")
    else:
        for source in sources:
            if not re.match(r"https?://\S+$", str(source)):
                problem(f"source is not a URL: {source!r}")
    reviewed = data.get("reviewed")
    try:
        reviewed_date = reviewed if isinstance(reviewed, dt.date) else dt.date.fromisoformat(str(reviewed))
    except ValueError:
        problem(f"'reviewed' is not a date (YYYY-MM-DD): {reviewed!r}")
    else:
        if reviewed_date > today:
            problem(f"'reviewed' date {reviewed_date} is in the future")
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        problem("no messages")
    for number, text in enumerate(_texts(entry), start=1):
        if not text.strip():
            problem(f"bubble {number} is empty")
        elif len(text) > MAX_BUBBLE_CHARS:
            problem(
                f"bubble {number} has {len(text)} characters (at most {MAX_BUBBLE_CHARS} fit a phone screen)"
            )
    return problems


def _check_language(entry: Entry) -> list[Problem]:
    script = EXPECTED_SCRIPT[entry.language]
    problems = []
    for text in _texts(entry):
        letters = sum(c.isalpha() for c in text)
        if letters >= SCRIPT_CHECK_MIN_LETTERS and _script_share(text, script) < MIN_SCRIPT_SHARE:
            problems.append(
                Problem(
                    entry.file,
                    entry.key,
                    f"text is hardly in {script.title()} script: untranslated? {text[:60]!r}",
                )
            )
            break
    return problems


def check_store(store: ContentStore, today: dt.date | None = None) -> list[Problem]:
    """All problems in ``store``; an empty list means the content is complete."""
    today = today or dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    problems: list[Problem] = []
    by_key: dict[str, dict[str, Entry]] = {}
    for entry in store.entries():
        if entry.language not in LANGUAGES:
            problems.append(Problem(entry.file, entry.key, f"unknown language folder '{entry.language}'"))
            continue
        by_key.setdefault(entry.key, {})[entry.language] = entry
        problems += _check_entry(entry, today)
        problems += _check_language(entry)

    for key, variants in sorted(by_key.items()):
        files = {e.file.split("/", 1)[1] for e in variants.values()}
        for lang in LANGUAGES:
            if lang not in variants:
                problems.append(Problem(f"{lang}/{sorted(files)[0]}", key, f"missing in '{lang}'"))
        if len(files) > 1:
            problems.append(
                Problem(sorted(files)[0], key, f"in different files across languages: {sorted(files)}")
            )
        german = variants.get("de")
        if german is None:
            continue
        german_placeholders = [_placeholders(t) for t in _texts(german)]
        for lang, entry in variants.items():
            texts = _texts(entry)
            if [_placeholders(t) for t in texts] != german_placeholders:
                problems.append(Problem(entry.file, key, "placeholders differ from the German version"))
            if lang != "de" and not entry.file.endswith(UI_FILE) and texts == _texts(german):
                problems.append(Problem(entry.file, key, "identical to the German text: untranslated"))

    for key in sorted(required_keys() | _choice_label_keys()):
        if key not in by_key:
            problems.append(Problem("*", key, "needed by the assistant but missing in every language"))
    return problems


def _choice_label_keys() -> set[str]:
    keys = set()
    for choice in load_choices().values():
        keys.add(choice.question)
        keys.update(option.label for option in choice.options)
    return keys


def check_content(root: Path) -> list[Problem]:
    """Load ``root`` and check it; a file that cannot be read is reported as a problem."""
    try:
        store = ContentStore.load(root)
    except ContentError as exc:
        return [Problem(str(root), "*", str(exc))]
    return check_store(store)
