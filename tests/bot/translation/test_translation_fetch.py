"""`python -m bot models fetch|verify|list` with the tiny release served from a file:// URL."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.translation.catalog import load_catalog
from bot.translation.fetch import FetchError, fetch_direction
from bot.translation.manifest import read_manifest, verify_folder
from tests.bot.translation.tiny_marian import tiny_entry


@pytest.fixture
def catalog_file(tmp_path: Path, tiny_release: Path) -> Path:
    """A catalogue like the real one, pointing two directions at the tiny release."""
    directions = {
        direction: {
            "model": f"tiny/{direction}",
            "version": "0",
            "url": tiny_release.as_uri(),
            "sha256": None,
            "hf_repo": None,
            "target_token": token,
            "published_chrf": {"flores101-devtest": 0.5},
            "reason": "test",
        }
        for direction, token in {"de-uk": None, "de-ar": ">>ara<<"}.items()
    }
    path = tmp_path / "catalog.yml"
    path.write_text(yaml.safe_dump({"licence": "CC-BY-4.0", "licence_url": "x", "directions": directions}))
    return path


def models(catalog: Path, models_dir: Path, *args: str) -> int:
    return main(["models", *args, "--catalog", str(catalog), "--models-dir", str(models_dir)])


def test_fetch_installs_converted_models_with_a_manifest(
    catalog_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models_dir = tmp_path / "models"

    assert models(catalog_file, models_dir, "fetch") == 0

    out = capsys.readouterr().out
    assert "de-ar: installed" in out
    assert "pin the download in catalog.yml: sha256: " in out
    manifest = read_manifest(models_dir / "de-ar")
    assert manifest.target_token == ">>ara<<"
    assert manifest.licence == "CC-BY-4.0"
    assert manifest.converter.startswith("ctranslate2 4.8.5 OpusMTConverter")
    assert manifest.quantization == "int8"
    assert {"model.bin", "config.json", "source.spm", "target.spm"} <= set(manifest.files)
    assert len(manifest.source_sha256) == 64
    assert json.loads((models_dir / "de-ar" / "manifest.json").read_text())["schema"] == 1


def test_verify_passes_on_intact_models_and_fails_on_a_changed_file(
    catalog_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models_dir = tmp_path / "models"
    models(catalog_file, models_dir, "fetch")
    assert models(catalog_file, models_dir, "verify") == 0
    assert "de-uk: OK (tiny/de-uk)" in capsys.readouterr().out

    spm_file = models_dir / "de-uk" / "target.spm"
    data = bytearray(spm_file.read_bytes())
    data[-1] ^= 0xFF  # same size, different content: only the SHA-256 sees it
    spm_file.write_bytes(bytes(data))

    assert models(catalog_file, models_dir, "verify") == 1
    assert "target.spm: SHA-256 differs from the manifest" in capsys.readouterr().out


def test_verify_reports_a_direction_that_is_not_installed(
    catalog_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert models(catalog_file, tmp_path, "verify", "--direction", "de-uk") == 1
    assert "de-uk: NOT INSTALLED" in capsys.readouterr().out


def test_verify_flags_files_that_are_not_in_the_manifest(catalog_file: Path, tmp_path: Path) -> None:
    models(catalog_file, tmp_path, "fetch", "--direction", "de-uk")
    (tmp_path / "de-uk" / "extra.bin").write_bytes(b"x")

    assert verify_folder(tmp_path / "de-uk") == ["extra.bin is not in the manifest"]


def test_list_shows_choice_and_installation(
    catalog_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models(catalog_file, tmp_path, "fetch", "--direction", "de-uk")
    capsys.readouterr()

    assert models(catalog_file, tmp_path, "list") == 0

    out = capsys.readouterr().out
    assert "| de-uk | tiny/de-uk | 0.5 | yes," in out
    assert "| de-ar | tiny/de-ar | 0.5 | no |" in out


def test_fetch_does_not_replace_an_installed_direction_without_force(
    tiny_release: Path, tmp_path: Path
) -> None:
    entry = tiny_entry("de-uk", tiny_release)
    fetch_direction(entry, tmp_path)

    with pytest.raises(FetchError, match="use --force"):
        fetch_direction(entry, tmp_path)
    assert fetch_direction(entry, tmp_path, force=True) == tmp_path / "de-uk"


def test_fetch_rejects_a_download_with_the_wrong_checksum(tiny_release: Path, tmp_path: Path) -> None:
    entry = tiny_entry("de-uk", tiny_release)
    pinned = type(entry)(**{**entry.__dict__, "sha256": "0" * 64})

    with pytest.raises(FetchError, match="differs from catalog"):
        fetch_direction(pinned, tmp_path)
    assert not (tmp_path / "de-uk").exists()


def test_fetch_rejects_an_archive_that_writes_outside_its_folder(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escape.txt", "x")

    with pytest.raises(FetchError, match="unsafe path"):
        fetch_direction(tiny_entry("de-uk", evil), tmp_path / "models")


def test_fetch_only_downloads_over_https(tiny_release: Path, tmp_path: Path) -> None:
    entry = tiny_entry("de-uk", tiny_release)
    plain = type(entry)(**{**entry.__dict__, "url": "http://example.org/model.zip"})

    with pytest.raises(FetchError, match="only https://"):
        fetch_direction(plain, tmp_path)


def test_unknown_direction_is_refused(catalog_file: Path, tmp_path: Path) -> None:
    assert models(catalog_file, tmp_path, "verify", "--direction", "de-fr") == 1


def test_the_real_catalog_covers_the_six_directions_with_reasons() -> None:
    catalog = load_catalog()

    assert sorted(catalog) == ["ar-de", "de-ar", "de-en", "de-uk", "en-de", "uk-de"]
    for entry in catalog.values():
        assert entry.url.startswith("https://object.pouta.csc.fi/Tatoeba-MT-models/")
        assert entry.licence == "CC-BY-4.0"
        assert entry.reason
        assert entry.published_chrf["flores101-devtest"] > 0.5
    assert catalog["de-ar"].target_token == ">>ara<<"


def test_fetch_reports_a_download_that_is_not_a_zip(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"<html>503 Service Unavailable</html>")

    with pytest.raises(FetchError, match="not a zip archive"):
        fetch_direction(tiny_entry("de-uk", broken), tmp_path / "models")


def test_fetch_failure_exits_non_zero_and_names_the_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "catalog.yml"
    entry = {"model": "x", "version": "0", "url": (tmp_path / "missing.zip").as_uri(), "reason": "test"}
    catalog.write_text(yaml.safe_dump({"directions": {"de-uk": entry}}))

    assert models(catalog, tmp_path / "models", "fetch") == 1
    assert "de-uk: FAILED" in capsys.readouterr().out
