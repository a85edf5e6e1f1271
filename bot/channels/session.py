"""Web chat identity: a server-issued, signed, unguessable token in an HttpOnly cookie.

Rasa's own web channels trust whatever session id a browser sends. Here the browser never chooses
its id: the server mints ``<random>.<hmac>``, and the Rasa sender id is derived from the token, so
a client can neither pick nor guess another user's conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

COOKIE_NAME = "kim_chat"


class SessionSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the session secret must have at least 32 bytes")
        self._secret = secret

    @classmethod
    def from_settings(cls, secret: str | None, data_dir: Path) -> SessionSigner:
        """Use ``KIM_SESSION_SECRET``; without it, a random secret kept in ``data_dir`` (dev default)."""
        if secret:
            return cls(secret.encode())
        path = data_dir / "session_secret"
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return cls(path.read_text().strip().encode())

    def _mac(self, value: str) -> str:
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:32]

    def new_token(self) -> str:
        value = secrets.token_urlsafe(24)
        return f"{value}.{self._mac(value)}"

    def verify(self, token: str | None) -> bool:
        if not token or token.count(".") != 1 or len(token) > 128:
            return False
        value, mac = token.split(".")
        return hmac.compare_digest(mac, self._mac(value))

    def sender_id(self, token: str) -> str:
        """The Rasa conversation id for a verified token (not the token itself: logs never hold it)."""
        return "web-" + self._mac("sender:" + token)
