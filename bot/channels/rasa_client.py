"""Talk to Rasa's REST channel on loopback."""

from __future__ import annotations

from typing import Any

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer (down, restarting, or too slow)."""


class RasaClient:
    def __init__(self, base_url: str, session: aiohttp.ClientSession, timeout_s: float = 30.0) -> None:
        self._url = f"{base_url}/webhooks/rest/webhook"
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one user message; return the assistant's messages: text and buttons, or ``custom`` signals."""
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        try:
            async with self._session.post(self._url, json=body, timeout=self._timeout) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                messages = await response.json()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
        return [_clean(m) for m in messages if m.get("text") or m.get("buttons") or m.get("custom")]


def _clean(message: dict[str, Any]) -> dict[str, Any]:
    if isinstance(message.get("custom"), dict) and not message.get("text"):
        return {"custom": message["custom"]}
    return {
        "text": str(message.get("text") or ""),
        "buttons": [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in message.get("buttons") or []
        ],
    }
