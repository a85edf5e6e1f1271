"""Download, convert and install the catalogue's models (run on a connected machine, never at run time).

For each direction: download the release zip (original Marian weights) to a temporary folder,
check its SHA-256 if the catalogue pins one, unpack it, convert the ``.npz`` with CTranslate2's
``OpusMTConverter`` (numpy only, no torch) to int8, copy ``source.spm``/``target.spm`` and the
release's README/LICENSE, write ``manifest.json`` and move the folder into place in one rename.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.translation.catalog import CatalogEntry
from bot.translation.manifest import Manifest, digest_folder, write_manifest

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_S = 60
QUANTIZATION = "int8"
_COPIED = ("source.spm", "target.spm")
_DOCS = ("README.md", "LICENSE", "LICENSE.txt")

Downloader = Callable[[str, Path], None]


class FetchError(Exception):
    """A model could not be downloaded, checked or converted."""


def download(url: str, target: Path) -> None:
    """Stream ``url`` to ``target`` (timeout per read; ``file://`` works too)."""
    if not url.startswith(("https://", "file://")):
        raise FetchError(f"refusing to download from {url!r}: only https:// (or file://) URLs")
    done = next_report = 0
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response, target.open("wb") as out:  # noqa: S310
        for block in iter(lambda: response.read(1 << 20), b""):
            out.write(block)
            done += len(block)
            if done >= next_report:
                log.info("  %s: %.0f MB", url.rsplit("/", 1)[-1], done / 1e6)
                next_report += 100_000_000


def fetch_direction(
    entry: CatalogEntry, models_dir: Path, *, force: bool = False, downloader: Downloader = download
) -> Path:
    """Install one direction into ``models_dir/<direction>``; returns that folder."""
    final = models_dir / entry.direction
    if final.exists() and not force:
        raise FetchError(f"{final} exists; use --force to replace it")
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".fetch-{entry.direction}-", dir=models_dir) as tmp:
        work = Path(tmp)
        archive = work / "release.zip"
        started = time.perf_counter()
        downloader(entry.url, archive)
        archive_sha = _sha256(archive)
        if entry.sha256 and archive_sha != entry.sha256:
            raise FetchError(f"{entry.direction}: download SHA-256 {archive_sha} differs from catalog")
        log.info(
            "%s: downloaded %.0f MB in %.0f s",
            entry.direction,
            archive.stat().st_size / 1e6,
            time.perf_counter() - started,
        )
        unpacked = work / "release"
        _unzip(archive, unpacked)
        staged = work / "model"
        convert_marian_dir(unpacked, staged)
        for name in _COPIED:
            shutil.copy2(unpacked / name, staged / name)
        for name in _DOCS:
            if (unpacked / name).is_file():
                shutil.copy2(unpacked / name, staged / f"release-{name}")
        manifest = Manifest(
            direction=entry.direction,
            model=entry.model,
            version=entry.version,
            source_url=entry.url,
            source_sha256=archive_sha,
            licence=entry.licence,
            licence_url=entry.licence_url,
            hf_repo=entry.hf_repo,
            target_token=entry.target_token,
            published_chrf=entry.published_chrf,
            reason=entry.reason,
            converter=f"ctranslate2 {_ct2_version()} OpusMTConverter",
            quantization=QUANTIZATION,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            files=digest_folder(staged),
        )
        write_manifest(staged, manifest)
        if final.exists():
            shutil.rmtree(final)
        staged.rename(final)
    log.info("%s: installed in %s (%.0f s)", entry.direction, final, time.perf_counter() - started)
    return final


def convert_marian_dir(release: Path, out: Path) -> None:
    """Convert an unpacked OPUS-MT release (``decoder.yml`` + ``.npz`` + vocab) to a CTranslate2 model."""
    from ctranslate2.converters import OpusMTConverter

    if not (release / "decoder.yml").is_file():
        _write_decoder_yml(release)
    for name in _COPIED:
        if not (release / name).is_file():
            raise FetchError(f"{release.name}: {name} missing from the release")
    try:
        OpusMTConverter(str(release)).convert(str(out), quantization=QUANTIZATION, force=True)
    except (ValueError, KeyError, OSError, RuntimeError) as exc:
        raise FetchError(f"conversion failed: {exc}") from exc


def _write_decoder_yml(release: Path) -> None:
    """Some releases lack decoder.yml: name the best-perplexity .npz and the vocab files."""
    models = sorted(release.glob("*.npz"), key=lambda p: ("best-perplexity" not in p.name, p.name))
    vocabs = sorted(release.glob("*.vocab.yml"))
    if not models or not vocabs:
        raise FetchError(f"{release.name}: no .npz model or .vocab.yml in the release")
    # One shared vocabulary, or <name>.src.vocab.yml and <name>.trg.vocab.yml (source first).
    vocabs = vocabs * 2 if len(vocabs) == 1 else sorted(vocabs, key=lambda p: ".trg." in p.name)
    config = {"models": [models[0].name], "vocabs": [v.name for v in vocabs[:2]]}
    (release / "decoder.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def _unzip(archive: Path, target: Path) -> None:
    target.mkdir()
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                path = (target / member.filename).resolve()
                if not path.is_relative_to(target.resolve()):
                    raise FetchError(f"unsafe path in archive: {member.filename}")
            zipped.extractall(target)
    except zipfile.BadZipFile as exc:
        raise FetchError(f"the download is not a zip archive: {exc}") from exc
    # Some releases put everything in one sub-folder.
    entries = list(target.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        for item in entries[0].iterdir():
            item.rename(target / item.name)
        entries[0].rmdir()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ct2_version() -> str:
    import ctranslate2

    return str(ctranslate2.__version__)
