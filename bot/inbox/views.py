"""The inbox pages and form actions.

Pages need a session (else: to the login page); actions are POST forms that need a session and its
CSRF token, and answer with a redirect to the case page (post/redirect/get). Database work and
password hashing run in worker threads (``asyncio.to_thread``), so the web chat served by the same
process never waits for them. Logs name no user, no case content.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from multidict import MultiDictProxy

from bot.handoff import states
from bot.handoff.models import MAX_TEXT
from bot.inbox import auth, csrf
from bot.inbox.keys import DB, LIMITER, ROSTER, SETTINGS, TEMPLATES
from bot.inbox.present import STATE_LABELS

log = logging.getLogger(__name__)

SESSION_COOKIE = "kim_inbox"
STATE_FILTERS = {"active": "alle offenen", "all": "alle", **STATE_LABELS}
STATE_CHANGE_LABELS = {"waiting": "wartet auf Antwort", "closed": "schließen", "reopen": "wieder öffnen"}
ERRORS = {
    400: ("Ungültige Anfrage", "Die Anfrage konnte nicht verarbeitet werden."),
    403: (
        "Nicht erlaubt",
        "Diese Anfrage wurde abgelehnt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
    ),
    404: (
        "Nicht gefunden",
        "Diese Seite oder diesen Fall gibt es nicht, oder er gehört nicht zu Ihren Fällen.",
    ),
    405: ("Nicht möglich", "Diese Aktion ist hier nicht möglich."),
    413: ("Zu groß", "Die Anfrage ist zu groß."),
    500: ("Fehler", "Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal."),
}
TOO_MANY_LOGINS = (
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."
)
WRONG_LOGIN = "Benutzername oder Passwort ist falsch."

Form = MultiDictProxy[Any]
Page = Callable[[web.Request, auth.LoggedIn], Awaitable[web.StreamResponse]]
Action = Callable[[web.Request, auth.LoggedIn, Form], Awaitable[web.StreamResponse]]


# --- helpers ---------------------------------------------------------------------------------


def url(request: web.Request, name: str, **parts: Any) -> str:
    return str(request.app.router[name].url_for(**{k: str(v) for k, v in parts.items()}))


def cookie_path(request: web.Request) -> str:
    """Where the app is mounted (``/inbox``), so the cookies go nowhere else."""
    return url(request, "cases").rstrip("/") or "/"


def render(request: web.Request, template: str, context: dict[str, Any], status: int = 200) -> web.Response:
    context.setdefault("staff", None)
    context.setdefault("csrf", "")
    context.setdefault("refresh", False)
    return aiohttp_jinja2.render_template(template, request, context, status=status, app_key=TEMPLATES)


def error_page(request: web.Request, status: int, message: str | None = None) -> web.Response:
    title, default = ERRORS.get(status, ERRORS[400] if status < 500 else ERRORS[500])
    return render(request, "error.html", {"title": title, "message": message or default}, status=status)


def see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _text(form: Form, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def _case_id(request: web.Request) -> int:
    return int(request.match_info["case_id"])


async def logged_in(request: web.Request) -> auth.LoggedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await asyncio.to_thread(auth.session_for, request.app[DB], request.app[ROSTER], token)


def page(handler: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """A page for logged-in staff; others are sent to the login page."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        session = await logged_in(request)
        if session is None:
            return see_other(url(request, "login"))
        return await handler(request, session)

    return wrapper


def action(handler: Action) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """A form action: needs a session and the session's CSRF token, else 403 and nothing happens."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = await logged_in(request)
        if session is None:
            return error_page(request, 403, "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an.")
        if not csrf.matches(session.csrf_token, form.get(csrf.FIELD)):
            log.warning("inbox: form without a valid CSRF token refused")
            raise web.HTTPForbidden()
        return await handler(request, session, form)

    return wrapper


def _set_cookie(
    request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=cookie_path(request),
        httponly=True,
        samesite="Strict",
        secure=request.app[SETTINGS].secure_cookies,
    )


# --- login -----------------------------------------------------------------------------------


def _login_form(
    request: web.Request, token: str, status: int = 200, error: str = "", username: str = ""
) -> web.Response:
    return render(request, "login.html", {"csrf": token, "error": error, "username": username}, status)


async def login_page(request: web.Request) -> web.StreamResponse:
    if await logged_in(request) is not None:
        return see_other(url(request, "cases"))
    token = request.cookies.get(csrf.PRELOGIN_COOKIE) or ""
    if not 20 <= len(token) <= 64:
        token = csrf.new_token()
    response = _login_form(request, token)
    _set_cookie(request, response, csrf.PRELOGIN_COOKIE, token, max_age=60 * 60)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    token = request.cookies.get(csrf.PRELOGIN_COOKIE)
    if token is None or not csrf.matches(token, form.get(csrf.FIELD)):
        raise web.HTTPForbidden()
    username = _text(form, "username").strip().lower()[:64]
    password = _text(form, "password")
    limiter = request.app[LIMITER]
    address = request.remote or "unknown"
    if limiter.blocked(username, address):
        log.warning("inbox: login refused, too many failed attempts")
        return _login_form(request, token, 429, TOO_MANY_LOGINS, username)
    if not username or not password:
        return _login_form(request, token, 400, "Bitte Benutzername und Passwort eingeben.", username)
    db, roster = request.app[DB], request.app[ROSTER]
    user_id = await asyncio.to_thread(auth.authenticate, db, roster, username, password)
    if user_id is None:
        limiter.failed(username, address)
        log.warning("inbox: login failed")
        return _login_form(request, token, 401, WRONG_LOGIN, username)
    limiter.succeeded(username)
    session_token, _ = await asyncio.to_thread(auth.start_session, db, user_id)
    log.info("inbox: login (staff user %d)", user_id)
    response = see_other(url(request, "cases"))
    _set_cookie(request, response, SESSION_COOKIE, session_token, int(auth.SESSION_LIFETIME.total_seconds()))
    response.del_cookie(csrf.PRELOGIN_COOKIE, path=cookie_path(request))
    return response


@action
async def logout(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    await asyncio.to_thread(auth.end_session, request.app[DB], request.cookies.get(SESSION_COOKIE, ""))
    response = see_other(url(request, "login"))
    response.del_cookie(SESSION_COOKIE, path=cookie_path(request))
    return response


# --- case list and case page -----------------------------------------------------------------


@page
async def case_list(request: web.Request, session: auth.LoggedIn) -> web.StreamResponse:
    state = request.query.get("status", "active")
    state = state if state in STATE_FILTERS else "active"
    mine = request.query.get("mine") == "1"
    rows = await asyncio.to_thread(
        states.list_cases,
        request.app[DB],
        session.staff,
        state=None if state == "all" else state,
        mine=mine,
    )
    roster = request.app[ROSTER]
    return render(
        request,
        "cases.html",
        {
            "staff": session.staff,
            "csrf": session.csrf_token,
            "rows": rows,
            "state": state,
            "mine": mine,
            "state_filters": STATE_FILTERS,
            "names": {p.id: p.name for p in roster.people},
            "limit": states.LIST_LIMIT,
        },
    )


async def _case_page(
    request: web.Request, session: auth.LoggedIn, status: int = 200, error: str = "", reply: str = ""
) -> web.Response:
    roster = request.app[ROSTER]
    try:
        detail = await asyncio.to_thread(
            states.view_case, request.app[DB], roster, session.staff, _case_id(request)
        )
    except states.CaseNotFound:
        raise web.HTTPNotFound() from None
    draft = detail.draft
    case = detail.case
    return render(
        request,
        "case.html",
        {
            "staff": session.staff,
            "csrf": session.csrf_token,
            "detail": detail,
            "case": case,
            "draft": draft,
            "error": error,
            "reply": reply,
            "refresh": draft is not None and draft.state == "pending" and not error,
            "names": {p.id: p.name for p in roster.people},
            "case_managers": [p for p in roster.people if p.role == "case_manager"],
            "state_changes": {
                change: label
                for change, label in STATE_CHANGE_LABELS.items()
                if case.state in states.STATE_CHANGES[change]
            },
            "max_text": MAX_TEXT,
        },
        status=status,
    )


@page
async def case_page(request: web.Request, session: auth.LoggedIn) -> web.StreamResponse:
    return await _case_page(request, session)


async def _act(
    request: web.Request, session: auth.LoggedIn, change: Callable[[], Any], reply: str = ""
) -> web.StreamResponse:
    """Run a change in a thread; a refusal shows the case page with a German message (and the
    reply text typed, so nothing is lost)."""
    try:
        await asyncio.to_thread(change)
    except states.CaseNotFound:
        raise web.HTTPNotFound() from None
    except states.NotAllowed:
        raise web.HTTPForbidden() from None
    except states.ActionRefused as exc:
        return await _case_page(request, session, status=409, error=str(exc), reply=reply)
    return see_other(url(request, "case", case_id=_case_id(request)))


@action
async def claim(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    db, staff, case_id = request.app[DB], session.staff, _case_id(request)
    return await _act(request, session, lambda: states.claim(db, staff, case_id))


@action
async def set_state(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    db, staff, case_id, change = request.app[DB], session.staff, _case_id(request), _text(form, "state")
    return await _act(request, session, lambda: states.set_state(db, staff, case_id, change))


@action
async def reassign(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    db, roster, staff, case_id = request.app[DB], request.app[ROSTER], session.staff, _case_id(request)
    person_id = _text(form, "assignee")
    return await _act(request, session, lambda: states.reassign(db, roster, staff, case_id, person_id))


@action
async def reply(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    text = _text(form, "text").replace("\r\n", "\n").strip()
    if not text:
        return await _case_page(request, session, 400, "Bitte eine Antwort eingeben.")
    if len(text) > MAX_TEXT:
        error = f"Die Antwort ist zu lang: {len(text)} Zeichen, höchstens {MAX_TEXT} sind möglich."
        return await _case_page(request, session, 413, error, reply=text)
    db, staff, case_id = request.app[DB], session.staff, _case_id(request)
    return await _act(request, session, lambda: states.start_reply(db, staff, case_id, text), reply=text)


@action
async def send(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    db, staff, case_id = request.app[DB], session.staff, _case_id(request)
    draft_id = int(request.match_info["draft_id"])
    return await _act(request, session, lambda: states.send_reply(db, staff, case_id, draft_id))


@action
async def discard(request: web.Request, session: auth.LoggedIn, form: Form) -> web.StreamResponse:
    db, staff, case_id = request.app[DB], session.staff, _case_id(request)
    draft_id = int(request.match_info["draft_id"])
    return await _act(request, session, lambda: states.discard_draft(db, staff, case_id, draft_id))
