"""Helpers for the inbox tests: staff accounts, cases, logging in, reading the CSRF token."""

from __future__ import annotations

import itertools
import re
from datetime import datetime

from sqlalchemy import func, select

from bot.handoff import service
from bot.handoff.models import AuditEntry, Case, ReplyDraft, utcnow
from bot.handoff.summary import Intake
from bot.inbox import auth

PASSWORD = "ein-langes-passwort-42"
_USERS = itertools.count(1)
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_staff(db, roster, username: str, roster_id: str, password: str = PASSWORD) -> None:
    auth.add_user(db, roster, username, roster_id, password)


def new_case(
    db,
    roster,
    municipality: str | None = "Paderborn",
    district: str | None = "Kernstadt",
    language: str = "ar",
    description: str = "نحتاج إلى شقة",
    **fields,
) -> int:
    intake = Intake(
        channel="webchat",
        channel_user=f"webchat-user-{next(_USERS)}",
        language=language,
        consent_at=fields.pop("consent_at", utcnow()),
        municipality=municipality,
        district=district,
        topics=fields.pop("topics", ("ask_housing",)),
        description=description,
        **fields,
    )
    return service.create_case(db, roster, intake).case_id


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def login(client, username: str, password: str = PASSWORD):
    """Log in through the form (fresh cookies); returns the POST response (not followed)."""
    client.session.cookie_jar.clear()
    page = await client.get("/inbox/login")
    assert page.status == 200
    return await client.post(
        "/inbox/login",
        data={"csrf": csrf_of(await page.text()), "username": username, "password": password},
        allow_redirects=False,
    )


async def login_as(client, username: str) -> None:
    response = await login(client, username)
    assert response.status == 303, await response.text()


async def page_token(client, case_id: int) -> str:
    """The CSRF token from the case page (which is also a view in the audit log)."""
    response = await client.get(f"/inbox/cases/{case_id}")
    assert response.status == 200
    return csrf_of(await response.text())


async def post(client, path: str, token: str, **data):
    return await client.post(f"/inbox{path}", data={"csrf": token, **data}, allow_redirects=False)


def case(db, case_id: int) -> Case:
    with db.session() as session:
        return session.get(Case, case_id)


def audit(db, case_id: int, actor: str | None = None) -> list[str]:
    with db.session() as session:
        query = select(AuditEntry.action).where(AuditEntry.case_id == case_id)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        return list(session.execute(query.order_by(AuditEntry.id)).scalars())


def count(db, model) -> int:
    with db.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def drafts(db, case_id: int) -> list[ReplyDraft]:
    with db.session() as session:
        return list(
            session.execute(select(ReplyDraft).where(ReplyDraft.case_id == case_id).order_by(ReplyDraft.id))
            .scalars()
            .all()
        )


def simulate_worker(db, draft_id: int, state: str, translated: str | None = None, back: str | None = None):
    """What bot.handoff.worker does with a pending draft."""
    with db.session() as session:
        draft = session.get(ReplyDraft, draft_id)
        draft.state = state
        draft.translated_text = translated
        draft.back_translation = back
        draft.machine_translated = translated is not None


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001 - stored naive UTC
