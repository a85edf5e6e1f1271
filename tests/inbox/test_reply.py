"""Answering a case: German draft, queued translation (simulated worker), check, send or discard."""

from __future__ import annotations

import re

import pytest

from bot.handoff import service
from bot.handoff.models import MAX_TEXT, Message, OutboxItem, ReplyDraft
from tests.inbox.support import (
    case,
    count,
    drafts,
    login_as,
    new_case,
    page_token,
    post,
    simulate_worker,
)

ARABIC = "مرحبا، يمكننا مساعدتك في البحث عن شقة."
BACK = "Hallo, wir können Ihnen bei der Suche nach einer Wohnung helfen."
GERMAN = "Guten Tag, wir helfen Ihnen bei der Wohnungssuche."


@pytest.fixture
def case_id(db, roster) -> int:
    return new_case(db, roster, "Paderborn", "Kernstadt", language="ar", description="نحتاج إلى شقة")


async def _page(client, case_id: int) -> str:
    response = await client.get(f"/inbox/cases/{case_id}")
    assert response.status == 200
    return await response.text()


async def test_reply_is_translated_checked_and_sent(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)

    response = await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    assert response.status == 303
    assert response.headers["Location"] == f"/inbox/cases/{case_id}"
    [draft] = drafts(db, case_id)
    assert (draft.state, draft.text, draft.author) == ("pending", GERMAN, "katrin")

    pending = await _page(client, case_id)
    assert "Übersetzung wird erstellt …" in pending
    assert '<meta http-equiv="refresh" content="2">' in pending
    assert ">Senden<" not in pending
    assert 'name="text"' not in pending  # one draft at a time

    simulate_worker(db, draft.id, "ready", ARABIC, BACK)
    ready = await _page(client, case_id)
    assert 'http-equiv="refresh"' not in ready
    assert re.search(r'lang="ar" dir="rtl">' + re.escape(ARABIC), ready)
    assert BACK in ready
    assert "Rückübersetzung" in ready
    assert ">Senden<" in ready
    assert ">Verwerfen<" in ready

    response = await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)
    assert response.status == 303
    with db.session() as session:
        message = session.query(Message).filter_by(case_id=case_id, direction="to_user").one()
        outbox = session.query(OutboxItem).filter_by(message_id=message.id).one()
        assert (message.text, message.translated_text, message.author) == (GERMAN, ARABIC, "katrin")
        assert outbox.state == "pending"
    assert case(db, case_id).state == "waiting"
    assert drafts(db, case_id)[0].state == "sent"

    sent = await _page(client, case_id)
    assert "Katrin Musterfrau, Fallmanagement" in sent
    assert "Gesendet auf Arabisch" in sent
    assert "noch nicht zugestellt" in sent
    assert 'name="text"' in sent  # the next reply can be written


async def test_reply_without_translation_is_sent_in_german(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    draft = drafts(db, case_id)[0]
    simulate_worker(db, draft.id, "unavailable")

    html = await _page(client, case_id)
    assert "Keine maschinelle Übersetzung verfügbar: die Person erhält den deutschen Text." in html
    assert ">Senden<" in html
    assert ">Verwerfen<" in html

    assert (await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)).status == 303
    with db.session() as session:
        message = session.query(Message).filter_by(case_id=case_id, direction="to_user").one()
        assert (message.text, message.translated_text, message.translation_state) == (
            GERMAN,
            None,
            "unavailable",
        )
    assert count(db, OutboxItem) == 1
    assert "Ohne Übersetzung gesendet" in await _page(client, case_id)


async def test_pending_draft_cannot_be_sent_yet(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    draft = drafts(db, case_id)[0]
    response = await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)
    assert response.status == 409
    assert "Die Übersetzung wird noch erstellt" in await response.text()
    assert count(db, OutboxItem) == 0


async def test_discarded_draft_is_gone_and_nothing_is_sent(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    draft = drafts(db, case_id)[0]
    simulate_worker(db, draft.id, "ready", ARABIC, BACK)

    assert (await post(client, f"/cases/{case_id}/drafts/{draft.id}/discard", token)).status == 303
    assert drafts(db, case_id)[0].state == "discarded"
    assert count(db, OutboxItem) == 0
    html = await _page(client, case_id)
    assert ARABIC not in html
    assert 'name="text"' in html
    assert (await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)).status == 409
    assert count(db, OutboxItem) == 0


async def test_only_the_author_sends_a_draft_but_a_colleague_may_discard_it(client, db, case_id):
    draft_id = service.create_draft(db, case_id, "katrin", GERMAN)
    simulate_worker(db, draft_id, "ready", ARABIC, BACK)
    await login_as(client, "jonas")
    html = await _page(client, case_id)
    assert "Nur Katrin Musterfrau kann diesen Entwurf senden." in html
    token = await page_token(client, case_id)
    assert (await post(client, f"/cases/{case_id}/drafts/{draft_id}/send", token)).status == 409
    assert count(db, OutboxItem) == 0
    assert (await post(client, f"/cases/{case_id}/drafts/{draft_id}/discard", token)).status == 303
    assert drafts(db, case_id)[0].state == "discarded"


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("   ", 400, "Bitte eine Antwort eingeben."),
        ("x" * (MAX_TEXT + 1), 413, "Die Antwort ist zu lang"),
    ],
)
async def test_empty_or_too_long_reply_is_refused_and_nothing_stored(
    client, db, case_id, text, status, message
):
    await login_as(client, "katrin")
    response = await post(client, f"/cases/{case_id}/reply", await page_token(client, case_id), text=text)
    assert response.status == status
    html = await response.text()
    assert message in html
    assert drafts(db, case_id) == []
    if status == 413:
        assert text in html  # what was typed is not lost


async def test_windows_line_breaks_do_not_count_twice(client, db, case_id):
    await login_as(client, "katrin")
    text = "ab\r\n" * (MAX_TEXT // 3)  # 3 characters per line once the line breaks are normalised
    response = await post(client, f"/cases/{case_id}/reply", await page_token(client, case_id), text=text)
    assert response.status == 303
    assert drafts(db, case_id)[0].text == text.replace("\r\n", "\n").strip()


async def test_a_request_body_over_64_kib_is_refused(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    response = await post(client, f"/cases/{case_id}/reply", token, text="x" * (70 * 1024))
    assert response.status == 413
    assert "zu groß" in await response.text()
    assert drafts(db, case_id) == []


async def test_no_reply_to_a_closed_case(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/state", token, state="closed")
    response = await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    assert response.status == 409
    assert "geschlossen" in await response.text()
    assert drafts(db, case_id) == []


async def test_german_speaking_user_gets_the_draft_without_translation(client, db, roster):
    case_id = new_case(
        db, roster, "Paderborn", "Kernstadt", language="de", description="Wir suchen eine Wohnung"
    )
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    html = await _page(client, case_id)
    assert "Die Person schreibt Deutsch" in html
    assert 'http-equiv="refresh"' not in html
    draft = drafts(db, case_id)[0]
    assert (await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)).status == 303
    assert count(db, OutboxItem) == 1


def _translate_first_message(db, case_id: int, state: str, text: str | None) -> None:
    with db.session() as session:
        message = session.query(Message).filter_by(case_id=case_id).one()
        message.translation_state = state
        message.translated_text = text
        message.machine_translated = text is not None


async def test_users_message_shows_the_machine_translation_beside_the_original(client, db, case_id):
    await login_as(client, "katrin")
    html = await _page(client, case_id)
    assert "Person, schreibt auf Arabisch" in html
    assert "Übersetzung läuft …" in html
    assert re.search(r'lang="ar" dir="rtl">نحتاج إلى شقة<', html)

    _translate_first_message(db, case_id, "done", "Wir brauchen eine Wohnung")
    html = await _page(client, case_id)
    assert "Maschinelle Übersetzung — ohne Gewähr" in html
    assert "Wir brauchen eine Wohnung" in html
    assert re.search(r'lang="ar" dir="rtl">نحتاج إلى شقة<', html)

    _translate_first_message(db, case_id, "unavailable", None)
    assert "keine Übersetzung verfügbar" in await _page(client, case_id)


async def test_message_text_is_escaped(client, db, roster):
    case_id = new_case(db, roster, "Paderborn", "Kernstadt", description="<script>alert(1)</script>")
    await login_as(client, "katrin")
    html = await _page(client, case_id)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_draft_ids_in_other_states_cannot_be_sent_twice(client, db, case_id):
    await login_as(client, "katrin")
    token = await page_token(client, case_id)
    await post(client, f"/cases/{case_id}/reply", token, text=GERMAN)
    draft = drafts(db, case_id)[0]
    simulate_worker(db, draft.id, "ready", ARABIC, BACK)
    assert (await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)).status == 303
    assert (await post(client, f"/cases/{case_id}/drafts/{draft.id}/send", token)).status == 409
    assert count(db, OutboxItem) == 1
    with db.session() as session:
        assert session.get(ReplyDraft, draft.id).state == "sent"
