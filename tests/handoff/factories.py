"""Intakes and rows for the handoff tests; personal data here is invented and easy to search for."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from sqlalchemy import func, select

from bot.handoff.db import Database
from bot.handoff.models import (
    AuditEntry,
    Case,
    Message,
    Notification,
    OutboxItem,
    ReplyDraft,
)
from bot.handoff.summary import Intake


def naive_utc(*parts: int) -> datetime:
    """A UTC time without tzinfo, the way the database stores times."""
    return datetime(*parts, tzinfo=timezone.utc).replace(tzinfo=None)  # type: ignore[misc]


CONSENT_AT = naive_utc(2026, 3, 2, 9, 15)
NAME = "Oksana Testowa"
CONTACT = "oksana.testowa@example.net"
DESCRIPTION = "Wir müssen bis Freitag aus der Unterkunft ausziehen und finden keine Wohnung"
DESCRIPTION_UK = "Нам треба виїхати з гуртожитку до пʼятниці, а квартиру ми не знайшли"
DESCRIPTION_AR = "يجب أن نغادر السكن قبل يوم الجمعة ولم نجد شقة"
TABLES = (Case, Message, ReplyDraft, OutboxItem, Notification)


def intake(**fields: object) -> Intake:
    """A complete intake from the web chat (Paderborn, Elsen) with name, e-mail and description."""
    base: dict[str, object] = {
        "channel": "webchat",
        "channel_user": "conv-oksana",
        "language": "uk",
        "consent_at": CONSENT_AT,
        "municipality": "Paderborn",
        "district": "Elsen",
        "topics": ("ask_housing",),
        "residence_status": "protection_24",
        "description": DESCRIPTION_UK,
        "contact_kind": "email",
        "contact_value": CONTACT,
        "name": NAME,
    }
    return Intake(**{**base, **fields})  # type: ignore[arg-type]


def count(db: Database, model: type, **where: object) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(session.execute(query).scalar_one())


def rows(db: Database, model: type, **where: object) -> list:
    with db.session() as session:
        query = select(model).order_by(model.__mapper__.primary_key[0])
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return list(session.execute(query).scalars().all())


def audit_texts(db: Database) -> str:
    """Everything the audit log holds, as one string to search for content."""
    return "\n".join(f"{e.actor}|{e.action}|{e.case_id}|{e.detail}" for e in rows(db, AuditEntry))


def our_log(records: list[logging.LogRecord]) -> str:
    """What the project's own loggers wrote (the test SMTP server logs addresses; that is not ours)."""
    return "\n".join(r.getMessage() for r in records if r.name.startswith("bot."))
