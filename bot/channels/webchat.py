"""The local web chat: a page, and a JSON endpoint that relays messages to Rasa.

Only this app faces the browser. Rasa listens on loopback; its REST channel and HTTP API are never
exposed. Checks before anything is relayed: session cookie (signed), content type, body size, text
length, a per-session rate limit.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.rasa_client import RasaClient, RasaUnavailable
from bot.channels.session import COOKIE_NAME, SessionSigner
from bot.config import Settings
from bot.content import LANGUAGES, load_store

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024
RATE_LIMIT_MESSAGES = 30
RATE_LIMIT_WINDOW_S = 60.0
# A button payload as the assistant sends it: /intent or /intent{"slot": "value"}.
_PAYLOAD = re.compile(r'^/[a-z_]{2,40}(\{"[a-z_]{2,30}": ?"[\w .-]{1,40}"\})?$')

SIGNER = web.AppKey("signer", SessionSigner)
SETTINGS = web.AppKey("settings", Settings)
RASA = web.AppKey("rasa", RasaClient)
HTTP = web.AppKey("http", aiohttp.ClientSession)
RECENT = web.AppKey("recent", dict)


def _in_all_languages(key: str) -> str:
    store = load_store()
    return "\n".join(store.ui(key, lang) for lang in LANGUAGES)


def _error(status: int, key: str) -> web.Response:
    return web.json_response({"error": _in_all_languages(key)}, status=status)


def _token(request: web.Request) -> str | None:
    token = request.cookies.get(COOKIE_NAME)
    return token if request.app[SIGNER].verify(token) else None


def _set_cookie(response: web.StreamResponse, request: web.Request, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="Strict",
        secure=request.app[SETTINGS].secure_cookies,
        max_age=60 * 60 * 24 * 30,
        path="/",
    )


async def index(request: web.Request) -> web.StreamResponse:
    response = web.FileResponse(STATIC_DIR / "chat.html")
    if _token(request) is None:
        _set_cookie(response, request, request.app[SIGNER].new_token())
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _rate_limited(request: web.Request, sender: str) -> bool:
    now = time.monotonic()
    recent: deque[float] = request.app[RECENT][sender]
    while recent and now - recent[0] > RATE_LIMIT_WINDOW_S:
        recent.popleft()
    if len(recent) >= RATE_LIMIT_MESSAGES:
        return True
    recent.append(now)
    return False


async def post_message(request: web.Request) -> web.Response:
    token = _token(request)
    if token is None:
        return _error(401, "session_expired")
    if request.content_type != "application/json":
        return _error(415, "fallback")
    try:
        body: Any = await request.json()
    except ValueError:
        return _error(400, "fallback")
    if not isinstance(body, dict):
        return _error(400, "fallback")
    payload, text = body.get("payload"), body.get("text", "")
    if payload is not None:
        if not isinstance(payload, str) or not _PAYLOAD.match(payload):
            return _error(400, "fallback")
        text = payload
    if not isinstance(text, str):
        return _error(400, "fallback")
    if len(text) > request.app[SETTINGS].max_message_chars:
        return _error(413, "input_too_long")
    sender = request.app[SIGNER].sender_id(token)
    if _rate_limited(request, sender):
        return _error(429, "rate_limited")
    try:
        messages = await request.app[RASA].send(sender, text, {"channel": "webchat"})
    except RasaUnavailable as exc:
        log.warning("rasa unavailable for web chat: %s", exc)
        return _error(503, "service_unavailable")
    return web.json_response({"messages": messages})


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def _http_session(app: web.Application) -> Any:
    app[HTTP] = aiohttp.ClientSession()
    app[RASA] = RasaClient(app[SETTINGS].rasa_url, app[HTTP], app[SETTINGS].rasa_timeout_s)
    yield
    await app[HTTP].close()


def create_app(settings: Settings) -> web.Application:
    """The web chat application for ``settings`` (no I/O until it starts)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[SIGNER] = SessionSigner.from_settings(settings.session_secret, settings.data_dir)
    app[RECENT] = defaultdict(deque)
    app.cleanup_ctx.append(_http_session)
    app.router.add_get("/", index)
    app.router.add_post("/api/messages", post_message)
    app.router.add_get("/healthz", healthz)
    app.router.add_static("/static/", STATIC_DIR)
    return app
