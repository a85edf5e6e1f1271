"""Cases from intake to deletion, on SQLite and PostgreSQL: what is stored, routed, sent and deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import service
from bot.handoff.db import Database
from bot.handoff.models import (
    MAX_TEXT,
    AuditEntry,
    Case,
    Message,
    Notification,
    OutboxItem,
    ReplyDraft,
    utcnow,
)
from bot.handoff.roster import Roster
from bot.handoff.service import CaseError
from tests.handoff.factories import (
    CONTACT,
    DESCRIPTION,
    DESCRIPTION_UK,
    NAME,
    TABLES,
    audit_texts,
    count,
    intake,
    rows,
)

REPLY = "Bitte kommen Sie am Dienstag um 10 Uhr ins Rathaus Elsen."


def _set(db: Database, model: type, row_id: int, **values: object) -> None:
    with db.session() as session:
        row = session.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)


def _ready_draft(db: Database, case_id: int, translated: str = "Будь ласка, приходьте у вівторок") -> int:
    """A draft as the worker leaves it after translating."""
    draft_id = service.create_draft(db, case_id, "k.musterfrau", REPLY)
    _set(db, ReplyDraft, draft_id, state="ready", translated_text=translated, machine_translated=True)
    return draft_id


def test_new_case_is_stored_with_its_first_message_and_routed(db: Database, roster: Roster) -> None:
    created = service.create_case(db, roster, intake())

    assert created.assignee_id == "cm-paderborn-nord"
    assert created.assignee_name == "Jonas Beispielmann"
    [case] = rows(db, Case)
    assert case.id == created.case_id
    assert (case.state, case.municipality, case.district, case.assignee) == (
        "open",
        "Paderborn",
        "Elsen",
        "cm-paderborn-nord",
    )
    assert (case.name, case.contact_kind, case.contact_value) == (NAME, "email", CONTACT)
    assert case.topics == ["ask_housing"]
    assert "Gemeinde: Paderborn, Ortsteil Elsen" in case.summary_de
    [message] = rows(db, Message)
    assert (message.case_id, message.direction, message.text, message.language) == (
        case.id,
        "from_user",
        DESCRIPTION_UK,
        "uk",
    )
    assert (message.translation_state, message.translated_language, message.translated_text) == (
        "pending",
        "de",
        None,
    )
    [mail] = rows(db, Notification)
    assert (mail.case_id, mail.recipient, mail.state, mail.attempts) == (
        case.id,
        "kim-paderborn-nord@example.org",
        "pending",
        0,
    )


def test_german_first_message_needs_no_translation(db: Database, roster: Roster) -> None:
    service.create_case(db, roster, intake(language="de", description=DESCRIPTION))
    [message] = rows(db, Message)
    assert message.translation_state == "not_needed"
    assert message.text == DESCRIPTION


def test_case_without_municipality_goes_to_the_biz_coordination(db: Database, roster: Roster) -> None:
    created = service.create_case(db, roster, intake(municipality=None, district=None))
    assert created.assignee_id is None
    [case] = rows(db, Case)
    assert case.assignee is None
    assert [m.recipient for m in rows(db, Notification)] == [p.email for p in roster.coordinators]
    assert "BIZ-Koordination" in case.summary_de


def test_case_in_a_single_manager_municipality_ignores_the_district(db: Database, roster: Roster) -> None:
    service.create_case(db, roster, intake(municipality="Büren", district="Wewelsburg"))
    assert rows(db, Case)[0].assignee == "cm-bueren"
    assert [m.recipient for m in rows(db, Notification)] == ["kim-bueren@example.org"]


def test_health_description_is_not_stored_without_health_consent(db: Database, roster: Roster) -> None:
    health = intake(topics=("ask_psychological_help", "ask_housing"), health_consent=False)
    service.create_case(db, roster, health)
    [case] = rows(db, Case)
    assert count(db, Message) == 0
    assert case.topics == ["ask_housing"]
    assert (case.health_consent, case.flag_health) == (None, False)  # not even the refusal is kept
    assert "Psychologische Hilfe" not in case.summary_de


def test_health_description_is_stored_with_health_consent(db: Database, roster: Roster) -> None:
    service.create_case(db, roster, intake(topics=("ask_psychological_help",), health_consent=True))
    [case] = rows(db, Case)
    assert (case.health_consent, case.flag_health) == (True, True)
    assert [m.text for m in rows(db, Message)] == [DESCRIPTION_UK]


@pytest.mark.parametrize(
    "fields", [{"emergency": True}, {"topics": ("report_emergency",)}], ids=["said", "topic"]
)
def test_emergency_is_flagged(db: Database, roster: Roster, fields: dict[str, object]) -> None:
    service.create_case(db, roster, intake(**fields))
    assert rows(db, Case)[0].flag_emergency is True


def test_case_without_description_has_no_message(db: Database, roster: Roster) -> None:
    service.create_case(db, roster, intake(description="  "))
    assert count(db, Case) == 1
    assert count(db, Message) == 0


def test_too_long_description_stores_nothing(db: Database, roster: Roster) -> None:
    with pytest.raises(CaseError):
        service.create_case(db, roster, intake(description="x" * (MAX_TEXT + 1)))
    for model in TABLES:
        assert count(db, model) == 0, model.__name__


def test_user_message_goes_to_the_open_case(db: Database, roster: Roster) -> None:
    old = service.create_case(db, roster, intake()).case_id
    _set(db, Case, old, state="closed", closed_at=utcnow())
    current = service.create_case(db, roster, intake()).case_id

    message_id = service.add_user_message(db, "webchat", "conv-oksana", "Є новини?", "uk")

    [message] = rows(db, Message, id=message_id)
    assert (message.case_id, message.direction, message.translation_state) == (
        current,
        "from_user",
        "pending",
    )
    assert service.has_open_case(db, "webchat", "conv-oksana")


def test_user_message_without_open_case_is_not_stored(db: Database, roster: Roster) -> None:
    case_id = service.create_case(db, roster, intake(description="")).case_id
    assert service.add_user_message(db, "webchat", "someone-else", "Hallo", "de") is None
    assert service.add_user_message(db, "telegram", "conv-oksana", "Hallo", "de") is None
    _set(db, Case, case_id, state="closed", closed_at=utcnow())
    assert service.add_user_message(db, "webchat", "conv-oksana", "Hallo", "de") is None
    assert count(db, Message) == 0
    assert not service.has_open_case(db, "webchat", "conv-oksana")


@pytest.mark.parametrize(("municipality", "state"), [("Paderborn", "claimed"), (None, "open")])
def test_user_answer_puts_a_waiting_case_back_to_work(
    db: Database, roster: Roster, municipality: str | None, state: str
) -> None:
    case_id = service.create_case(db, roster, intake(language="de", municipality=municipality)).case_id
    draft_id = service.create_draft(db, case_id, "k.musterfrau", REPLY)
    assert rows(db, ReplyDraft)[0].state == "ready"  # German: nothing to translate
    service.send_draft(db, draft_id, "k.musterfrau")
    assert rows(db, Case)[0].state == "waiting"

    service.add_user_message(db, "webchat", "conv-oksana", "Danke, ich komme.", "de")

    assert rows(db, Case)[0].state == state


def test_sent_reply_goes_to_the_outbox_and_reaches_only_its_user(db: Database, roster: Roster) -> None:
    case_id = service.create_case(db, roster, intake()).case_id
    draft_id = _ready_draft(db, case_id)

    message_id = service.send_draft(db, draft_id, "k.musterfrau")

    [item] = rows(db, OutboxItem)
    assert (item.message_id, item.case_id, item.channel, item.channel_user, item.state) == (
        message_id,
        case_id,
        "webchat",
        "conv-oksana",
        "pending",
    )
    assert rows(db, ReplyDraft)[0].state == "sent"
    # Another conversation (or the same id on another channel) never receives this reply.
    assert service.messages_for_user(db, "webchat", "conv-mallory") == []
    assert service.messages_for_user(db, "telegram", "conv-oksana") == []
    assert rows(db, OutboxItem)[0].state == "pending"

    [reply] = service.messages_for_user(db, "webchat", "conv-oksana")
    assert (reply.id, reply.direction, reply.text) == (message_id, "to_user", REPLY)
    assert (reply.translated_text, reply.translated_language, reply.translation_state) == (
        "Будь ласка, приходьте у вівторок",
        "uk",
        "done",
    )
    assert reply.machine_translated is True
    assert rows(db, OutboxItem)[0].state == "delivered"
    assert rows(db, Message, id=message_id)[0].delivered_at is not None
    assert service.messages_for_user(db, "webchat", "conv-oksana", after_id=message_id) == []


def test_reply_is_sent_in_german_when_translation_is_unavailable(db: Database, roster: Roster) -> None:
    case_id = service.create_case(db, roster, intake(language="en")).case_id
    draft_id = service.create_draft(db, case_id, "k.musterfrau", REPLY)
    _set(db, ReplyDraft, draft_id, state="unavailable")
    service.send_draft(db, draft_id, "k.musterfrau")
    [reply] = service.messages_for_user(db, "webchat", "conv-oksana")
    assert (reply.text, reply.translated_text, reply.translation_state) == (REPLY, None, "unavailable")


def test_draft_cannot_be_sent_before_it_is_translated(db: Database, roster: Roster) -> None:
    case_id = service.create_case(db, roster, intake()).case_id
    draft_id = service.create_draft(db, case_id, "k.musterfrau", REPLY)
    assert rows(db, ReplyDraft)[0].state == "pending"
    with pytest.raises(CaseError):
        service.send_draft(db, draft_id, "k.musterfrau")
    assert count(db, OutboxItem) == 0


def test_no_reply_to_a_closed_case(db: Database, roster: Roster) -> None:
    case_id = service.create_case(db, roster, intake()).case_id
    draft_id = _ready_draft(db, case_id)
    _set(db, Case, case_id, state="closed", closed_at=utcnow())
    with pytest.raises(CaseError):
        service.send_draft(db, draft_id, "k.musterfrau")
    with pytest.raises(CaseError):
        service.create_draft(db, case_id, "k.musterfrau", REPLY)
    assert count(db, OutboxItem) == 0


def _full_thread(db: Database, roster: Roster, channel_user: str = "conv-oksana") -> int:
    case_id = service.create_case(db, roster, intake(channel_user=channel_user)).case_id
    service.send_draft(db, _ready_draft(db, case_id), "k.musterfrau")
    service.add_user_message(db, "webchat", channel_user, "Дякую, прийду у вівторок", "uk")
    service.create_draft(db, case_id, "k.musterfrau", "Bis Dienstag!")  # a second, unsent draft
    return case_id


def test_deleting_user_data_removes_everything_but_a_contentless_audit_entry(
    db: Database, roster: Roster
) -> None:
    case_id = _full_thread(db, roster)
    other = _full_thread(db, roster, channel_user="conv-other")
    assert count(db, OutboxItem, case_id=case_id) == 1 and count(db, ReplyDraft, case_id=case_id) == 2

    assert service.delete_user_data(db, "webchat", "conv-oksana") == 1

    for model in TABLES:
        key = "id" if model is Case else "case_id"
        assert count(db, model, **{key: case_id}) == 0, model.__name__
        assert count(db, model, **{key: other}) > 0, model.__name__
    [entry] = rows(db, AuditEntry, case_id=case_id, action="deleted_by_user")
    assert (entry.actor, entry.detail) == ("user", None)
    assert not service.has_open_case(db, "webchat", "conv-oksana")
    assert service.messages_for_user(db, "webchat", "conv-oksana") == []


def test_purge_deletes_only_cases_closed_longer_ago_than_the_period(db: Database, roster: Roster) -> None:
    now = utcnow()
    old = _full_thread(db, roster, channel_user="old")
    recent = service.create_case(db, roster, intake(channel_user="recent")).case_id
    still_open = service.create_case(db, roster, intake(channel_user="open")).case_id
    _set(db, Case, old, state="closed", closed_at=now - timedelta(days=91))
    _set(db, Case, recent, state="closed", closed_at=now - timedelta(days=89))
    _set(db, Case, still_open, created_at=now - timedelta(days=400))

    assert service.purge_closed(db, timedelta(days=90), now=now) == 1

    assert sorted(c.id for c in rows(db, Case)) == sorted([recent, still_open])
    for model in TABLES[1:]:
        assert count(db, model, case_id=old) == 0, model.__name__
    assert [e.actor for e in rows(db, AuditEntry, case_id=old, action="purged")] == ["system"]
    assert service.purge_closed(db, timedelta(days=90), now=now) == 0


def test_audit_log_records_actions_but_never_content(db: Database, roster: Roster) -> None:
    case_id = _full_thread(db, roster)
    service.messages_for_user(db, "webchat", "conv-oksana")
    service.delete_user_data(db, "webchat", "conv-oksana")

    actions = [e.action for e in rows(db, AuditEntry, case_id=case_id)]
    assert actions[:3] == ["created", "draft", "reply"]
    assert {"user_message", "delivered", "deleted_by_user"} <= set(actions)
    logged = audit_texts(db)
    for secret in (
        NAME,
        CONTACT,
        DESCRIPTION_UK,
        REPLY,
        "Будь ласка",
        "Дякую",
        "Bis Dienstag",
        "conv-oksana",
    ):
        assert secret not in logged


def test_a_reply_is_sent_once_even_when_send_is_clicked_twice(db: Database, roster: Roster) -> None:
    case_id = service.create_case(db, roster, intake(language="de")).case_id
    draft_id = service.create_draft(db, case_id, "j.beispielmann", "Bitte kommen Sie am Montag.")
    service.send_draft(db, draft_id, "j.beispielmann")
    with pytest.raises(service.CaseError):
        service.send_draft(db, draft_id, "j.beispielmann")
    with db.session() as session:
        assert session.query(OutboxItem).filter_by(case_id=case_id).count() == 1
