"""Routing a new case to a person, and the checks that reject a broken roster file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.handoff.roster import EXAMPLE_ROSTER, Roster, RosterError, load_roster, parse_roster
from bot.municipality import municipalities
from bot.municipality.gazetteer import load_data

EXAMPLE = yaml.safe_load(EXAMPLE_ROSTER.read_text(encoding="utf-8"))

# Written out by hand from roster.example.yml, so a changed example or changed routing is noticed.
PADERBORN = {
    "Schloß Neuhaus": "cm-paderborn-nord",
    "Sennelager": "cm-paderborn-nord",
    "Sande": "cm-paderborn-nord",
    "Elsen": "cm-paderborn-nord",
    "Kernstadt": "cm-paderborn-mitte",
    "Benhausen": "cm-paderborn-ost",
    "Neuenbeken": "cm-paderborn-ost",
    "Marienloh": "cm-paderborn-ost",
    "Dahl": "cm-paderborn-ost",
    "Wewer": "cm-paderborn-sued",
}
SINGLE = {
    "Altenbeken": "cm-altenbeken",
    "Bad Lippspringe": "cm-bad-lippspringe",
    "Bad Wünnenberg": "cm-bad-wuennenberg",
    "Borchen": "cm-borchen",
    "Büren": "cm-bueren",
    "Delbrück": "cm-delbrueck",
    "Hövelhof": "cm-hoevelhof",
    "Lichtenau": "cm-lichtenau",
    "Salzkotten": "cm-salzkotten",
}
DISTRICTS = {m["name"]: [d["name"] for d in m.get("districts") or []] for m in load_data()["municipalities"]}


def _people() -> list[dict[str, Any]]:
    return copy.deepcopy(EXAMPLE["people"])


def _entry(people: list[dict[str, Any]], person_id: str) -> dict[str, Any]:
    return next(p for p in people if p["id"] == person_id)


def _parse(people: list[dict[str, Any]], **extra: Any) -> Roster:
    return parse_roster({"response_working_days": 3, "people": people, **extra}, "test-roster")


def test_table_covers_every_paderborn_district() -> None:
    assert sorted(PADERBORN) == sorted(DISTRICTS["Paderborn"])
    assert sorted([*SINGLE, "Paderborn"]) == sorted(municipalities())


@pytest.mark.parametrize(("district", "expected"), sorted(PADERBORN.items()))
def test_paderborn_district_goes_to_its_case_manager(roster: Roster, district: str, expected: str) -> None:
    route = roster.route("Paderborn", district)
    assert route.assignee is not None and route.assignee.id == expected
    assert [p.id for p in route.notify] == [expected]
    assert route.queue == "municipality"


@pytest.mark.parametrize("district", [None, ""])
def test_paderborn_without_district_goes_to_the_fallback(roster: Roster, district: str | None) -> None:
    route = roster.route("Paderborn", district)
    assert route.assignee is not None and route.assignee.id == "cm-paderborn-mitte"
    assert [p.id for p in route.notify] == ["cm-paderborn-mitte"]


def test_paderborn_with_a_district_of_another_municipality_goes_to_the_fallback(roster: Roster) -> None:
    assert roster.route("Paderborn", "Wewelsburg").assignee.id == "cm-paderborn-mitte"


@pytest.mark.parametrize(("municipality", "expected"), sorted(SINGLE.items()))
def test_single_manager_municipality_takes_every_district(
    roster: Roster, municipality: str, expected: str
) -> None:
    for district in [None, *DISTRICTS[municipality]]:
        route = roster.route(municipality, district)
        assert route.assignee is not None and route.assignee.id == expected, district
        assert [p.id for p in route.notify] == [expected]


@pytest.mark.parametrize("municipality", [None, "", "Bielefeld"])
def test_without_known_municipality_the_case_goes_to_the_biz_queue(
    roster: Roster, municipality: str | None
) -> None:
    route = roster.route(municipality, None)
    assert route.assignee is None
    assert route.queue == "biz"
    assert [p.email for p in route.notify] == ["kim-koordination@example.org"]


def test_example_roster_is_valid_and_fictional(roster: Roster) -> None:
    assert roster.response_working_days == 3
    assert all(p.email.endswith("@example.org") for p in roster.people)
    assert [p.id for p in roster.coordinators] == ["biz-coordination"]


def test_load_roster_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "roster.yml"
    path.write_text(yaml.safe_dump({"response_working_days": 5, "people": _people()}), encoding="utf-8")
    assert load_roster(path).response_working_days == 5


@pytest.mark.parametrize(
    ("content", "expected"),
    [("people: [unclosed", "not valid YAML"), ("- just a list\n", "expected a mapping")],
)
def test_unreadable_roster_file_names_the_file(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "broken.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RosterError, match=expected) as info:
        load_roster(path)
    assert str(path) in str(info.value)


def test_missing_roster_file_is_a_roster_error(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="cannot read the roster"):
        load_roster(tmp_path / "missing.yml")


def test_missing_fallback_is_rejected() -> None:
    people = _people()
    _entry(people, "cm-paderborn-mitte")["fallback"] = False
    with pytest.raises(RosterError, match=r"test-roster: Paderborn .*exactly one fallback"):
        _parse(people)


def test_two_fallbacks_are_rejected() -> None:
    people = _people()
    _entry(people, "cm-paderborn-ost")["fallback"] = True
    with pytest.raises(RosterError, match="Paderborn .*exactly one fallback"):
        _parse(people)


def test_unknown_district_names_the_person_and_the_district() -> None:
    people = _people()
    _entry(people, "cm-paderborn-sued")["districts"] = ["Wewer", "Atlantis"]
    with pytest.raises(RosterError, match="cm-paderborn-sued: Atlantis not a district of Paderborn"):
        _parse(people)


def test_district_of_two_people_is_rejected() -> None:
    people = _people()
    _entry(people, "cm-paderborn-sued")["districts"] = ["Wewer", "Elsen"]
    with pytest.raises(RosterError, match="Elsen belongs to cm-paderborn-nord and cm-paderborn-sued"):
        _parse(people)


def test_roster_without_coordinator_is_rejected() -> None:
    people = [p for p in _people() if p["role"] != "coordinator"]
    with pytest.raises(RosterError, match="no coordinator"):
        _parse(people)


def test_municipality_without_case_manager_is_rejected() -> None:
    people = [p for p in _people() if p["id"] != "cm-borchen"]
    with pytest.raises(RosterError, match="no case manager for Borchen"):
        _parse(people)


@pytest.mark.parametrize("email", ["kim-borchen", "kim@borchen", "a b@example.org", "kim@@example.org"])
def test_bad_email_names_the_entry(email: str) -> None:
    people = _people()
    index = next(i for i, p in enumerate(people) if p["id"] == "cm-borchen")
    people[index]["email"] = email
    with pytest.raises(RosterError, match=rf"people\[{index}\]: .* is not an e-mail address"):
        _parse(people)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"role": "boss"}, "role must be one of"),
        ({"municipality": "Bielefeld"}, "cm-borchen: municipality 'Bielefeld' is not in Kreis Paderborn"),
        ({"id": "CM Borchen"}, "must be lower-case"),
        ({"name": ""}, "missing name"),
        ({"phone": "0123"}, "unknown field"),
    ],
)
def test_malformed_entry_is_rejected(change: dict[str, Any], expected: str) -> None:
    people = _people()
    _entry(people, "cm-borchen").update(change)
    with pytest.raises(RosterError, match=expected):
        _parse(people)


def test_duplicate_id_is_rejected() -> None:
    people = _people()
    people.append(dict(_entry(people, "cm-borchen")))
    with pytest.raises(RosterError, match="duplicate id.*cm-borchen"):
        _parse(people)


@pytest.mark.parametrize("days", [0, 31, "3"])
def test_response_days_out_of_range_are_rejected(days: object) -> None:
    with pytest.raises(RosterError, match="response_working_days"):
        _parse(_people(), response_working_days=days)
