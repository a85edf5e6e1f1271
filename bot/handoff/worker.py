"""The handoff's queued work: translate user messages and reply drafts, send notice mails.

The queue is the database: rows in state ``pending``. Several workers (processes or hosts) may
run on one database at once:

* translations: on PostgreSQL the row is taken with ``SELECT ... FOR UPDATE SKIP LOCKED`` and
  stays locked while the model runs, so no two workers translate the same row. SQLite has no row
  locks: there the result is written with ``UPDATE ... WHERE state = 'pending'``, so the first
  worker's result counts and a second one at worst repeats the work, never overwrites it.
* mails: a worker leases a due row with ``UPDATE ... SET next_attempt_at = now + lease WHERE
  state = 'pending' AND next_attempt_at <= now`` and sends only if it changed that one row; a
  worker that dies while sending leaves the row to be retried when the lease runs out.

Model runs and SMTP block, so each job runs in a thread (``asyncio.to_thread``). Only counts
and error class names are logged, never text, addresses or case data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update

from bot.config import Settings
from bot.handoff import mail
from bot.handoff.db import Database
from bot.handoff.models import Case, Message, Notification, ReplyDraft, utcnow
from bot.handoff.service import STAFF_LANGUAGE
from bot.translation.engine import BackTranslation, Translation
from bot.translation.errors import TranslationError, TranslationUnavailable

log = logging.getLogger(__name__)

BATCH = 20  # rows per job and round, so one round stays short
LEASE = timedelta(minutes=10)  # how long a claimed mail is left to its worker (SMTP timeout: 30 s)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 12  # then the mail is "failed" (the case is still in the inbox)


class Translator(Protocol):
    """What the worker needs of :mod:`bot.translation.api` (or a ``TranslationEngine``)."""

    def translate(self, text: str, src: str, tgt: str) -> Translation: ...

    def back_translate(self, text: str, src: str, tgt: str) -> BackTranslation: ...


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed try: 30 s, 1 min, 2 min, ... at most 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


def _failure(exc: Exception) -> str:
    if isinstance(exc, TranslationUnavailable):
        return "unavailable"
    if not isinstance(exc, TranslationError):  # a bug or a crashed model: keep the row out of the queue
        log.warning("translation failed unexpectedly (%s)", type(exc).__name__)
    return "failed"


class Worker:
    """Carries out the queued work of one database; run as many as you like."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        translator: Translator | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        batch: int = BATCH,
    ) -> None:
        if translator is None:
            from bot.translation import api

            translator = api  # the module's translate/back_translate on the shared engine
        self.db = db
        self.settings = settings
        self.translator = translator
        self.clock = clock  # naive UTC, like the database; tests move it forward
        self.batch = batch
        self._said_disabled = False

    async def run_once(self) -> dict[str, int]:
        """One round of every job; returns how many rows each job finished."""
        counts = {
            "messages": await asyncio.to_thread(self.translate_messages),
            "drafts": await asyncio.to_thread(self.translate_drafts),
            "mails": await asyncio.to_thread(self.send_mails),
        }
        if any(counts.values()):
            log.info(
                "handoff worker: %d messages, %d drafts, %d mails",
                counts["messages"],
                counts["drafts"],
                counts["mails"],
            )
        return counts

    async def run_forever(self, stop: asyncio.Event, interval: float = 0.5) -> None:
        """Rounds until ``stop`` is set; waits ``interval`` seconds after a round with nothing to do."""
        while not stop.is_set():
            try:
                counts = await self.run_once()
            except Exception as exc:  # the database is away, say: keep going, it comes back
                log.warning("handoff worker: round failed (%s)", type(exc).__name__)
                counts = {}
            if any(counts.values()):
                continue  # there may be more
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    # -- translations ---------------------------------------------------------------------------

    def translate_messages(self) -> int:
        """User messages waiting for their German translation."""

        def work(row: Any) -> dict[str, Any]:
            result = self.translator.translate(row.text, row.language, row.translated_language)
            return {
                "translated_text": result.text,
                "machine_translated": result.machine_translated,
                "translation_state": "done",
            }

        columns = (Message.id, Message.text, Message.language, Message.translated_language)
        return self._drain(Message, Message.translation_state, columns, work)

    def translate_drafts(self) -> int:
        """Case managers' German replies: into the user's language and back, for checking."""

        def work(row: Any) -> dict[str, Any]:
            result = self.translator.back_translate(row.text, STAFF_LANGUAGE, row.language)
            return {
                "translated_text": result.forward.text,
                "back_translation": result.back.text,
                "machine_translated": result.forward.machine_translated,
                "state": "ready",
            }

        columns = (ReplyDraft.id, ReplyDraft.text, ReplyDraft.language)
        return self._drain(ReplyDraft, ReplyDraft.state, columns, work)

    def _drain(
        self, table: Any, state: Any, columns: tuple[Any, ...], work: Callable[[Any], dict[str, Any]]
    ) -> int:
        """Up to ``batch`` pending rows of ``table``, one at a time: ``work`` gives the new values.

        A failed ``work`` sets ``state`` to unavailable/failed. The write is conditional on the row
        still being pending, so a second worker never overwrites the first one's result.
        """
        done = 0
        for _ in range(self.batch):
            with self.db.session() as session:
                row = session.execute(
                    select(*columns)
                    .where(state == "pending")
                    .order_by(table.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)  # PostgreSQL; SQLite leaves it out
                ).first()
                if row is None:
                    break
                try:
                    values = work(row)
                except Exception as exc:
                    values = {state.key: _failure(exc)}
                done += session.execute(
                    update(table)
                    .where(table.id == row.id, state == "pending")
                    .values(**values)
                    .execution_options(synchronize_session=False)
                ).rowcount
        return done

    # -- mails ----------------------------------------------------------------------------------

    def send_mails(self) -> int:
        """Notice mails that are due; without an SMTP server they are marked ``disabled``."""
        now = self.clock()
        if not self.settings.smtp_host:
            return self._disable_mails()
        with self.db.session() as session:
            due = (
                session.execute(
                    select(Notification.id)
                    .where(Notification.state == "pending", Notification.next_attempt_at <= now)
                    .order_by(Notification.next_attempt_at, Notification.id)
                    .limit(self.batch)
                )
                .scalars()
                .all()
            )
        handled = 0
        for notification_id in due:
            job = self._claim_mail(notification_id, now)
            if job is None:
                continue  # another worker has it, or the case was deleted
            recipient, attempts, case_id, municipality = job
            try:
                mail.send_notice(self.settings, recipient, case_id, municipality)
                error = None
            except mail.MailError as exc:
                error = str(exc)
            except Exception as exc:  # a bug must not lose the mail: retried like an SMTP failure
                error = type(exc).__name__
            self._finish_mail(notification_id, attempts, error)
            handled += 1
        return handled

    def _disable_mails(self) -> int:
        with self.db.session() as session:
            disabled = session.execute(
                update(Notification)
                .where(Notification.state == "pending")
                .values(state="disabled")
                .execution_options(synchronize_session=False)
            ).rowcount
        if disabled and not self._said_disabled:
            log.warning("KIM_SMTP_HOST is not set: notice mails are not sent (marked disabled)")
            self._said_disabled = True
        return disabled

    def _claim_mail(self, notification_id: int, now: datetime) -> tuple[str, int, int, str | None] | None:
        with self.db.session() as session:
            claimed = session.execute(
                update(Notification)
                .where(
                    Notification.id == notification_id,
                    Notification.state == "pending",
                    Notification.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + LEASE)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1:
                return None
            row = session.execute(
                select(Notification.recipient, Notification.attempts, Notification.case_id, Case.municipality)
                .join(Case, Case.id == Notification.case_id)
                .where(Notification.id == notification_id)
            ).first()
            return None if row is None else (row.recipient, row.attempts, row.case_id, row.municipality)

    def _finish_mail(self, notification_id: int, attempts: int, error: str | None) -> None:
        now = self.clock()
        values: dict[str, Any]
        if error is None:
            values = {"state": "sent", "sent_at": now, "last_error": None}
        else:
            attempts += 1
            values = {
                "attempts": attempts,
                "last_error": error[:200],
                "next_attempt_at": now + retry_delay(attempts),
                "state": "failed" if attempts >= MAX_ATTEMPTS else "pending",
            }
            log.warning("notice mail not sent (%s), attempt %d of %d", error, attempts, MAX_ATTEMPTS)
        with self.db.session() as session:
            session.execute(
                update(Notification)
                .where(Notification.id == notification_id, Notification.state == "pending")
                .values(**values)
                .execution_options(synchronize_session=False)
            )
