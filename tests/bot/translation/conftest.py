"""Fixtures: a tiny random-weight OPUS-MT model installed with the production fetch code, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.translation import TranslationEngine, TranslationSettings
from tests.bot.translation.tiny_marian import build_release, install


class NetworkUsed(AssertionError):
    """A test tried to open a network connection."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every outbound connection fail loudly; the list records the attempts."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise NetworkUsed(f"network use during a translation test: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture(scope="session")
def tiny_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model as a release zip, built once per session."""
    return build_release(tmp_path_factory.mktemp("release") / "tiny-release.zip")


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory, tiny_release: Path) -> Path:
    """de-uk, uk-de, de-ar (with the >>ara<< token), ar-de installed; en directions are not."""
    directions = {"de-uk": None, "uk-de": None, "de-ar": ">>ara<<", "ar-de": None}
    return install(tmp_path_factory.mktemp("models"), tiny_release, directions)


@pytest.fixture
def settings(models_dir: Path) -> TranslationSettings:
    return TranslationSettings(models_dir=models_dir, threads=1, beam_size=1, max_batch_size=4)


@pytest.fixture
def engine(settings: TranslationSettings) -> TranslationEngine:
    return TranslationEngine(settings)
