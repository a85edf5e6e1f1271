"""The inbox mounted at /inbox of a parent app, as in production; cheap password hashing for speed.

``db`` (SQLite and PostgreSQL) and ``roster`` come from the plugin tests/database.py.
"""

from __future__ import annotations

import pytest
from aiohttp import web
from argon2 import PasswordHasher

from bot.config import Settings
from bot.inbox import auth
from bot.inbox.app import create_inbox_app
from tests.inbox.support import add_staff


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Argon2id with tiny costs: the same code path, milliseconds instead of a second per test."""
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def staff(db, roster):
    """Logins: two Paderborn case managers, the Büren case manager, the BIZ coordinator."""
    add_staff(db, roster, "katrin", "cm-paderborn-mitte")
    add_staff(db, roster, "jonas", "cm-paderborn-nord")
    add_staff(db, roster, "eva", "cm-bueren")
    add_staff(db, roster, "nora", "biz-coordination")


def mounted(settings: Settings, db, roster) -> web.Application:
    parent = web.Application()
    parent.add_subapp("/inbox", create_inbox_app(settings, db, roster))
    return parent


@pytest.fixture
async def client(aiohttp_client, settings, db, roster, staff):
    return await aiohttp_client(mounted(settings, db, roster))
