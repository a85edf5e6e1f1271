"""Logging in and out of the inbox: passwords, session cookie, CSRF on the login form, rate limit."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import select, update

from bot.handoff.models import StaffSession, StaffUser, utcnow
from bot.inbox import auth
from tests.inbox.conftest import mounted
from tests.inbox.support import PASSWORD, add_staff, csrf_of, login, login_as, post


async def test_right_password_logs_in_and_shows_the_case_list(client, db):
    response = await login(client, "katrin")
    assert response.status == 303
    assert response.headers["Location"] == "/inbox/"
    page = await client.get("/inbox/")
    assert page.status == 200
    html = await page.text()
    assert "Katrin Musterfrau" in html
    assert "Fallmanagement Paderborn" in html
    assert "Fälle" in html


async def test_login_is_case_insensitive_for_the_username(client):
    assert (await login(client, "  Katrin ")).status == 303


async def test_session_cookie_is_httponly_strict_scoped_to_the_inbox_and_stored_only_hashed(client, db):
    response = await login(client, "katrin")
    header = next(h for h in response.headers.getall("Set-Cookie") if h.startswith("kim_inbox="))
    assert "HttpOnly" in header
    assert "SameSite=Strict" in header
    assert "Path=/inbox" in header
    assert "Secure" not in header  # secure_cookies is off in this test's settings
    token = response.cookies["kim_inbox"].value
    assert len(token) >= 43
    with db.session() as session:
        stored = session.execute(select(StaffSession)).scalars().all()
    assert [s.token_hash for s in stored] == [hashlib.sha256(token.encode()).hexdigest()]
    assert stored[0].expires_at - stored[0].created_at == timedelta(hours=8)


async def test_cookies_are_secure_when_configured(aiohttp_client, settings, db, roster, staff):
    client = await aiohttp_client(mounted(replace(settings, secure_cookies=True), db, roster))
    page = await client.get("/inbox/login")
    assert "Secure" in page.headers["Set-Cookie"]  # the pre-login CSRF cookie
    response = await client.post(
        "/inbox/login",
        data={"csrf": csrf_of(await page.text()), "username": "katrin", "password": PASSWORD},
        cookies={"kim_inbox_login": page.cookies["kim_inbox_login"].value},
        allow_redirects=False,
    )
    assert response.status == 303
    header = next(h for h in response.headers.getall("Set-Cookie") if h.startswith("kim_inbox="))
    assert "Secure" in header


async def test_wrong_password_and_unknown_user_get_the_same_german_answer(client, db):
    wrong = await login(client, "katrin", "falsches-passwort-123")
    unknown = await login(client, "niemand", "falsches-passwort-123")
    assert wrong.status == unknown.status == 401
    for response in (wrong, unknown):
        html = await response.text()
        assert "Benutzername oder Passwort ist falsch." in html
        assert "kim_inbox" not in response.cookies
    assert (await client.get("/inbox/", allow_redirects=False)).status == 303
    with db.session() as session:
        assert session.execute(select(StaffSession)).first() is None


async def test_page_without_session_redirects_to_login(client):
    response = await client.get("/inbox/", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/inbox/login"


async def test_login_form_needs_its_csrf_cookie_and_field(client, db):
    page = await client.get("/inbox/login")
    token = csrf_of(await page.text())
    no_field = await client.post(
        "/inbox/login", data={"username": "katrin", "password": PASSWORD}, allow_redirects=False
    )
    wrong_field = await client.post(
        "/inbox/login",
        data={"csrf": token + "x", "username": "katrin", "password": PASSWORD},
        allow_redirects=False,
    )
    client.session.cookie_jar.clear()
    no_cookie = await client.post(
        "/inbox/login",
        data={"csrf": token, "username": "katrin", "password": PASSWORD},
        allow_redirects=False,
    )
    assert no_field.status == wrong_field.status == no_cookie.status == 403
    with db.session() as session:
        assert session.execute(select(StaffSession)).first() is None


async def test_five_wrong_passwords_lock_the_username_with_429(client):
    for _ in range(5):
        assert (await login(client, "katrin", "falsches-passwort-123")).status == 401
    locked = await login(client, "katrin")  # even the right password
    assert locked.status == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in await locked.text()
    assert "kim_inbox" not in locked.cookies


async def test_five_failures_from_one_address_lock_that_address(client):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert (await login(client, name, "falsches-passwort-123")).status == 401
    assert (await login(client, "jonas")).status == 429


async def test_a_successful_login_clears_the_usernames_failures(client):
    for _ in range(4):
        await login(client, "katrin", "falsches-passwort-123")
    assert (await login(client, "katrin")).status == 303
    assert (await login(client, "katrin", "falsches-passwort-123")).status == 401  # counting restarts


async def test_logout_ends_the_session(client, db):
    await login_as(client, "katrin")
    token = client.session.cookie_jar.filter_cookies(client.make_url("/inbox/"))["kim_inbox"].value
    page = await client.get("/inbox/")
    response = await post(client, "/logout", csrf_of(await page.text()))
    assert response.status == 303
    assert response.headers["Location"] == "/inbox/login"
    with db.session() as session:
        assert session.execute(select(StaffSession)).first() is None
    # The old token is worthless even if someone kept a copy of the cookie.
    again = await client.get("/inbox/", cookies={"kim_inbox": token}, allow_redirects=False)
    assert again.status == 303


async def test_logout_without_csrf_keeps_the_session(client, db):
    await login_as(client, "katrin")
    response = await post(client, "/logout", "not-the-token")
    assert response.status == 403
    assert (await client.get("/inbox/", allow_redirects=False)).status == 200


async def test_expired_session_no_longer_opens_pages(client, db):
    await login_as(client, "katrin")
    with db.session() as session:
        session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await client.get("/inbox/", allow_redirects=False)).status == 303


async def test_account_not_in_the_roster_or_inactive_cannot_log_in(client, db, roster):
    add_staff(db, roster, "ehemalig", "cm-borchen")
    with db.session() as session:
        session.execute(update(StaffUser).where(StaffUser.username == "ehemalig").values(roster_id="gone"))
        session.execute(update(StaffUser).where(StaffUser.username == "jonas").values(active=False))
    assert (await login(client, "ehemalig")).status == 401
    assert (await login(client, "jonas")).status == 401


async def test_deactivating_an_account_ends_its_open_session(client, db):
    await login_as(client, "katrin")
    with db.session() as session:
        session.execute(update(StaffUser).where(StaffUser.username == "katrin").values(active=False))
    assert (await client.get("/inbox/", allow_redirects=False)).status == 303


async def test_password_hashed_with_old_parameters_is_rehashed_at_login(client, db, monkeypatch):
    old = PasswordHasher(time_cost=2, memory_cost=512, parallelism=1).hash(PASSWORD)
    with db.session() as session:
        session.execute(update(StaffUser).where(StaffUser.username == "katrin").values(password_hash=old))
    assert (await login(client, "katrin")).status == 303
    with db.session() as session:
        new = session.execute(
            select(StaffUser.password_hash).where(StaffUser.username == "katrin")
        ).scalar_one()
    assert new != old
    assert not auth.HASHER.check_needs_rehash(new)
    assert (await login(client, "katrin")).status == 303
