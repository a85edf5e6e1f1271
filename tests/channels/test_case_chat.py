"""The web chat's side of a case: replies reach only the owning session; the user writes to the person."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.channels.session import COOKIE_NAME, SessionSigner
from bot.channels.webchat import create_app
from bot.config import Settings
from bot.content import load_store
from bot.handoff.models import MAX_TEXT, Message, ReplyDraft
from bot.handoff.service import create_case, create_draft, send_draft
from tests.handoff.factories import intake


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, rasa_port=9)  # nothing listens on Rasa's port: not needed here


async def browser(aiohttp_client, settings, db):
    client = await aiohttp_client(create_app(settings, db))
    assert (await client.get("/")).status == 200
    token = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE_NAME].value
    return client, SessionSigner.from_settings(None, settings.data_dir).sender_id(token)


def reply(db, case_id: int, text: str, translated: str | None) -> int:
    draft_id = create_draft(db, case_id, "j.beispielmann", text)
    with db.session() as session:
        draft = session.get(ReplyDraft, draft_id)
        draft.state, draft.translated_text, draft.machine_translated = "ready", translated, True
    return send_draft(db, draft_id, "j.beispielmann")


async def test_a_reply_reaches_the_owning_session_in_its_language_and_no_other(
    aiohttp_client, settings, db, roster
):
    owner, sender = await browser(aiohttp_client, settings, db)
    stranger, _ = await browser(aiohttp_client, settings, db)
    case_id = create_case(db, roster, intake(channel_user=sender, language="ar")).case_id

    state = await (await owner.get("/api/updates?after=0")).json()
    assert state["case"]["id"] == case_id
    assert state["case"]["labels"]["label_person"] == load_store().ui("chat_label_person", "ar")
    assert (await (await stranger.get("/api/updates")).json())["case"] is None

    message_id = reply(db, case_id, "Bitte kommen Sie am Montag.", "يرجى الحضور يوم الاثنين.")
    assert (await (await stranger.get("/api/updates?after=0")).json())["messages"] == []
    [got] = (await (await owner.get("/api/updates?after=0")).json())["messages"]
    assert got == {
        "id": message_id,
        "from": "person",
        "text": "يرجى الحضور يوم الاثنين.",
        "original": "Bitte kommen Sie am Montag.",
        "language": "ar",
        "machine_translated": True,
        "untranslated": False,
    }
    assert (await (await owner.get(f"/api/updates?after={message_id}")).json())["messages"] == []
    with db.session() as session:
        assert session.get(Message, message_id).delivered_at is not None


async def test_without_a_translation_the_german_text_comes_with_a_note(aiohttp_client, settings, db, roster):
    owner, sender = await browser(aiohttp_client, settings, db)
    case_id = create_case(db, roster, intake(channel_user=sender, language="uk")).case_id
    reply(db, case_id, "Bitte kommen Sie am Montag.", None)
    [got] = (await (await owner.get("/api/updates")).json())["messages"]
    assert got["text"] == "Bitte kommen Sie am Montag." and got["untranslated"] is True


async def test_the_user_writes_to_the_case_manager_not_to_the_assistant(aiohttp_client, settings, db, roster):
    owner, sender = await browser(aiohttp_client, settings, db)
    nobody, _ = await browser(aiohttp_client, settings, db)
    case_id = create_case(db, roster, intake(channel_user=sender, language="uk", description="")).case_id

    response = await owner.post("/api/case-messages", json={"text": "Дякую, я прийду в понеділок"})
    assert response.status == 200
    assert (await response.json())["note"] == load_store().ui("chat_person_sent", "uk")
    with db.session() as session:
        [message] = session.execute(select(Message).where(Message.case_id == case_id)).scalars()
        assert (message.direction, message.text, message.translation_state) == (
            "from_user",
            "Дякую, я прийду в понеділок",
            "pending",
        )
    assert (await nobody.post("/api/case-messages", json={"text": "hallo"})).status == 409


@pytest.mark.parametrize(
    ("body", "status"),
    [({"text": ""}, 400), ({"text": 5}, 400), ({"text": "x" * (MAX_TEXT + 1)}, 413), ([1], 400)],
)
async def test_bad_messages_to_the_case_manager_are_refused(
    aiohttp_client, settings, db, roster, body, status
):
    owner, sender = await browser(aiohttp_client, settings, db)
    create_case(db, roster, intake(channel_user=sender))
    assert (await owner.post("/api/case-messages", json=body)).status == status


async def test_updates_need_the_session_cookie(aiohttp_client, settings, db):
    client = await aiohttp_client(create_app(settings, db))
    assert (await client.get("/api/updates")).status == 401
    assert (await client.post("/api/case-messages", json={"text": "hi"})).status == 401
