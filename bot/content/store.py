"""Load the answer texts of ``translations/<lang>/*.yml`` (format: translations/README.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("de", "uk", "ar", "en")
UI_FILE = "ui.yml"
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "translations"


class ContentError(Exception):
    """The answer texts are missing or malformed; the message names the file and key."""


@dataclass(frozen=True)
class Answer:
    """One sourced answer in one language."""

    key: str
    language: str
    messages: tuple[str, ...]
    ask_person: str
    sources: tuple[str, ...]
    reviewed: dt.date


@dataclass(frozen=True)
class Entry:
    """A raw entry as written in a file, with where it came from (for error messages)."""

    language: str
    file: str
    key: str
    data: Any


class ContentStore:
    """All entries of all languages, indexed by (language, key)."""

    def __init__(self, entries: dict[tuple[str, str], Entry], root: Path) -> None:
        self._entries = entries
        self.root = root

    @classmethod
    def load(cls, root: Path = DEFAULT_ROOT) -> ContentStore:
        """Read every ``<lang>/*.yml`` below ``root``; a YAML error raises :class:`ContentError`."""
        entries: dict[tuple[str, str], Entry] = {}
        for lang_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            for path in sorted(lang_dir.glob("*.yml")):
                rel = f"{lang_dir.name}/{path.name}"
                try:
                    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                except yaml.YAMLError as exc:
                    raise ContentError(f"{rel}: not valid YAML: {exc}") from exc
                if not isinstance(data, dict):
                    raise ContentError(f"{rel}: expected a mapping of answer keys at the top level")
                for key, value in data.items():
                    where = entries.get((lang_dir.name, str(key)))
                    if where is not None:
                        raise ContentError(f"{rel}: key '{key}' is also defined in {where.file}")
                    entries[(lang_dir.name, str(key))] = Entry(lang_dir.name, rel, str(key), value)
        return cls(entries, root)

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def _entry(self, key: str, language: str) -> Entry:
        try:
            return self._entries[(language, key)]
        except KeyError:
            raise ContentError(f"{language}: no entry '{key}' in {self.root}") from None

    def ui(self, key: str, language: str, **values: str) -> str:
        """A UI text (``ui.yml``), with ``{placeholders}`` filled from ``values``."""
        text = str(self._entry(key, language).data["text"])
        return text.format(**values) if values else text

    def answer(self, key: str, language: str) -> Answer:
        """A sourced answer; raises :class:`ContentError` if it is missing."""
        entry = self._entry(key, language)
        data = entry.data
        return Answer(
            key=key,
            language=language,
            messages=tuple(str(m).strip() for m in data["messages"]),
            ask_person=str(data["ask_person"]).strip(),
            sources=tuple(str(s) for s in data["sources"]),
            reviewed=_as_date(data["reviewed"]),
        )


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@lru_cache(maxsize=4)
def load_store(root: Path = DEFAULT_ROOT) -> ContentStore:
    """The store for ``root``, loaded once per process."""
    return ContentStore.load(root)
