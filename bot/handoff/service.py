"""What happens to a case: created from an intake, messages added, replies drafted and sent, deleted.

Plain functions over a :class:`Database`. Translation and mail are queued work (rows in a state
``pending``) that :mod:`bot.handoff.worker` carries out, never inside a chat turn or web request.
Every view and change is written to the audit log by the function that does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

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
from bot.handoff.summary import EMERGENCY_TOPICS, Intake, german_summary

STAFF_LANGUAGE = "de"


class CaseError(ValueError):
    """A request the case cannot take (closed case, wrong state, empty text); safe to show staff."""


@dataclass(frozen=True)
class CreatedCase:
    case_id: int
    assignee_id: str | None  # None: the BIZ queue
    assignee_name: str | None


def audit(session: Session, actor: str, action: str, case_id: int | None, detail: str | None = None) -> None:
    session.add(AuditEntry(actor=actor[:64], action=action[:32], case_id=case_id, detail=(detail or None)))


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseError("empty text")
    if len(text) > MAX_TEXT:
        raise CaseError(f"text longer than {MAX_TEXT} characters")
    return text


def _user_message(case: Case, text: str, language: str) -> Message:
    needs_translation = language != STAFF_LANGUAGE
    return Message(
        case=case,
        direction="from_user",
        text=text,
        language=language,
        translated_language=STAFF_LANGUAGE,
        translation_state="pending" if needs_translation else "not_needed",
    )


def create_case(db: Database, roster: Roster, intake: Intake) -> CreatedCase:
    """Store a consented intake as a new case, route it, queue its translation and its notice mails."""
    route = roster.route(intake.municipality, intake.district)
    topics = list(intake.shared_topics)
    with db.session() as session:
        case = Case(
            municipality=intake.municipality,
            district=intake.district,
            assignee=route.assignee.id if route.assignee else None,
            channel=intake.channel,
            channel_user=intake.channel_user,
            language=intake.language,
            topics=topics,
            residence_status=intake.residence_status,
            school_stage=intake.school_stage,
            urgency=intake.urgency,
            contact_kind=intake.contact_kind,
            contact_value=intake.contact_value,
            name=intake.name,
            consent_at=intake.consent_at,
            # Without consent not even the refusal is kept: it would tell of a health concern.
            health_consent=True if intake.health and intake.health_consent else None,
            flag_emergency=intake.emergency or bool(EMERGENCY_TOPICS.intersection(topics)),
            flag_health=intake.health and bool(intake.health_consent),
            summary_de=german_summary(intake),
        )
        session.add(case)
        if intake.description.strip() and not (intake.health and not intake.health_consent):
            session.add(_user_message(case, _clean(intake.description), intake.language))
        for person in route.notify:
            case.mails.append(Notification(recipient=person.email))
        session.flush()
        audit(session, "user", "created", case.id, f"queue={route.queue}")
        return CreatedCase(
            case_id=case.id,
            assignee_id=route.assignee.id if route.assignee else None,
            assignee_name=route.assignee.name if route.assignee else None,
        )


def open_case(session: Session, channel: str, channel_user: str) -> Case | None:
    """The user's newest case that is not closed."""
    return session.execute(
        select(Case)
        .where(Case.channel == channel, Case.channel_user == channel_user, Case.state != "closed")
        .order_by(Case.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def has_open_case(db: Database, channel: str, channel_user: str) -> bool:
    with db.session() as session:
        return open_case(session, channel, channel_user) is not None


def add_user_message(db: Database, channel: str, channel_user: str, text: str, language: str) -> int | None:
    """Add a user's message to their open case (translation queued). None when there is no open case."""
    text = _clean(text)
    with db.session() as session:
        case = open_case(session, channel, channel_user)
        if case is None:
            return None
        message = _user_message(case, text, language)
        session.add(message)
        if case.state == "waiting":
            case.state = "claimed" if case.assignee else "open"
        case.updated_at = utcnow()
        session.flush()
        audit(session, "user", "user_message", case.id)
        return message.id


def create_draft(db: Database, case_id: int, author: str, text: str) -> int:
    """A German reply to translate (queued) and show with its back-translation before sending."""
    text = _clean(text)
    with db.session() as session:
        case = session.get(Case, case_id)
        if case is None or case.state == "closed":
            raise CaseError("the case is closed or gone")
        needs_translation = case.language != STAFF_LANGUAGE
        draft = ReplyDraft(
            case_id=case.id,
            author=author,
            text=text,
            language=case.language,
            state="pending" if needs_translation else "ready",
            translated_text=None if needs_translation else text,
        )
        session.add(draft)
        session.flush()
        audit(session, author, "draft", case.id)
        return draft.id


def send_draft(db: Database, draft_id: int, author: str) -> int:
    """Send a translated draft: it becomes a thread message and goes into the persistent outbox."""
    with db.session() as session:
        draft = session.get(ReplyDraft, draft_id)
        if draft is None or draft.state not in ("ready", "unavailable", "failed"):
            raise CaseError("the reply is not ready to send")
        ready = draft.state == "ready"
        # Claim the draft in one UPDATE: a second click (or a second instance) finds it already sent.
        claimed = session.execute(
            update(ReplyDraft)
            .where(ReplyDraft.id == draft_id, ReplyDraft.state == draft.state)
            .values(state="sent")
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            raise CaseError("the reply was sent already")
        case = session.get(Case, draft.case_id)
        if case is None or case.state == "closed":
            raise CaseError("the case is closed or gone")
        translated = ready and draft.translated_text
        message = Message(
            case=case,
            direction="to_user",
            author=author,
            text=draft.text,
            language=STAFF_LANGUAGE,
            translated_text=draft.translated_text if translated else None,
            translated_language=case.language,
            translation_state=(
                "not_needed" if case.language == STAFF_LANGUAGE else ("done" if translated else "unavailable")
            ),
            machine_translated=draft.machine_translated,
        )
        session.add(message)
        session.flush()
        session.add(
            OutboxItem(
                message_id=message.id, case_id=case.id, channel=case.channel, channel_user=case.channel_user
            )
        )
        draft.state = "sent"
        case.state = "waiting"
        case.updated_at = utcnow()
        audit(session, author, "reply", case.id)
        return message.id


def messages_for_user(db: Database, channel: str, channel_user: str, after_id: int = 0) -> list[Message]:
    """Replies from case managers for this user, newer than ``after_id``; marks them delivered.

    Only the conversation that owns a case ever gets its replies: the query is by the channel's
    own conversation id, which the channel derives from its verified session.
    """
    now = utcnow()
    with db.session() as session:
        rows = session.execute(
            select(Message, OutboxItem)
            .join(OutboxItem, OutboxItem.message_id == Message.id)
            .where(
                OutboxItem.channel == channel,
                OutboxItem.channel_user == channel_user,
                Message.id > after_id,
            )
            .order_by(Message.id)
            .limit(50)
        ).all()
        for message, item in rows:
            if item.state != "delivered":
                item.state = "delivered"
                item.delivered_at = now
                message.delivered_at = now
                audit(session, "system", "delivered", item.case_id)
        return [message for message, _ in rows]


def delete_user_data(db: Database, channel: str, channel_user: str) -> int:
    """Delete every case of this user with its thread (the user asked, or withdrew consent)."""
    with db.session() as session:
        cases = (
            session.execute(select(Case).where(Case.channel == channel, Case.channel_user == channel_user))
            .scalars()
            .all()
        )
        for case in cases:
            audit(session, "user", "deleted_by_user", case.id)
            session.delete(case)
        return len(cases)


def purge_closed(db: Database, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete cases closed longer than ``older_than`` ago (run daily); returns how many."""
    cutoff = (now or utcnow()) - older_than
    with db.session() as session:
        cases = (
            session.execute(select(Case).where(Case.state == "closed", Case.closed_at < cutoff))
            .scalars()
            .all()
        )
        for case in cases:
            audit(session, "system", "purged", case.id)
            session.delete(case)
        return len(cases)
