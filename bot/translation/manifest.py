"""The manifest of an installed direction: where the model came from, its licence and checksums.

``models/translation/<src>-<tgt>/manifest.json`` is written by ``python -m bot models fetch`` and
checked by ``python -m bot models verify`` (full SHA-256 of every file) and, cheaply (files
present with the recorded sizes), by the engine when it loads the direction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
SCHEMA = 1
REQUIRED_FILES = ("model.bin", "config.json", "source.spm", "target.spm")


class ManifestError(Exception):
    """The manifest is missing or cannot be read."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Manifest:
    """What ``models fetch`` installed in one direction folder."""

    direction: str
    model: str
    version: str
    source_url: str
    source_sha256: str
    licence: str
    licence_url: str
    hf_repo: str | None
    target_token: str | None
    published_chrf: dict[str, float]
    reason: str
    converter: str
    quantization: str
    fetched_at: str
    files: dict[str, FileEntry] = field(default_factory=dict)
    schema: int = SCHEMA

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        files = {name: FileEntry(**entry) for name, entry in data.get("files", {}).items()}
        known = {f for f in cls.__dataclass_fields__ if f != "files"}
        return cls(**{k: v for k, v in data.items() if k in known}, files=files)


def file_digest(path: Path) -> FileEntry:
    """SHA-256 and size of one file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return FileEntry(sha256=digest.hexdigest(), bytes=size)


def digest_folder(folder: Path) -> dict[str, FileEntry]:
    """Digests of every file in ``folder`` (recursively) except the manifest itself."""
    return {
        path.relative_to(folder).as_posix(): file_digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST_NAME
    }


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest.from_dict(data)
    except FileNotFoundError as exc:
        raise ManifestError(f"{path} is missing") from exc
    except (ValueError, TypeError) as exc:
        raise ManifestError(f"{path} cannot be read: {exc}") from exc
    if manifest.schema != SCHEMA:
        raise ManifestError(f"{path} has schema {manifest.schema}, expected {SCHEMA}")
    return manifest


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    path = folder / MANIFEST_NAME
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path


def quick_problems(folder: Path, manifest: Manifest) -> list[str]:
    """Cheap check before loading: required files listed, present, with the recorded size."""
    problems = [f"{name} not listed in manifest" for name in REQUIRED_FILES if name not in manifest.files]
    for name, entry in manifest.files.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != entry.bytes:
            problems.append(f"{name} has {path.stat().st_size} bytes, manifest says {entry.bytes}")
    return problems


def verify_folder(folder: Path) -> list[str]:
    """Full check: manifest readable, every listed file present with its SHA-256, no unlisted file."""
    try:
        manifest = read_manifest(folder)
    except ManifestError as exc:
        return [str(exc)]
    problems = quick_problems(folder, manifest)
    if problems:
        return problems
    actual = digest_folder(folder)
    for name, entry in manifest.files.items():
        if actual[name].sha256 != entry.sha256:
            problems.append(f"{name}: SHA-256 differs from the manifest")
    problems.extend(f"{name} is not in the manifest" for name in sorted(set(actual) - set(manifest.files)))
    return problems
