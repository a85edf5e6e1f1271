"""The model catalogue (``catalog.yml``): which release each direction uses, and why."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CATALOG_FILE = "catalog.yml"


@dataclass(frozen=True)
class CatalogEntry:
    """One direction's chosen model."""

    direction: str
    model: str
    version: str
    url: str
    sha256: str | None
    licence: str
    licence_url: str
    hf_repo: str | None
    target_token: str | None
    published_chrf: dict[str, float]
    reason: str
    architecture: str = ""

    @property
    def src(self) -> str:
        return self.direction.split("-")[0]

    @property
    def tgt(self) -> str:
        return self.direction.split("-")[1]


def load_catalog(path: Path | None = None) -> dict[str, CatalogEntry]:
    """Entries by direction, from ``path`` or the packaged ``catalog.yml``."""
    if path is None:
        raw = resources.files(__package__).joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    else:
        raw = path.read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    entries = {}
    for direction, item in data["directions"].items():
        entries[direction] = CatalogEntry(
            direction=direction,
            model=item["model"],
            version=str(item["version"]),
            url=item["url"],
            sha256=item.get("sha256"),
            licence=item.get("licence", data.get("licence", "")),
            licence_url=item.get("licence_url", data.get("licence_url", "")),
            hf_repo=item.get("hf_repo"),
            target_token=item.get("target_token"),
            published_chrf={k: float(v) for k, v in (item.get("published_chrf") or {}).items()},
            reason=" ".join(str(item.get("reason", "")).split()),
            architecture=item.get("architecture", ""),
        )
    return entries
