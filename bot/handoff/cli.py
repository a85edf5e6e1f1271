"""``python -m bot db upgrade`` and ``python -m bot cases purge|stats``: the handoff database by hand.

``cases purge`` is meant for a daily cron job or systemd timer: it deletes the cases closed longer
ago than the retention period (``KIM_RETENTION_DAYS``). Nothing here prints personal data or the
database URL (it may hold a password); ``stats`` prints counts only.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from alembic.migration import MigrationContext
from sqlalchemy import func, select

from bot.config import Settings
from bot.handoff.db import Database, database
from bot.handoff.models import CASE_STATES, Case, Message, Notification, ReplyDraft
from bot.handoff.service import purge_closed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the actions of ``db`` or ``cases`` (this module serves both commands)."""
    command = parser.prog.split()[-1]
    sub = parser.add_subparsers(dest="action", required=True)
    if command == "db":
        sub.add_parser("upgrade", help="create or migrate the handoff tables (DATABASE_URL or var/kim.db)")
        return
    purge = sub.add_parser("purge", help="delete cases closed longer ago than the retention period")
    purge.add_argument(
        "--days",
        type=_days,
        default=None,
        help="retention period in days (default: KIM_RETENTION_DAYS, 90)",
    )
    sub.add_parser("stats", help="how many cases per state, and the queued work (counts only)")


def _days(raw: str) -> int:
    try:
        days = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError("at least 1 day")
    return days


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if args.action == "upgrade":
        return _upgrade(settings)
    db = database(settings.db_url)
    if args.action == "purge":
        days = settings.retention_days if args.days is None else args.days
        return _purge(db, days)
    return _stats(db)


def _upgrade(settings: Settings) -> int:
    db = Database(settings.db_url)
    db.migrate()
    with db.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    print(f"database schema is at revision {revision}")
    return 0


def _purge(db: Database, days: int) -> int:
    deleted = purge_closed(db, timedelta(days=days))
    print(f"deleted {deleted} case(s) closed more than {days} days ago")
    return 0


def _stats(db: Database) -> int:
    with db.session() as session:
        cases = dict(session.execute(select(Case.state, func.count()).group_by(Case.state)).all())
        mails = dict(
            session.execute(select(Notification.state, func.count()).group_by(Notification.state)).all()
        )
        translations = session.execute(
            select(func.count()).select_from(Message).where(Message.translation_state == "pending")
        ).scalar_one()
        drafts = session.execute(
            select(func.count()).select_from(ReplyDraft).where(ReplyDraft.state == "pending")
        ).scalar_one()
    for state in [*CASE_STATES, *sorted(set(cases) - set(CASE_STATES))]:
        print(f"cases {state}: {cases.get(state, 0)}")
    for state in sorted(mails):
        print(f"mails {state}: {mails[state]}")
    print(f"translations pending: {translations}")
    print(f"drafts pending: {drafts}")
    return 0
