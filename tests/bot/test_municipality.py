"""Tests for bot.municipality: the case set, the gazetteer's coverage, bad input and the CLI."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

import bot.municipality
from bot.municipality import CONFIDENT, NOT_FOUND, Resolution, resolve
from bot.municipality.gazetteer import GazetteerError, build_index, load_data
from bot.municipality.normalise import fold

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((ROOT / "tests/data/municipality_cases.yml").read_text(encoding="utf-8"))
DATA = load_data()
KEYS = ["municipality", "district", "postal_code", "span", "confidence", "candidates", "outside"]
MUNICIPALITIES = {
    "Altenbeken": "05774004",
    "Bad Lippspringe": "05774008",
    "Borchen": "05774012",
    "Büren": "05774016",
    "Delbrück": "05774020",
    "Hövelhof": "05774024",
    "Lichtenau": "05774028",
    "Paderborn": "05774032",
    "Salzkotten": "05774036",
    "Bad Wünnenberg": "05774040",
}


def _case_id(case: dict) -> str:
    return f"{case['category']}:{case['text'][:40]}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_case_resolves_exactly(case: dict) -> None:
    assert resolve(case["text"], case.get("lang")).to_dict() == case["expect"]


def test_case_set_is_large_and_covers_every_category() -> None:
    counts = Counter(c["category"] for c in CASES)
    assert len(CASES) >= 200
    for category in (
        "official",
        "district",
        "postal",
        "variant",
        "cyrillic",
        "arabic",
        "outside",
        "nonplace",
    ):
        assert counts[category] >= 5, category
    for lang in ("de", "en", "uk", "ar"):
        assert counts[f"sentence_{lang}"] >= 3, lang
    assert len({c["text"] for c in CASES}) == len(CASES), "duplicate case"
    for case in CASES:
        assert list(case["expect"]) == KEYS


def test_cases_name_every_district_and_every_postal_code() -> None:
    texts = [fold(c["text"]) for c in CASES if c["category"] in ("district", "official")]
    postal = {c["text"] for c in CASES if c["category"] == "postal"}
    for municipality in DATA["municipalities"]:
        for district in municipality["districts"]:
            assert any(fold(district["name"]) in text for text in texts), district["name"]
        for code in municipality["postal_codes"]:
            assert code in postal, code


def test_gazetteer_lists_the_ten_municipalities_with_sources_and_native_names() -> None:
    by_name = {m["name"]: m for m in DATA["municipalities"]}
    assert {name: m["ags"] for name, m in by_name.items()} == MUNICIPALITIES
    source_ids = {s["id"] for s in DATA["sources"]}
    for municipality in DATA["municipalities"]:
        assert set(municipality["sources"]) <= source_ids
        assert municipality["native"]["uk"], municipality["name"]
        assert municipality["native"]["ar"], municipality["name"]
    assert by_name["Paderborn"]["postal_codes"] == ["33098", "33100", "33102", "33104", "33106"]
    assert "Schloß Neuhaus" in {d["name"] for d in by_name["Paderborn"]["districts"]}


@pytest.mark.parametrize("name", sorted(MUNICIPALITIES))
def test_every_municipality_in_a_sentence_in_four_languages(name: str) -> None:
    for sentence in (f"Ich wohne in {name}.", f"I live in {name}", f"Я живу в {name}", f"أسكن في {name}"):
        result = resolve(sentence)
        assert (result.municipality, result.district, result.confidence) == (name, None, 1.0), sentence


def _districts() -> list[tuple[str, str]]:
    return [
        (m["name"], d["name"])
        for m in DATA["municipalities"]
        for d in m["districts"]
        if d["name"] != m["name"] and d["name"] not in ("Kernstadt", "Hagen", "Barkhausen")
    ]


@pytest.mark.parametrize(("municipality", "district"), _districts())
def test_every_district_with_and_without_its_municipality(municipality: str, district: str) -> None:
    for text in (
        f"wir wohnen in {district}",
        f"{municipality}-{district}",
        f"{district.upper()} ({municipality})",
    ):
        result = resolve(text)
        assert (result.municipality, result.district) == (municipality, district), text
        assert result.confident


@pytest.mark.parametrize(("municipality", "district"), _districts())
def test_a_dropped_letter_never_gives_another_municipality(municipality: str, district: str) -> None:
    for name in (district, municipality):
        middle = next(i for i in range(len(name) // 2, len(name)) if name[i].isalpha())
        typo = name[:middle] + name[middle + 1 :]
        result = resolve(f"Ich wohne in {typo}")
        assert result.municipality in (municipality, None), typo
        assert result.municipality is None or result.confidence < 1.0


BAD_INPUT = {
    "none": None,
    "empty": "",
    "whitespace": "\n\t ",
    "long digits": "0" * 5000,
    "long repeated name": "Paderborn " * 10_000,
    "100k letters": "ä" * 100_000,
    "control characters": "\x00\ufffd\u200b",
    "repeated postal code": "33104" * 100,
    "number with dot": "12.345",
    "phone number": "+49 (0) 5251 / 308-0",
    "street address": "Westernstraße 12a",
}


@pytest.mark.parametrize("text", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_never_raises_and_is_never_a_confident_wrong_match(text: object) -> None:
    result = resolve(text)  # type: ignore[arg-type]
    assert isinstance(result, Resolution)
    assert result.municipality in (None, "Paderborn")


def test_common_words_that_are_also_district_names_need_context() -> None:
    assert resolve("Die Weine aus Büren sind gut").municipality == "Büren"  # Büren is named
    assert resolve("Ich mag rote Weine") == NOT_FOUND
    assert resolve("Ich wohne in Schwelle").district == "Schwelle"
    assert resolve("nasse Haaren und Asseln im Keller") == NOT_FOUND


def test_hagen_is_the_delbrueck_district_only_with_delbrueck_nearby() -> None:
    alone = resolve("Hagen")
    assert (alone.municipality, alone.candidates, alone.outside) == (None, ("Delbrück",), "Hagen")
    assert resolve("33129 Hagen").district == "Hagen"
    assert resolve("Hagen ist eine Großstadt").outside is None


def test_postal_code_contradicting_the_town_is_ambiguous() -> None:
    result = resolve("33104 Delbrück")
    assert result.municipality is None
    assert result.candidates == ("Paderborn", "Delbrück")
    assert not result.confident


def test_resolution_is_frozen_and_serialises_to_the_cli_keys() -> None:
    result = resolve("wir wohnen in schloss neuhaus")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.municipality = "Büren"  # type: ignore[misc]
    assert list(result.to_dict()) == KEYS
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()
    assert CONFIDENT <= 1.0


def test_the_ten_municipalities_are_listed() -> None:
    assert len(bot.municipality.municipalities()) == 10
    assert "Bad Wünnenberg" in bot.municipality.municipalities()


def test_public_surface() -> None:
    assert set(bot.municipality.__all__) == {
        "CONFIDENT",
        "NOT_FOUND",
        "GazetteerError",
        "Resolution",
        "municipalities",
        "resolve",
    }


def test_malformed_gazetteer_is_rejected() -> None:
    with pytest.raises(GazetteerError):
        build_index({"sources": [], "municipalities": []})
    broken = {**DATA, "municipalities": [{**DATA["municipalities"][0], "postal_codes": [33098]}]}
    with pytest.raises(GazetteerError):
        build_index(broken)
    with pytest.raises(GazetteerError):
        load_data(ROOT / "does-not-exist.yml")


def test_cli_prints_one_json_object_and_does_no_io_at_import() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "where", "wir wohnen in schloss neuhaus"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        encoding="utf-8",
    )
    assert json.loads(done.stdout) == {
        "municipality": "Paderborn",
        "district": "Schloß Neuhaus",
        "postal_code": None,
        "span": "schloss neuhaus",
        "confidence": 1.0,
        "candidates": [],
        "outside": None,
    }
    probe = (
        "import bot.municipality.gazetteer as g, bot.municipality; print(g.load_index.cache_info().currsize)"
    )
    lazy = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert lazy.stdout.strip() == "0"
