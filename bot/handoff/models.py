"""The handoff's tables: cases, their message threads, reply drafts, the outbox, mails, staff, audit.

Every message is stored in the original and, once the queued translation ran, in translation.
Deleting a case deletes its thread, drafts, outbox items and mails (``ON DELETE CASCADE`` and ORM
cascades); the audit log keeps only the case number and what happened, never content.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

# Field limits, enforced by the forms and the inbox before anything reaches the database.
MAX_TEXT = 4000  # one message or description
MAX_NAME = 120
MAX_CONTACT = 254  # longest valid e-mail address

CASE_STATES = ("open", "claimed", "waiting", "closed")
TRANSLATION_STATES = ("pending", "done", "not_needed", "unavailable", "failed")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # stored naive, always UTC


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    closed_at = Column(DateTime)
    state = Column(String(16), nullable=False, default="open")
    # Routing: municipality None means the BIZ queue.
    municipality = Column(String(64))
    district = Column(String(64))
    assignee = Column(String(64))  # roster id of the responsible case manager
    # Where the user is: the channel and the channel's opaque conversation id (never shown in the inbox).
    channel = Column(String(16), nullable=False)
    channel_user = Column(String(128), nullable=False)
    language = Column(String(2), nullable=False)
    # What the intake collected.
    topics = Column(JSON, nullable=False, default=list)  # intent names
    residence_status = Column(String(32))
    school_stage = Column(String(32))
    urgency = Column(String(16), nullable=False, default="normal")
    contact_kind = Column(String(8), nullable=False, default="chat")  # chat | phone | email
    contact_value = Column(String(MAX_CONTACT))
    name = Column(String(MAX_NAME))
    consent_at = Column(DateTime, nullable=False)
    health_consent = Column(Boolean)  # None: no health topic, so not asked
    flag_emergency = Column(Boolean, nullable=False, default=False)
    flag_health = Column(Boolean, nullable=False, default=False)
    summary_de = Column(Text, nullable=False)  # the structured German summary (without the user's words)

    messages = relationship(
        "Message", back_populates="case", cascade="all, delete-orphan", order_by="Message.id"
    )
    drafts = relationship("ReplyDraft", cascade="all, delete-orphan", order_by="ReplyDraft.id")
    mails = relationship("Notification", cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_cases_channel_user", "channel", "channel_user"),
        Index("ix_cases_municipality_state", "municipality", "state"),
    )


class Message(Base):
    """One message of a case thread, in the original and in translation."""

    __tablename__ = "messages"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # from_user: the user wrote it; to_user: a case manager wrote it (never the assistant).
    direction = Column(String(16), nullable=False)
    author = Column(String(64))  # staff username for to_user; None for the user
    text = Column(Text, nullable=False)
    language = Column(String(2), nullable=False)
    translated_text = Column(Text)
    translated_language = Column(String(2), nullable=False)
    translation_state = Column(String(16), nullable=False, default="pending")
    machine_translated = Column(Boolean, nullable=False, default=False)
    delivered_at = Column(DateTime)  # to_user: when the user's channel took it

    case = relationship("Case", back_populates="messages")


class ReplyDraft(Base):
    """A case manager's German reply, translated (queued) and back-translated before it is sent."""

    __tablename__ = "reply_drafts"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)  # German
    language = Column(String(2), nullable=False)  # the user's language
    translated_text = Column(Text)
    back_translation = Column(Text)
    machine_translated = Column(Boolean, nullable=False, default=False)
    # pending -> ready | unavailable | failed -> sent | discarded
    state = Column(String(16), nullable=False, default="pending")


class OutboxItem(Base):
    """A reply waiting for the user's channel. Web chat: delivered when the user's browser fetched it."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    message_id = Column(Integer, ForeignKey("messages.id", ondelete="CASCADE"), nullable=False, unique=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    channel_user = Column(String(128), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    state = Column(String(16), nullable=False, default="pending")  # pending | delivered | failed
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime)
    last_error = Column(String(200))

    message = relationship("Message")

    __table_args__ = (Index("ix_outbox_channel_user_state", "channel", "channel_user", "state"),)


class Notification(Base):
    """An e-mail to a case manager about a case: no personal data, only a link. Retried until sent."""

    __tablename__ = "notifications"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    recipient = Column(String(MAX_CONTACT), nullable=False)
    kind = Column(String(16), nullable=False, default="new_case")
    created_at = Column(DateTime, nullable=False, default=utcnow)
    state = Column(String(16), nullable=False, default="pending")  # pending | sent | failed | disabled
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime)
    last_error = Column(String(200))


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    roster_id = Column(String(64), nullable=False)  # the person in the roster (role, municipality)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class StaffSession(Base):
    """A logged-in inbox session; the cookie holds the token, the table only its SHA-256."""

    __tablename__ = "staff_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)


class AuditEntry(Base):
    """Who viewed or changed which case, when. No content, no personal data of the user."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)  # staff username, "user" or "system"
    action = Column(String(32), nullable=False)
    case_id = Column(Integer, index=True)  # no foreign key: the entry outlives a deleted case
    detail = Column(String(200))
