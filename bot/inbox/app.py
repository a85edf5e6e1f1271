"""The case managers' inbox: a server-rendered aiohttp sub-application, mounted at ``/inbox``.

No JavaScript. Every response carries a strict Content-Security-Policy (no inline script or
style) and is not cached (except the stylesheet); request bodies are limited to 64 KiB by the
app itself, because aiohttp applies only the main app's ``client_max_size`` to sub-apps.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler

from bot.config import Settings
from bot.handoff.db import Database
from bot.handoff.roster import Roster
from bot.inbox import views
from bot.inbox.keys import DB, LIMITER, ROSTER, SETTINGS, TEMPLATES
from bot.inbox.present import FILTERS
from bot.inbox.ratelimit import LoginLimiter

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
MAX_BODY_BYTES = 64 * 1024
CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
_CASE = r"/cases/{case_id:[0-9]{1,9}}"
_DRAFT = _CASE + r"/drafts/{draft_id:[0-9]{1,9}}"


def _secure(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    if request.match_info.route.name != "static":
        headers["Cache-Control"] = "no-store"


def _is_mount_point(request: web.Request) -> bool:
    """``/inbox`` without the slash: the sub-app's router cannot route it, so redirect to ``/inbox/``."""
    return request.method in ("GET", "HEAD") and request.path + "/" == views.url(request, "cases")


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Body limit, German error pages, security headers; errors are logged without their message
    (a database error's message can quote case content)."""
    try:
        if request.method == "POST":
            if (request.content_length or 0) > MAX_BODY_BYTES:
                raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, request.content_length or 0)
            request = request.clone(client_max_size=MAX_BODY_BYTES)
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status == 404 and _is_mount_point(request):
            response = web.Response(status=308, headers={"Location": views.url(request, "cases")})
        elif exc.status >= 400:
            response = views.error_page(request, exc.status)
        else:
            _secure(request, exc)
            raise
    except Exception as exc:
        log.error(
            "inbox: %s in %s\n%s",
            type(exc).__name__,
            request.match_info.route.name,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        response = views.error_page(request, 500)
    _secure(request, response)
    return response


def create_inbox_app(settings: Settings, db: Database, roster: Roster) -> web.Application:
    """The inbox, to mount with ``app.add_subapp("/inbox", create_inbox_app(...))`` (no I/O here)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[guard])
    app[SETTINGS] = settings
    app[DB] = db
    app[ROSTER] = roster
    app[LIMITER] = LoginLimiter()
    aiohttp_jinja2.setup(
        app,
        app_key=TEMPLATES,
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        filters=FILTERS,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    router = app.router
    router.add_get("/", views.case_list, name="cases")
    router.add_get("/login", views.login_page, name="login")
    router.add_post("/login", views.login)
    router.add_post("/logout", views.logout, name="logout")
    router.add_get(_CASE, views.case_page, name="case")
    router.add_post(_CASE + "/claim", views.claim, name="claim")
    router.add_post(_CASE + "/state", views.set_state, name="state")
    router.add_post(_CASE + "/reassign", views.reassign, name="reassign")
    router.add_post(_CASE + "/reply", views.reply, name="reply")
    router.add_post(_DRAFT + "/send", views.send, name="send")
    router.add_post(_DRAFT + "/discard", views.discard, name="discard")
    router.add_static("/static/", STATIC_DIR, name="static")
    return app
