"""What staff do with cases: list, view, claim, set the state, reassign, reply, discard a draft.

Who may see a case is decided here, once, for the list, the case page and every action:
a coordinator sees every case (also the BIZ queue, municipality None); a case manager sees the
cases of their municipality and the cases assigned to them. A case someone may not see is
reported as :class:`CaseNotFound`, exactly like a case that does not exist, so the inbox never
reveals that it exists. Every view and change is written to the audit log, without content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.handoff import service
from bot.handoff.db import Database
from bot.handoff.models import Case, ReplyDraft, StaffUser, utcnow
from bot.handoff.roster import Person, Roster
from bot.handoff.service import CaseError, audit

OPEN_DRAFT_STATES = ("pending", "ready", "unavailable", "failed")
# What "Status setzen" offers: the target state and the states it may come from.
STATE_CHANGES: dict[str, tuple[str, ...]] = {
    "waiting": ("open", "claimed"),
    "closed": ("open", "claimed", "waiting"),
    "reopen": ("waiting", "closed"),
}
LIST_LIMIT = 200


class CaseNotFound(LookupError):
    """No such case, or one this staff member may not see (indistinguishable on purpose)."""


class NotAllowed(PermissionError):
    """The staff member sees the case but may not do this (a case manager reassigning)."""


class ActionRefused(CaseError):
    """The case's state does not allow the action; the message is German and safe to show staff."""


@dataclass(frozen=True)
class Staff:
    """A logged-in staff member: the account's username and the roster person behind it."""

    username: str
    person: Person

    @property
    def is_coordinator(self) -> bool:
        return self.person.is_coordinator


@dataclass(frozen=True)
class CaseRow:
    id: int
    created_at: datetime
    state: str
    municipality: str | None
    district: str | None
    topics: tuple[str, ...]
    language: str
    assignee: str | None
    urgency: str
    flag_emergency: bool
    flag_health: bool


@dataclass(frozen=True)
class ThreadMessage:
    id: int
    created_at: datetime
    direction: str  # from_user | to_user
    author: str | None  # staff username for to_user
    text: str
    language: str
    translated_text: str | None
    translated_language: str
    translation_state: str
    machine_translated: bool
    delivered_at: datetime | None


@dataclass(frozen=True)
class Draft:
    id: int
    author: str
    text: str
    language: str
    translated_text: str | None
    back_translation: str | None
    machine_translated: bool
    state: str


@dataclass(frozen=True)
class CaseDetail:
    case: CaseRow
    summary_de: str
    closed_at: datetime | None
    messages: tuple[ThreadMessage, ...]
    draft: Draft | None  # the open draft (not yet sent or discarded), if any
    author_names: dict[str, str] = field(default_factory=dict)  # staff username -> roster name


def visible_to(staff: Staff) -> ColumnElement:
    """The SQL condition for the cases ``staff`` may see."""
    if staff.is_coordinator:
        return true()
    mine = [Case.assignee == staff.person.id]
    if staff.person.municipality:
        mine.append(Case.municipality == staff.person.municipality)
    return or_(*mine) if mine else false()


def can_see(staff: Staff, case: Case) -> bool:
    return (
        staff.is_coordinator
        or case.assignee == staff.person.id
        or (staff.person.municipality is not None and case.municipality == staff.person.municipality)
    )


def _load(session: Session, staff: Staff, case_id: int, *, for_update: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id, visible_to(staff))
    if for_update:
        query = query.with_for_update()
    case = session.execute(query).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(case_id)
    return case


def _row(case: Case) -> CaseRow:
    return CaseRow(
        id=case.id,
        created_at=case.created_at,
        state=case.state,
        municipality=case.municipality,
        district=case.district,
        topics=tuple(case.topics or ()),
        language=case.language,
        assignee=case.assignee,
        urgency=case.urgency,
        flag_emergency=bool(case.flag_emergency),
        flag_health=bool(case.flag_health),
    )


def list_cases(db: Database, staff: Staff, *, state: str | None = None, mine: bool = False) -> list[CaseRow]:
    """The cases ``staff`` may see, newest first. ``state`` "active" means every state but closed."""
    query = select(Case).where(visible_to(staff))
    if state == "active":
        query = query.where(Case.state != "closed")
    elif state:
        query = query.where(Case.state == state)
    if mine:
        query = query.where(Case.assignee == staff.person.id)
    with db.session() as session:
        cases = session.execute(query.order_by(Case.id.desc()).limit(LIST_LIMIT)).scalars().all()
        return [_row(case) for case in cases]


def _open_draft(session: Session, case_id: int) -> ReplyDraft | None:
    return session.execute(
        select(ReplyDraft)
        .where(ReplyDraft.case_id == case_id, ReplyDraft.state.in_(OPEN_DRAFT_STATES))
        .order_by(ReplyDraft.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _names(session: Session, roster: Roster, usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    users = session.execute(select(StaffUser).where(StaffUser.username.in_(usernames))).scalars()
    names = {}
    for user in users:
        person = roster.get(user.roster_id)
        names[user.username] = person.name if person else user.username
    return names


def view_case(db: Database, roster: Roster, staff: Staff, case_id: int) -> CaseDetail:
    """The case with its thread and open draft; audited as a view."""
    with db.session() as session:
        case = _load(session, staff, case_id)
        messages = tuple(
            ThreadMessage(
                id=m.id,
                created_at=m.created_at,
                direction=m.direction,
                author=m.author,
                text=m.text,
                language=m.language,
                translated_text=m.translated_text,
                translated_language=m.translated_language,
                translation_state=m.translation_state,
                machine_translated=bool(m.machine_translated),
                delivered_at=m.delivered_at,
            )
            for m in case.messages
        )
        open_draft = _open_draft(session, case.id)
        draft = (
            Draft(
                id=open_draft.id,
                author=open_draft.author,
                text=open_draft.text,
                language=open_draft.language,
                translated_text=open_draft.translated_text,
                back_translation=open_draft.back_translation,
                machine_translated=bool(open_draft.machine_translated),
                state=open_draft.state,
            )
            if open_draft
            else None
        )
        authors = {m.author for m in messages if m.author} | ({draft.author} if draft else set())
        detail = CaseDetail(
            case=_row(case),
            summary_de=case.summary_de,
            closed_at=case.closed_at,
            messages=messages,
            draft=draft,
            author_names=_names(session, roster, authors),
        )
        audit(session, staff.username, "view", case.id)
        return detail


def claim(db: Database, staff: Staff, case_id: int) -> None:
    """Take the case: it is assigned to ``staff`` and counts as claimed."""
    with db.session() as session:
        case = _load(session, staff, case_id, for_update=True)
        if case.state == "closed":
            raise ActionRefused("Der Fall ist geschlossen. Bitte zuerst wieder öffnen.")
        case.assignee = staff.person.id
        if case.state == "open":
            case.state = "claimed"
        case.updated_at = utcnow()
        audit(session, staff.username, "claim", case.id)


def set_state(db: Database, staff: Staff, case_id: int, change: str) -> str:
    """Set the case waiting, closed (dated, for the retention period) or reopen it; returns the state."""
    if change not in STATE_CHANGES:
        raise ActionRefused("Unbekannter Status.")
    with db.session() as session:
        case = _load(session, staff, case_id, for_update=True)
        if case.state not in STATE_CHANGES[change]:
            raise ActionRefused("Dieser Status passt nicht zum jetzigen Stand des Falls.")
        now = utcnow()
        if change == "reopen":
            case.state = "claimed" if case.assignee else "open"
            case.closed_at = None
        else:
            case.state = change
            case.closed_at = now if change == "closed" else None
        case.updated_at = now
        audit(session, staff.username, "state", case.id, f"state={case.state}")
        return case.state


def reassign(db: Database, roster: Roster, staff: Staff, case_id: int, person_id: str) -> None:
    """Coordinators only: give the case to another case manager (who then has to claim it)."""
    with db.session() as session:
        case = _load(session, staff, case_id, for_update=True)
        if not staff.is_coordinator:
            raise NotAllowed("only coordinators reassign")
        person = roster.get(person_id)
        if person is None or person.role != "case_manager":
            raise ActionRefused("Bitte eine Fallmanagerin oder einen Fallmanager aus der Liste wählen.")
        if case.state == "closed":
            raise ActionRefused("Der Fall ist geschlossen. Bitte zuerst wieder öffnen.")
        case.assignee = person.id
        if case.state == "claimed":
            case.state = "open"
        case.updated_at = utcnow()
        audit(session, staff.username, "reassign", case.id, f"to={person.id}")


def start_reply(db: Database, staff: Staff, case_id: int, text: str) -> int:
    """Queue a German reply for translation (the worker translates it); returns the draft id."""
    with db.session() as session:
        case = _load(session, staff, case_id)
        if case.state == "closed":
            raise ActionRefused("Der Fall ist geschlossen. Bitte zuerst wieder öffnen.")
        if _open_draft(session, case.id) is not None:
            raise ActionRefused("Es gibt schon einen Entwurf. Bitte erst senden oder verwerfen.")
    return service.create_draft(db, case_id, staff.username, text)


def _draft(session: Session, staff: Staff, case_id: int, draft_id: int) -> ReplyDraft:
    _load(session, staff, case_id)
    draft = session.get(ReplyDraft, draft_id)
    if draft is None or draft.case_id != case_id:
        raise CaseNotFound(case_id)
    return draft


def send_reply(db: Database, staff: Staff, case_id: int, draft_id: int) -> int:
    """Send the author's own draft: it goes into the outbox and the case waits for the user."""
    with db.session() as session:
        draft = _draft(session, staff, case_id, draft_id)
        if draft.author != staff.username:
            raise ActionRefused("Nur wer den Entwurf geschrieben hat, kann ihn senden.")
        if draft.state == "pending":
            raise ActionRefused("Die Übersetzung wird noch erstellt. Bitte einen Moment warten.")
        if draft.state not in OPEN_DRAFT_STATES:
            raise ActionRefused("Dieser Entwurf wurde schon gesendet oder verworfen.")
    try:
        return service.send_draft(db, draft_id, staff.username)
    except CaseError:
        raise ActionRefused("Die Antwort kann nicht gesendet werden: der Fall ist geschlossen.") from None


def discard_draft(db: Database, staff: Staff, case_id: int, draft_id: int) -> None:
    """Throw an open draft away (anyone who sees the case may, so a forgotten draft does not block it)."""
    with db.session() as session:
        draft = _draft(session, staff, case_id, draft_id)
        if draft.state not in OPEN_DRAFT_STATES:
            raise ActionRefused("Dieser Entwurf wurde schon gesendet oder verworfen.")
        draft.state = "discarded"
        audit(session, staff.username, "discard", case_id)
