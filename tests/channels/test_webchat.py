"""The web chat app, against a fake Rasa REST channel served on localhost."""

from __future__ import annotations

import re

import pytest
from aiohttp import web

from bot.channels.session import COOKIE_NAME, SessionSigner
from bot.channels.web_common import RATE_LIMIT_MESSAGES
from bot.channels.webchat import create_app
from bot.config import Settings


@pytest.fixture
async def fake_rasa(aiohttp_server):
    """A localhost server speaking Rasa's REST webhook; records what it received."""
    received: list[dict] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body)
        return web.json_response(
            [
                {"recipient_id": body["sender"], "text": f"echo: {body['message']}"},
                {
                    "recipient_id": body["sender"],
                    "text": "choose",
                    "buttons": [{"title": "Kita", "payload": "/ask_kita"}],
                },
            ]
        )

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    server = await aiohttp_server(app)
    server.received = received
    return server


@pytest.fixture
async def chat(aiohttp_client, fake_rasa, tmp_path):
    settings = Settings(
        data_dir=tmp_path, rasa_host="127.0.0.1", rasa_port=fake_rasa.port, max_message_chars=500
    )
    return await aiohttp_client(create_app(settings))


async def _session(client) -> None:
    response = await client.get("/")
    assert response.status == 200


async def test_page_sets_an_httponly_signed_session_cookie(chat):
    response = await chat.get("/")
    assert response.status == 200
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert re.fullmatch(r"[\w-]+\.[0-9a-f]{32}", cookie.value)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


async def test_message_is_relayed_and_answers_come_back(chat, fake_rasa):
    await _session(chat)
    response = await chat.post("/api/messages", json={"text": "wo ist eine kita"})
    assert response.status == 200
    data = await response.json()
    assert data["messages"][0]["text"] == "echo: wo ist eine kita"
    assert data["messages"][1]["buttons"] == [{"title": "Kita", "payload": "/ask_kita"}]
    assert fake_rasa.received[0]["sender"].startswith("web-")
    assert fake_rasa.received[0]["metadata"] == {"channel": "webchat"}


async def test_sender_id_is_derived_from_the_cookie_not_chosen_by_the_client(chat, fake_rasa):
    await _session(chat)
    await chat.post("/api/messages", json={"text": "hallo", "sender": "someone-else"})
    assert fake_rasa.received[0]["sender"] != "someone-else"
    token = chat.session.cookie_jar.filter_cookies(chat.make_url("/"))[COOKIE_NAME].value
    assert token not in fake_rasa.received[0]["sender"]


async def test_two_browsers_get_two_conversations(aiohttp_client, chat, fake_rasa, tmp_path):
    await _session(chat)
    await chat.post("/api/messages", json={"text": "a"})
    other = await aiohttp_client(chat.server.app)
    await _session(other)
    await other.post("/api/messages", json={"text": "b"})
    assert fake_rasa.received[0]["sender"] != fake_rasa.received[1]["sender"]


async def test_without_session_cookie_the_message_is_refused(chat, fake_rasa):
    response = await chat.post("/api/messages", json={"text": "hallo"})
    assert response.status == 401
    assert fake_rasa.received == []


async def test_forged_cookie_is_refused(chat, fake_rasa, tmp_path):
    other_signer = SessionSigner(b"x" * 32)
    chat.session.cookie_jar.update_cookies({COOKIE_NAME: other_signer.new_token()})
    response = await chat.post("/api/messages", json={"text": "hallo"})
    assert response.status == 401


async def test_button_payload_must_look_like_one(chat, fake_rasa):
    await _session(chat)
    ok = await chat.post("/api/messages", json={"payload": '/ask_housing{"residence_status": "duldung"}'})
    assert ok.status == 200
    assert fake_rasa.received[-1]["message"] == '/ask_housing{"residence_status": "duldung"}'
    bad = await chat.post("/api/messages", json={"payload": "/restart; rm -rf"})
    assert bad.status == 400


async def test_too_long_message_is_refused_in_all_languages(chat, fake_rasa):
    await _session(chat)
    response = await chat.post("/api/messages", json={"text": "x" * 501})
    assert response.status == 413
    error = (await response.json())["error"]
    assert any(ch in error for ch in "абвгд") and any(ch in error for ch in "ابت")
    assert fake_rasa.received == []


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"text": 5}'])
async def test_malformed_body_is_a_400(chat, body):
    await _session(chat)
    response = await chat.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_form_post_is_refused(chat):
    await _session(chat)
    response = await chat.post("/api/messages", data={"text": "hallo"})
    assert response.status == 415


async def test_rate_limit_per_session(chat):
    await _session(chat)
    for _ in range(RATE_LIMIT_MESSAGES):
        assert (await chat.post("/api/messages", json={"text": "hi"})).status == 200
    response = await chat.post("/api/messages", json={"text": "hi"})
    assert response.status == 429


async def test_rasa_down_gives_a_503_with_a_message(aiohttp_client, tmp_path, unused_tcp_port):
    settings = Settings(data_dir=tmp_path, rasa_port=unused_tcp_port, rasa_timeout_s=2)
    client = await aiohttp_client(create_app(settings))
    await _session(client)
    response = await client.post("/api/messages", json={"text": "hallo"})
    assert response.status == 503
    assert "112" in (await response.json())["error"]
