"""A real Rasa server and action server on free localhost ports, started once per test session."""

from __future__ import annotations

import json
import secrets
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from bot.config import Settings
from bot.runner import start_children, stop_children, wait_until_ready

pytest_plugins = ["tests.database"]  # the `db` fixture (SQLite and PostgreSQL)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def rasa_server(tmp_path_factory) -> Iterator[Settings]:
    settings = Settings.from_env()
    if not settings.model_path.exists():
        pytest.fail(f"no trained model at {settings.model_path}: run `make train` (make test does it)")
    data_dir = tmp_path_factory.mktemp("rasa")
    settings = replace(
        settings,
        data_dir=data_dir,
        rasa_port=_free_port(),
        action_port=_free_port(),
        rasa_token=secrets.token_urlsafe(16),
    )
    processes = start_children(settings)
    try:
        wait_until_ready(settings, processes)
        yield settings
    except RuntimeError as exc:
        logs = "\n".join(p.read_text()[-3000:] for p in (data_dir / "logs").glob("*.log"))
        pytest.fail(f"{exc}\n{logs}")
    finally:
        stop_children(processes)


class Conversation:
    """One user talking to the assistant over Rasa's REST channel."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sender = "test-" + secrets.token_hex(6)

    def say(self, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body = json.dumps({"sender": self.sender, "message": text, "metadata": metadata or {}}).encode()
        request = urllib.request.Request(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def tracker(self) -> dict[str, Any]:
        url = f"{self.settings.rasa_url}/conversations/{self.sender}/tracker?token={self.settings.rasa_token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())


@pytest.fixture
def conversation(rasa_server) -> Conversation:
    return Conversation(rasa_server)
