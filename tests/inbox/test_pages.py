"""What every inbox response carries: security headers, German pages, the stylesheet, the 404 page."""

from __future__ import annotations

import pytest

from tests.inbox.support import login_as, new_case

CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'"


def _assert_secure(response) -> None:
    assert response.headers["Content-Security-Policy"].startswith(CSP)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/inbox/login", "/inbox/static/inbox.css", "/inbox/nirgends"])
async def test_security_headers_without_login(client, path):
    _assert_secure(await client.get(path))


async def test_case_pages_are_not_cached_and_carry_the_headers(client, db, roster):
    case_id = new_case(db, roster)
    await login_as(client, "katrin")
    for path in ("/inbox/", f"/inbox/cases/{case_id}", "/inbox/cases/999999"):
        response = await client.get(path)
        _assert_secure(response)
        assert response.headers["Cache-Control"] == "no-store"


async def test_pages_are_german_and_without_inline_script_or_style(client, db, roster):
    case_id = new_case(db, roster)
    await login_as(client, "katrin")
    for path in ("/inbox/", f"/inbox/cases/{case_id}"):
        html = await (await client.get(path)).text()
        assert '<html lang="de">' in html
        assert "<script" not in html
        assert "style=" not in html
        assert "<style" not in html
        assert 'href="/inbox/static/inbox.css"' in html


async def test_stylesheet_is_served_by_the_inbox(client):
    response = await client.get("/inbox/static/inbox.css")
    assert response.status == 200
    assert response.content_type == "text/css"
    assert ".msg" in await response.text()


async def test_unknown_page_is_a_german_404(client):
    response = await client.get("/inbox/nirgends")
    assert response.status == 404
    html = await response.text()
    assert "Nicht gefunden" in html
    assert '<html lang="de">' in html


async def test_mount_point_without_slash_redirects_to_the_list(client):
    response = await client.get("/inbox", allow_redirects=False)
    assert response.status == 308
    assert response.headers["Location"] == "/inbox/"


async def test_login_page_is_german_with_a_csrf_field_and_cookie(client):
    response = await client.get("/inbox/login")
    html = await response.text()
    assert "Anmelden" in html
    assert "Benutzername" in html
    assert 'name="csrf"' in html
    header = response.headers["Set-Cookie"]
    assert header.startswith("kim_inbox_login=")
    assert "HttpOnly" in header
    assert "SameSite=Strict" in header
    assert "Path=/inbox" in header
