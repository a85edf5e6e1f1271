"""The roster of case managers and coordinators (a YAML file), and routing a case to a person.

The repository ships ``roster.example.yml`` (fictional people); production names its own file in
``KIM_ROSTER``. The roster is checked when loaded: every municipality has a case manager, a
municipality with several has exactly one fallback, districts exist and belong to one person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.municipality import municipalities
from bot.municipality.gazetteer import load_data

EXAMPLE_ROSTER = Path(__file__).with_name("roster.example.yml")
ROLES = ("case_manager", "coordinator")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class RosterError(ValueError):
    """The roster file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    role: str
    municipality: str | None = None
    districts: tuple[str, ...] = ()
    fallback: bool = False

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


@dataclass(frozen=True)
class Route:
    """Where a new case goes: the responsible case manager, or the BIZ queue (``assignee`` None)."""

    assignee: Person | None
    notify: tuple[Person, ...]

    @property
    def queue(self) -> str:
        return "municipality" if self.assignee else "biz"


@dataclass(frozen=True)
class Roster:
    people: tuple[Person, ...]
    response_working_days: int = 3
    source: str = field(default="", compare=False)

    def get(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    @property
    def coordinators(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.is_coordinator)

    def case_managers(self, municipality: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == "case_manager" and p.municipality == municipality)

    def route(self, municipality: str | None, district: str | None) -> Route:
        """The case manager for a municipality (by district where it has several), else the BIZ queue."""
        managers = self.case_managers(municipality) if municipality else ()
        if not managers:
            return Route(assignee=None, notify=self.coordinators)
        if len(managers) == 1:
            return Route(assignee=managers[0], notify=managers)
        chosen = next((p for p in managers if district and district in p.districts), None)
        chosen = chosen or next(p for p in managers if p.fallback)
        return Route(assignee=chosen, notify=(chosen,))


def _districts_by_municipality() -> dict[str, set[str]]:
    return {m["name"]: {d["name"] for d in m.get("districts") or []} for m in load_data()["municipalities"]}


def _person(entry: Any, where: str) -> Person:
    if not isinstance(entry, dict):
        raise RosterError(f"{where}: each person must be a mapping")
    missing = [key for key in ("id", "name", "email", "role") if not entry.get(key)]
    if missing:
        raise RosterError(f"{where}: missing {', '.join(missing)}")
    unknown = set(entry) - {"id", "name", "email", "role", "municipality", "districts", "fallback"}
    if unknown:
        raise RosterError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if not _ID.match(str(entry["id"])):
        raise RosterError(f"{where}: id {entry['id']!r} must be lower-case letters, digits and '-'")
    if not _EMAIL.match(str(entry["email"])):
        raise RosterError(f"{where}: {entry['email']!r} is not an e-mail address")
    if entry["role"] not in ROLES:
        raise RosterError(f"{where}: role must be one of {', '.join(ROLES)}")
    return Person(
        id=str(entry["id"]),
        name=str(entry["name"]),
        email=str(entry["email"]),
        role=str(entry["role"]),
        municipality=entry.get("municipality"),
        districts=tuple(entry.get("districts") or ()),
        fallback=bool(entry.get("fallback", False)),
    )


def _check(people: list[Person], where: str) -> None:
    ids = [p.id for p in people]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RosterError(f"{where}: duplicate id(s) {', '.join(duplicates)}")
    known = _districts_by_municipality()
    for person in people:
        if person.role == "coordinator":
            continue
        if person.municipality not in known:
            raise RosterError(
                f"{where}: {person.id}: municipality {person.municipality!r} is not in Kreis Paderborn"
            )
        wrong = [d for d in person.districts if d not in known[person.municipality]]
        if wrong:
            raise RosterError(
                f"{where}: {person.id}: {', '.join(wrong)} not a district of {person.municipality}"
            )
    for municipality in municipalities():
        managers = [p for p in people if p.role == "case_manager" and p.municipality == municipality]
        if not managers:
            raise RosterError(f"{where}: no case manager for {municipality}")
        if len(managers) > 1:
            fallbacks = [p.id for p in managers if p.fallback]
            if len(fallbacks) != 1:
                raise RosterError(
                    f"{where}: {municipality} has several case managers: mark exactly one fallback"
                )
            seen: dict[str, str] = {}
            for person in managers:
                for district in person.districts:
                    if district in seen:
                        raise RosterError(f"{where}: {district} belongs to {seen[district]} and {person.id}")
                    seen[district] = person.id
    if not any(p.is_coordinator for p in people):
        raise RosterError(f"{where}: no coordinator (the BIZ queue needs one)")


def parse_roster(data: Any, where: str = "roster") -> Roster:
    if not isinstance(data, dict) or not isinstance(data.get("people"), list):
        raise RosterError(f"{where}: expected a mapping with a 'people' list")
    people = [_person(entry, f"{where}: people[{i}]") for i, entry in enumerate(data["people"])]
    _check(people, where)
    days = data.get("response_working_days", 3)
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise RosterError(f"{where}: response_working_days must be a whole number from 1 to 30")
    return Roster(people=tuple(people), response_working_days=days, source=where)


@lru_cache(maxsize=4)
def load_roster(path: Path | None = None) -> Roster:
    path = path or EXAMPLE_ROSTER
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise RosterError(f"{path}: not valid YAML ({exc})") from None
    return parse_roster(data, str(path))
