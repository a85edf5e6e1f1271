"""Staff accounts, passwords and login sessions for the inbox.

Passwords are hashed with Argon2id. A login for an unknown username is still checked against a
dummy hash, so the answer takes as long as for a known one. The session cookie holds a random
token; the database keeps only its SHA-256, so a copy of the database does not log anyone in.
Role and municipality come from the roster: an account whose roster id is not in the roster
cannot log in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from bot.handoff.db import Database
from bot.handoff.models import StaffSession, StaffUser, utcnow
from bot.handoff.roster import Roster
from bot.handoff.states import Staff

SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing megabytes of "password" would be a cheap way to load the server
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

HASHER = PasswordHasher()  # argon2-cffi's defaults (Argon2id, RFC 9106 low-memory profile)
_dummy: tuple[PasswordHasher, str] | None = None


class AccountError(ValueError):
    """An account cannot be created or changed; the message is safe to print."""


@dataclass(frozen=True)
class LoggedIn:
    """A valid session: who it belongs to and the token every form of the session must carry."""

    staff: Staff
    csrf_token: str


@dataclass(frozen=True)
class Account:
    username: str
    roster_id: str
    active: bool


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None or _dummy[0] is not HASHER:
        _dummy = (HASHER, HASHER.hash(secrets.token_urlsafe(16)))
    return _dummy[1]


def _verify(stored: str | None, password: str) -> bool:
    try:
        HASHER.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")


def authenticate(db: Database, roster: Roster, username: str, password: str) -> int | None:
    """The user id when the password is right and the account active and in the roster, else None.

    Rehashes the password when the hasher's parameters changed since it was stored.
    """
    if len(password) > MAX_PASSWORD:
        return None
    with db.session() as session:
        user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        if not _verify(user.password_hash if user else None, password) or user is None:
            return None
        if not user.active or roster.get(user.roster_id) is None:
            return None
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        return int(user.id)


def start_session(db: Database, user_id: int) -> tuple[str, str]:
    """A new session for the user: returns the cookie token and the session's CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    with db.session() as session:
        session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
        session.add(
            StaffSession(
                token_hash=token_hash(token),
                user_id=user_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return token, csrf


def session_for(db: Database, roster: Roster, token: str) -> LoggedIn | None:
    """The staff member of a session cookie, or None when it is unknown, expired or revoked."""
    if not token or len(token) > 128:
        return None
    with db.session() as session:
        row = session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.token_hash == token_hash(token))
        ).one_or_none()
        if row is None:
            return None
        staff_session, user = row
        if staff_session.expires_at <= utcnow():
            session.delete(staff_session)
            return None
        person = roster.get(user.roster_id)
        if not user.active or person is None:
            return None
        return LoggedIn(Staff(username=user.username, person=person), staff_session.csrf_token)


def end_session(db: Database, token: str) -> None:
    with db.session() as session:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


def add_user(db: Database, roster: Roster, username: str, roster_id: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AccountError("the username must be 2-64 lower-case letters, digits, '.', '_' or '-'")
    if roster.get(roster_id) is None:
        raise AccountError(f"there is no one with the id {roster_id!r} in the roster ({roster.source})")
    check_password_rules(password)
    with db.session() as session:
        if session.execute(select(StaffUser.id).where(StaffUser.username == username)).first():
            raise AccountError(f"the username {username!r} exists already")
        session.add(StaffUser(username=username, roster_id=roster_id, password_hash=hash_password(password)))


def set_password(db: Database, username: str, password: str) -> None:
    """Change the password and end every session of the account."""
    check_password_rules(password)
    with db.session() as session:
        user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        if user is None:
            raise AccountError(f"there is no user {username!r}")
        user.password_hash = hash_password(password)
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def list_accounts(db: Database) -> list[Account]:
    with db.session() as session:
        users = session.execute(select(StaffUser).order_by(StaffUser.username)).scalars()
        return [Account(u.username, u.roster_id, bool(u.active)) for u in users]
