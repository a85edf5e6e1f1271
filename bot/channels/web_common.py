"""What the web chat's endpoints share: app keys, the session check, errors in four languages, limits."""

from __future__ import annotations

import time
from collections import deque

import aiohttp
from aiohttp import web

from bot.channels.rasa_client import RasaClient
from bot.channels.session import COOKIE_NAME, SessionSigner
from bot.config import Settings
from bot.content import LANGUAGES, load_store
from bot.handoff.db import Database

MAX_BODY_BYTES = 64 * 1024
RATE_LIMIT_MESSAGES = 30
RATE_LIMIT_WINDOW_S = 60.0
CHANNEL = "webchat"

SIGNER = web.AppKey("signer", SessionSigner)
SETTINGS = web.AppKey("settings", Settings)
RASA = web.AppKey("rasa", RasaClient)
HTTP = web.AppKey("http", aiohttp.ClientSession)
RECENT = web.AppKey("recent", dict)
DB = web.AppKey("db", Database)


def in_all_languages(key: str) -> str:
    store = load_store()
    return "\n".join(store.ui(key, lang) for lang in LANGUAGES)


def error(status: int, key: str) -> web.Response:
    return web.json_response({"error": in_all_languages(key)}, status=status)


def session_token(request: web.Request) -> str | None:
    token = request.cookies.get(COOKIE_NAME)
    return token if request.app[SIGNER].verify(token) else None


def set_session_cookie(response: web.StreamResponse, request: web.Request, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="Strict",
        secure=request.app[SETTINGS].secure_cookies,
        max_age=60 * 60 * 24 * 30,
        path="/",
    )


def rate_limited(request: web.Request, sender: str) -> bool:
    """At most RATE_LIMIT_MESSAGES per RATE_LIMIT_WINDOW_S and session (assistant and person together)."""
    now = time.monotonic()
    recent: deque[float] = request.app[RECENT][sender]
    while recent and now - recent[0] > RATE_LIMIT_WINDOW_S:
        recent.popleft()
    if len(recent) >= RATE_LIMIT_MESSAGES:
        return True
    recent.append(now)
    return False


async def json_body(request: web.Request) -> dict | web.Response:
    """The request's JSON object, or the error response to return."""
    if request.content_type != "application/json":
        return error(415, "fallback")
    try:
        body = await request.json()
    except ValueError:
        return error(400, "fallback")
    return body if isinstance(body, dict) else error(400, "fallback")
