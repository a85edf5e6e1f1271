"""The web chat side of a handoff: the case manager's replies reach the browser, the user writes back.

A reply is stored in the outbox until the browser of the session that owns the case fetches it
(``GET /api/updates``, a long poll): the query is by the conversation id derived from the verified
session cookie, so no other session can receive it. The user's own messages to the case manager
(``POST /api/case-messages``) go into the case thread, never to the assistant.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiohttp import web
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.web_common import (
    CHANNEL,
    DB,
    SIGNER,
    error,
    json_body,
    rate_limited,
    session_token,
)
from bot.content import load_store
from bot.handoff.models import MAX_TEXT, Message
from bot.handoff.service import CaseError, add_user_message, messages_for_user, open_case

log = logging.getLogger(__name__)

MAX_WAIT_S = 25.0
POLL_INTERVAL_S = 0.5
LABEL_KEYS = (
    "chat_to_assistant",
    "chat_to_person",
    "chat_writing_to_assistant",
    "chat_writing_to_person",
    "chat_label_assistant",
    "chat_label_person",
    "chat_machine_translation",
    "chat_show_original",
    "chat_untranslated",
    "chat_person_sent",
)


def _labels(language: str) -> dict[str, str]:
    store = load_store()
    return {key.removeprefix("chat_"): store.ui(key, language) for key in LABEL_KEYS}


def _message_json(message: Message) -> dict[str, Any]:
    translated = message.translation_state in ("done", "not_needed") and message.translated_text is not None
    return {
        "id": message.id,
        "from": "person",
        "text": message.translated_text if translated else message.text,
        "original": message.text,
        "language": message.translated_language if translated else message.language,
        "machine_translated": bool(message.machine_translated and translated),
        "untranslated": not translated and message.translated_language != message.language,
    }


def _case_state(request: web.Request, sender: str) -> dict[str, Any] | None:
    with request.app[DB].session() as session:
        case = open_case(session, CHANNEL, sender)
        if case is None:
            return None
        return {
            "id": case.id,
            "state": case.state,
            "language": case.language,
            "labels": _labels(case.language),
        }


async def updates(request: web.Request) -> web.Response:
    """Replies newer than ``after`` for this session; waits up to ``wait`` seconds for one."""
    token = session_token(request)
    if token is None:
        return error(401, "session_expired")
    try:
        after = max(0, int(request.query.get("after", "0")))
        wait = min(MAX_WAIT_S, max(0.0, float(request.query.get("wait", "0"))))
    except ValueError:
        return error(400, "fallback")
    sender = request.app[SIGNER].sender_id(token)
    deadline = time.monotonic() + wait
    try:
        while True:
            messages = await asyncio.to_thread(messages_for_user, request.app[DB], CHANNEL, sender, after)
            if messages or time.monotonic() >= deadline:
                break
            await asyncio.sleep(POLL_INTERVAL_S)
        case = await asyncio.to_thread(_case_state, request, sender)
    except SQLAlchemyError as exc:
        log.error("case database unavailable: %s", type(exc).__name__)
        return error(503, "service_unavailable")
    return web.json_response({"case": case, "messages": [_message_json(m) for m in messages]})


async def post_case_message(request: web.Request) -> web.Response:
    """The user writes to their case manager (a person); the assistant never sees this text."""
    token = session_token(request)
    if token is None:
        return error(401, "session_expired")
    body = await json_body(request)
    if isinstance(body, web.Response):
        return body
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return error(400, "input_empty")
    if len(text) > MAX_TEXT:
        return error(413, "input_too_long")
    sender = request.app[SIGNER].sender_id(token)
    if rate_limited(request, sender):
        return error(429, "rate_limited")
    try:
        with request.app[DB].session() as session:
            case = open_case(session, CHANNEL, sender)
            language = case.language if case else None
        if language is None:
            return error(409, "chat_no_open_case")
        message_id = await asyncio.to_thread(
            add_user_message, request.app[DB], CHANNEL, sender, text, language
        )
    except CaseError:
        return error(400, "input_empty")
    except SQLAlchemyError as exc:
        log.error("case database unavailable: %s", type(exc).__name__)
        return error(503, "service_unavailable")
    if message_id is None:
        return error(409, "chat_no_open_case")
    return web.json_response({"id": message_id, "note": load_store().ui("chat_person_sent", language)})


def forget_conversation(tracker_url: str, sender: str) -> None:
    """Delete Rasa's stored conversation of ``sender`` (the user asked for deletion).

    Rasa's SQL tracker store keeps every event in one table ``events`` keyed by ``sender_id``.
    """
    engine = create_engine(tracker_url, future=True)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
    except SQLAlchemyError as exc:
        log.error("could not delete the conversation from the tracker store: %s", type(exc).__name__)
    finally:
        engine.dispose()


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/updates", updates)
    app.router.add_post("/api/case-messages", post_case_message)
