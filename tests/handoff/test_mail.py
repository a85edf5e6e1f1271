"""Notice mails over a real SMTP exchange: one per new case, no personal data, retried until sent."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from aiosmtpd.smtp import AuthResult

from bot.config import Settings
from bot.handoff import mail, service
from bot.handoff.db import Database
from bot.handoff.models import Notification
from bot.handoff.roster import Roster
from bot.handoff.summary import labels
from bot.handoff.worker import MAX_ATTEMPTS, Worker, retry_delay
from tests.handoff.conftest import INBOX, Clock, SmtpServer
from tests.handoff.factories import CONTACT, DESCRIPTION_UK, NAME, count, intake, our_log, rows


class NoTranslation:
    """The mail tests do not need a model; user messages end up 'unavailable'."""

    def translate(self, text: str, src: str, tgt: str):  # type: ignore[no-untyped-def]
        from bot.translation import TranslationUnavailable

        raise TranslationUnavailable("not in the mail tests")

    back_translate = translate


def _worker(db: Database, settings: Settings, clock: Clock) -> Worker:
    return Worker(db, settings, translator=NoTranslation(), clock=clock)


def _mail(db: Database) -> Notification:
    [notification] = rows(db, Notification)
    return notification


async def test_new_case_sends_one_notice_without_personal_data(
    db: Database, roster: Roster, smtp_server: SmtpServer, mail_settings: Settings, clock: Clock
) -> None:
    smtp_server.start()
    case_id = service.create_case(
        db, roster, intake(topics=("ask_housing", "ask_school"), residence_status="duldung")
    ).case_id

    assert (await _worker(db, mail_settings, clock).run_once())["mails"] == 1

    [envelope] = smtp_server.mailbox.envelopes
    assert envelope.rcpt_tos == ["kim-paderborn-nord@example.org"]
    assert envelope.mail_from == "kim-assistent@kreis-paderborn.example"
    [message] = smtp_server.mailbox.messages
    assert message["Subject"] == f"Neuer KIM-Fall #{case_id}"
    body = message.get_content()
    assert f"{INBOX}/cases/{case_id}" in body
    assert "Paderborn" in body
    everything = message.as_string() + body
    names = labels()
    for private in (
        NAME,
        "Oksana",
        CONTACT,
        DESCRIPTION_UK,
        "Elsen",
        "ask_housing",
        names["topics"]["ask_housing"],
        names["topics"]["ask_school"],
        names["residence_status"]["duldung"],
        "conv-oksana",
    ):
        assert private not in everything
    notification = _mail(db)
    assert (notification.state, notification.attempts, notification.last_error) == ("sent", 0, None)
    assert notification.sent_at == clock.now
    assert (await _worker(db, mail_settings, clock).run_once())["mails"] == 0
    assert len(smtp_server.mailbox.envelopes) == 1


async def test_case_without_municipality_notifies_the_biz_coordination(
    db: Database, roster: Roster, smtp_server: SmtpServer, mail_settings: Settings, clock: Clock
) -> None:
    smtp_server.start()
    service.create_case(db, roster, intake(municipality=None, district=None))

    await _worker(db, mail_settings, clock).run_once()

    [envelope] = smtp_server.mailbox.envelopes
    assert envelope.rcpt_tos == ["kim-koordination@example.org"]
    assert "BIZ-Koordination (ohne Gemeinde)" in smtp_server.mailbox.messages[0].get_content()


async def test_lost_smtp_server_keeps_the_mail_queued_until_it_is_back(
    db: Database, roster: Roster, smtp_server: SmtpServer, mail_settings: Settings, clock: Clock
) -> None:
    worker = _worker(db, mail_settings, clock)
    case_id = service.create_case(db, roster, intake()).case_id  # nothing listens on the port yet
    assert service.has_open_case(db, "webchat", "conv-oksana")

    assert (await worker.run_once())["mails"] == 1

    notification = _mail(db)
    assert (notification.state, notification.attempts) == ("pending", 1)
    assert notification.next_attempt_at == clock.now + timedelta(seconds=30)
    assert notification.last_error == "ConnectionRefusedError"
    # Not due yet: nothing happens even though the server is back.
    smtp_server.start()
    clock.advance(timedelta(seconds=29))
    assert (await worker.run_once())["mails"] == 0
    assert smtp_server.mailbox.envelopes == []

    clock.advance(timedelta(seconds=2))
    assert (await worker.run_once())["mails"] == 1
    clock.advance(timedelta(hours=2))
    assert (await worker.run_once())["mails"] == 0

    assert len(smtp_server.mailbox.envelopes) == 1
    assert smtp_server.mailbox.messages[0]["Subject"] == f"Neuer KIM-Fall #{case_id}"
    notification = _mail(db)
    assert (notification.state, notification.attempts, notification.last_error) == ("sent", 1, None)


async def test_mail_gives_up_after_the_last_attempt_with_growing_pauses(
    db: Database, roster: Roster, mail_settings: Settings, clock: Clock
) -> None:
    worker = _worker(db, mail_settings, clock)
    service.create_case(db, roster, intake())
    pauses = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert (await worker.run_once())["mails"] == 1
        notification = _mail(db)
        assert notification.attempts == attempt
        pauses.append(notification.next_attempt_at - clock.now)
        clock.advance(timedelta(hours=1))

    assert _mail(db).state == "failed"
    assert pauses[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert max(pauses) == timedelta(hours=1) == retry_delay(MAX_ATTEMPTS)
    assert (await worker.run_once())["mails"] == 0


async def test_without_smtp_host_mails_are_disabled(
    db: Database, roster: Roster, smtp_server: SmtpServer, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    smtp_server.start()
    worker = _worker(db, Settings(smtp_host="", smtp_port=smtp_server.port), clock)
    service.create_case(db, roster, intake())
    service.create_case(db, roster, intake(municipality=None, channel_user="conv-2"))

    assert (await worker.run_once())["mails"] == 2
    service.create_case(db, roster, intake(channel_user="conv-3"))
    assert (await worker.run_once())["mails"] == 1

    assert count(db, Notification, state="disabled") == 3
    assert smtp_server.mailbox.envelopes == []
    logged = our_log(caplog.records)
    assert logged.count("KIM_SMTP_HOST is not set") == 1  # said once, not every round
    assert "example.org" not in logged


async def test_refused_recipient_error_keeps_no_address(
    db: Database,
    roster: Roster,
    smtp_server: SmtpServer,
    mail_settings: Settings,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    smtp_server.mailbox.refuse.add("kim-paderborn-nord@example.org")
    smtp_server.start()
    service.create_case(db, roster, intake())

    await _worker(db, mail_settings, clock).run_once()

    notification = _mail(db)
    assert (notification.state, notification.attempts) == ("pending", 1)
    assert notification.last_error == "SMTPRecipientsRefused"
    logged = our_log(caplog.records)
    assert "SMTPRecipientsRefused" in logged
    assert "example.org" not in logged


def test_mail_error_carries_only_the_error_class(mail_settings: Settings, smtp_server: SmtpServer) -> None:
    smtp_server.mailbox.refuse.add("someone@example.org")
    smtp_server.start()
    with pytest.raises(mail.MailError) as info:
        mail.send_notice(mail_settings, "someone@example.org", 7, "Büren")
    assert str(info.value) == "SMTPRecipientsRefused"
    assert info.value.__cause__ is None and info.value.__suppress_context__


async def test_login_when_a_user_is_configured(
    db: Database, roster: Roster, smtp_server: SmtpServer, mail_settings: Settings, clock: Clock
) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    smtp_server.start(authenticator=authenticator, auth_require_tls=False)
    settings = replace(mail_settings, smtp_user="kim", smtp_password="s3cret")
    service.create_case(db, roster, intake())

    await _worker(db, settings, clock).run_once()

    assert logins == [(b"kim", b"s3cret")]
    assert _mail(db).state == "sent"
    # A wrong password is a failed attempt, not a crash.
    service.create_case(db, roster, intake(channel_user="conv-2"))
    await _worker(db, replace(settings, smtp_password="wrong"), clock).run_once()
    assert [n.last_error for n in rows(db, Notification)] == [None, "SMTPAuthenticationError"]
    assert len(smtp_server.mailbox.envelopes) == 1


async def test_two_workers_send_each_notice_once(
    db: Database, roster: Roster, smtp_server: SmtpServer, mail_settings: Settings, clock: Clock
) -> None:
    smtp_server.start()
    for n in range(5):
        service.create_case(db, roster, intake(channel_user=f"conv-{n}"))
    workers = [_worker(db, mail_settings, clock) for _ in range(3)]

    counts = await asyncio.gather(*(w.run_once() for w in workers))

    assert sum(c["mails"] for c in counts) == 5
    assert len(smtp_server.mailbox.envelopes) == 5
    assert sorted(m["Subject"] for m in smtp_server.mailbox.messages) == sorted(
        f"Neuer KIM-Fall #{n.case_id}" for n in rows(db, Notification)
    )
    assert count(db, Notification, state="sent") == 5


async def test_starttls_configured_never_falls_back_to_plain_text(
    db: Database, roster: Roster, smtp_server: SmtpServer, mail_settings: Settings, clock: Clock
) -> None:
    smtp_server.start()  # offers no STARTTLS
    service.create_case(db, roster, intake())

    await _worker(db, replace(mail_settings, smtp_starttls=True), clock).run_once()

    assert smtp_server.mailbox.envelopes == []
    notification = _mail(db)
    assert (notification.state, notification.last_error) == ("pending", "SMTPNotSupportedError")
