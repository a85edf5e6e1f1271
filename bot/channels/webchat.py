"""The local web chat: a page, a JSON endpoint that relays messages to Rasa, and the case manager's replies.

Only this app faces the browser. Rasa listens on loopback; its REST channel and HTTP API are never
exposed. Checks before anything is relayed: session cookie (signed), content type, body size, text
length, a per-session rate limit. The case managers' inbox is mounted at ``/inbox`` and the queued
work (translations, notice mails) runs beside it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels import case_chat
from bot.channels.rasa_client import RasaClient, RasaUnavailable
from bot.channels.session import SessionSigner
from bot.channels.web_common import (
    DB,
    HTTP,
    MAX_BODY_BYTES,
    RASA,
    RECENT,
    SETTINGS,
    SIGNER,
    error,
    json_body,
    rate_limited,
    session_token,
    set_session_cookie,
)
from bot.config import Settings
from bot.handoff.db import Database, database
from bot.handoff.roster import load_roster
from bot.inbox.app import create_inbox_app

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
# A button payload as the assistant sends it: /intent or /intent{"slot": "value"}.
_PAYLOAD = re.compile(r'^/[a-z_]{2,40}(\{"[a-z_]{2,30}": ?"[\w .-]{1,40}"\})?$')
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def index(request: web.Request) -> web.StreamResponse:
    response = web.FileResponse(STATIC_DIR / "chat.html")
    if session_token(request) is None:
        set_session_cookie(response, request, request.app[SIGNER].new_token())
    response.headers.update(SECURITY_HEADERS)
    return response


def _split_custom(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Chat bubbles for the browser, and the assistant's signals to this channel (``custom``)."""
    signals: dict[str, Any] = {}
    shown = []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict):
            signals.update(custom)
        if message.get("text") or message.get("buttons"):
            shown.append({"text": message.get("text", ""), "buttons": message.get("buttons") or []})
    return shown, signals


async def post_message(request: web.Request) -> web.Response:
    token = session_token(request)
    if token is None:
        return error(401, "session_expired")
    body = await json_body(request)
    if isinstance(body, web.Response):
        return body
    payload, text = body.get("payload"), body.get("text", "")
    if payload is not None:
        if not isinstance(payload, str) or not _PAYLOAD.match(payload):
            return error(400, "fallback")
        text = payload
    if not isinstance(text, str):
        return error(400, "fallback")
    if len(text) > request.app[SETTINGS].max_message_chars:
        return error(413, "input_too_long")
    sender = request.app[SIGNER].sender_id(token)
    if rate_limited(request, sender):
        return error(429, "rate_limited")
    try:
        messages = await request.app[RASA].send(sender, text, {"channel": "webchat"})
    except RasaUnavailable as exc:
        log.warning("rasa unavailable for web chat: %s", exc)
        return error(503, "service_unavailable")
    shown, signals = _split_custom(messages)
    if signals.get("privacy") != "deleted":
        return web.json_response({"messages": shown, "handoff": signals.get("handoff")})
    # The user's data is gone; their conversation goes too, and this browser starts a new one.
    await asyncio.to_thread(case_chat.forget_conversation, request.app[SETTINGS].tracker_db_url, sender)
    response = web.json_response({"messages": shown, "reset": True})
    set_session_cookie(response, request, request.app[SIGNER].new_token())
    return response


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def _background_work(app: web.Application) -> Any:
    """Queued translations and notice mails, beside the web server (several instances may run it)."""
    from bot.handoff.worker import Worker
    from bot.translation import TranslationEngine

    settings = app[SETTINGS]
    stop = asyncio.Event()
    worker = Worker(app[DB], settings, TranslationEngine(settings.translation))
    task = asyncio.create_task(worker.run_forever(stop))
    yield
    stop.set()
    await task


async def _http_session(app: web.Application) -> Any:
    app[HTTP] = aiohttp.ClientSession()
    app[RASA] = RasaClient(app[SETTINGS].rasa_url, app[HTTP], app[SETTINGS].rasa_timeout_s)
    yield
    await app[HTTP].close()


def create_app(settings: Settings, db: Database | None = None, *, worker: bool = False) -> web.Application:
    """The web chat with the inbox at ``/inbox`` (the case database is migrated here).

    ``worker``: also run the queued work (translations, notice mails) in this process.
    """
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[SIGNER] = SessionSigner.from_settings(settings.session_secret, settings.data_dir)
    app[RECENT] = defaultdict(deque)
    app[DB] = db or database(settings.db_url)
    app.cleanup_ctx.append(_http_session)
    if worker:
        app.cleanup_ctx.append(_background_work)
    app.router.add_get("/", index)
    app.router.add_post("/api/messages", post_message)
    case_chat.add_routes(app)
    app.router.add_get("/healthz", healthz)
    app.router.add_static("/static/", STATIC_DIR)
    app.add_subapp("/inbox", create_inbox_app(settings, app[DB], load_roster(settings.roster_path)))
    return app
