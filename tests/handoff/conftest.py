"""Fixtures of the handoff tests: the tiny translation model, a real SMTP server, a movable clock."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from bot.config import Settings
from bot.handoff.models import utcnow
from bot.translation import TranslationEngine, TranslationSettings
from tests.bot.translation.tiny_marian import build_release, install

INBOX = "https://kim.example.org/inbox"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny random-weight model: de-uk, uk-de, de-ar (>>ara<<), ar-de; no English directions."""
    release = build_release(tmp_path_factory.mktemp("release") / "tiny-release.zip")
    directions = {"de-uk": None, "uk-de": None, "de-ar": ">>ara<<", "ar-de": None}
    return install(tmp_path_factory.mktemp("models"), release, directions)


@pytest.fixture
def translation_settings(models_dir: Path) -> TranslationSettings:
    return TranslationSettings(models_dir=models_dir, threads=1, beam_size=1)


@pytest.fixture
def engine(translation_settings: TranslationSettings) -> TranslationEngine:
    return TranslationEngine(translation_settings)


@dataclass
class Clock:
    """Naive UTC time that only moves when a test moves it.

    It starts a little ahead, so rows the test creates afterwards (stamped with the real time) are due.
    """

    now: datetime = field(default_factory=lambda: utcnow() + timedelta(seconds=5))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


class Mailbox:
    """An aiosmtpd handler that keeps what it received."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.refuse: set[str] = set()  # recipients answered with 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]  # type: ignore[misc]


class SmtpServer:
    """A real SMTP server on 127.0.0.1; can be started late, on a port chosen before."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self, **options: object) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A port with NO server yet: call ``start()`` (the tests of a lost server start it late)."""
    server = SmtpServer(free_port())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_settings(smtp_server: SmtpServer) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_from="KIM-Assistent <kim-assistent@kreis-paderborn.example>",
        inbox_base_url=INBOX,
    )
