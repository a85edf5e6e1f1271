"""``python -m bot models fetch|verify|list``: install and check the local translation models."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from bot.translation.catalog import CatalogEntry, load_catalog
from bot.translation.fetch import FetchError, fetch_direction
from bot.translation.manifest import ManifestError, read_manifest, verify_folder
from bot.translation.settings import TranslationSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``fetch``, ``verify`` and ``list``."""
    sub = parser.add_subparsers(dest="models_command", required=True)
    fetch = sub.add_parser("fetch", help="download, convert and install the models (needs the internet)")
    verify = sub.add_parser("verify", help="check installed models against their manifests (offline)")
    listing = sub.add_parser("list", help="show the chosen model per direction and what is installed")
    for command in (fetch, verify, listing):
        command.add_argument(
            "--models-dir", type=Path, help="default: KIM_TRANSLATION_MODELS_DIR or models/translation"
        )
        command.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)  # tests: another catalog
    for command in (fetch, verify):
        command.add_argument(
            "--direction", action="append", help="e.g. de-uk; repeat for several (default: all six)"
        )
    fetch.add_argument("--force", action="store_true", help="replace directions that are already installed")


def run(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; 0 on success, 1 on any failure."""
    models_dir = args.models_dir or TranslationSettings.from_env().models_dir
    catalog = load_catalog(args.catalog)
    if args.models_command == "list":
        return _list(catalog, models_dir)
    wanted = args.direction or list(catalog)
    unknown = [d for d in wanted if d not in catalog]
    if unknown:
        _say(f"unknown direction(s): {', '.join(unknown)}; known: {', '.join(catalog)}")
        return 1
    entries = [catalog[d] for d in wanted]
    if args.models_command == "fetch":
        return _fetch(entries, models_dir, force=args.force)
    return _verify(entries, models_dir)


def _fetch(entries: list[CatalogEntry], models_dir: Path, *, force: bool) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # download progress from fetch.py
    failed = 0
    for entry in entries:
        _say(f"{entry.direction}: fetching {entry.model}")
        started = time.perf_counter()
        try:
            folder = fetch_direction(entry, models_dir, force=force)
        except (FetchError, OSError) as exc:
            _say(f"{entry.direction}: FAILED: {exc}")
            failed += 1
            continue
        manifest = read_manifest(folder)
        size_mb = sum(f.bytes for f in manifest.files.values()) / 1e6
        seconds = time.perf_counter() - started
        _say(f"{entry.direction}: installed {folder} ({size_mb:.0f} MB, {seconds:.0f} s)")
        if not entry.sha256:
            _say(f"{entry.direction}: pin the download in catalog.yml: sha256: {manifest.source_sha256}")
    return 1 if failed else 0


def _verify(entries: list[CatalogEntry], models_dir: Path) -> int:
    failed = 0
    for entry in entries:
        folder = models_dir / entry.direction
        if not folder.is_dir():
            _say(f"{entry.direction}: NOT INSTALLED ({folder}); run: python -m bot models fetch")
            failed += 1
            continue
        problems = verify_folder(folder)
        if not problems:
            installed = read_manifest(folder).model
            if installed != entry.model:
                problems.append(f"installed {installed}, catalog chooses {entry.model}")
        if problems:
            failed += 1
            _say(f"{entry.direction}: FAILED")
            for problem in problems:
                _say(f"  - {problem}")
        else:
            _say(f"{entry.direction}: OK ({entry.model})")
    return 1 if failed else 0


def _list(catalog: dict[str, CatalogEntry], models_dir: Path) -> int:
    _say("| direction | model | FLORES-101 chrF | installed |")
    _say("|---|---|---|---|")
    for direction, entry in catalog.items():
        chrf = entry.published_chrf.get("flores101-devtest")
        try:
            manifest = read_manifest(models_dir / direction)
            size_mb = sum(f.bytes for f in manifest.files.values()) / 1e6
            installed = f"yes, {size_mb:.0f} MB ({manifest.model})"
        except ManifestError:
            installed = "no"
        _say(f"| {direction} | {entry.model} | {chrf if chrf is not None else '-'} | {installed} |")
    return 0


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
