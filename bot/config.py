"""All settings in one place: environment variables ``KIM_*`` with defaults that need no keys.

``make run`` works with none of them set. Production sets the secrets and the database URLs
(see ``.env.example``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.translation.settings import TranslationSettings

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with :meth:`from_env` or directly in tests."""

    project_root: Path = PROJECT_ROOT
    data_dir: Path = PROJECT_ROOT / "var"
    model_path: Path = PROJECT_ROOT / "models" / "kim.tar.gz"
    endpoints_file: str = "endpoints.yml"
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    rasa_token: str | None = field(default=None, repr=False)
    action_port: int = 5055
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    session_secret: str | None = field(default=None, repr=False)
    secure_cookies: bool = False
    max_message_chars: int = 12_000
    rasa_timeout_s: float = 30.0
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    # Handoff and inbox (issue 6).
    database_url: str = field(default="", repr=False)  # empty: SQLite in data_dir
    tracker_url: str = field(default="", repr=False)  # Rasa's tracker store, to forget a conversation
    roster_path: Path | None = None  # None: the example roster (fictional people)
    inbox_base_url: str = ""  # links in notice mails; empty: web_url + /inbox
    retention_days: int = 90  # closed cases are deleted this many days after closing
    smtp_host: str = ""  # empty: no notice mails are sent (they stay queued as "disabled")
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = False
    smtp_from: str = "kim-assistent@localhost"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'kim.db'}"

    @property
    def tracker_db_url(self) -> str:
        return self.tracker_url or f"sqlite:///{self.data_dir / 'tracker.db'}"

    @property
    def inbox_url(self) -> str:
        return (self.inbox_base_url or f"{self.web_url}/inbox").rstrip("/")

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.web_host}:{self.web_port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("KIM_DATA_DIR", str(PROJECT_ROOT / "var")))
        return cls(
            data_dir=data_dir,
            model_path=Path(env.get("KIM_MODEL", str(PROJECT_ROOT / "models" / "kim.tar.gz"))),
            endpoints_file=env.get("KIM_ENDPOINTS", "endpoints.yml"),
            rasa_host=env.get("KIM_RASA_HOST", "127.0.0.1"),
            rasa_port=_int(env, "KIM_RASA_PORT", 5005),
            rasa_token=env.get("KIM_RASA_TOKEN") or None,
            action_port=_int(env, "KIM_ACTION_PORT", 5055),
            web_host=env.get("KIM_WEB_HOST", "127.0.0.1"),
            web_port=_int(env, "KIM_WEB_PORT", 8000),
            session_secret=env.get("KIM_SESSION_SECRET") or None,
            secure_cookies=env.get("KIM_SECURE_COOKIES", "0") == "1",
            max_message_chars=_int(env, "KIM_MAX_MESSAGE_CHARS", 12_000),
            translation=TranslationSettings.from_env(env),
            database_url=env.get("DATABASE_URL", ""),
            tracker_url=env.get("KIM_TRACKER_URL", ""),
            roster_path=Path(env["KIM_ROSTER"]) if env.get("KIM_ROSTER") else None,
            inbox_base_url=env.get("KIM_INBOX_URL", ""),
            retention_days=_int(env, "KIM_RETENTION_DAYS", 90),
            smtp_host=env.get("KIM_SMTP_HOST", ""),
            smtp_port=_int(env, "KIM_SMTP_PORT", 25),
            smtp_user=env.get("KIM_SMTP_USER", ""),
            smtp_password=env.get("KIM_SMTP_PASSWORD", ""),
            smtp_starttls=env.get("KIM_SMTP_STARTTLS", "0") == "1",
            smtp_from=env.get("KIM_SMTP_FROM", "kim-assistent@localhost"),
        )
