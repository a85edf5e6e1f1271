"""Notice mails to case managers: a case number and a link to the inbox, never personal data.

Mail leaves the Kreis network unencrypted more often than not, so the notice says only that a
case is waiting and where; everything else is behind the inbox login. Sending is plain
:mod:`smtplib` (blocking): call :func:`send_notice` from a worker thread, or await
:func:`send_notice_async`.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from bot.config import Settings

TIMEOUT_S = 30.0
BIZ_QUEUE = "BIZ-Koordination (ohne Gemeinde)"


class MailError(Exception):
    """Sending failed. Carries only the error's class name: SMTP replies may echo addresses."""


def case_link(settings: Settings, case_id: int) -> str:
    return f"{settings.inbox_url}/cases/{case_id}"


def build_notice(settings: Settings, recipient: str, case_id: int, municipality: str | None) -> EmailMessage:
    """The notice about a new case: number, municipality (or the BIZ queue) and the inbox link."""
    message = EmailMessage()
    message["Subject"] = f"Neuer KIM-Fall #{case_id}"
    message["From"] = settings.smtp_from
    message["To"] = recipient
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.smtp_from)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        "Guten Tag,\n\n"
        f"im KIM-Assistenten ist ein neuer Fall eingegangen: Fall #{case_id}\n"
        f"Zuständigkeit: {municipality or BIZ_QUEUE}\n\n"
        f"Bitte öffnen Sie den Fall im KIM-Posteingang:\n{case_link(settings, case_id)}\n\n"
        "Aus Datenschutzgründen enthält diese E-Mail keine Angaben zur Person; "
        "alle Angaben finden Sie nach der Anmeldung im Posteingang.\n\n"
        "Diese Nachricht wurde automatisch erstellt. Bitte antworten Sie nicht auf diese E-Mail.\n"
    )
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """Deliver ``message`` to the configured SMTP server (STARTTLS and login when configured)."""
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(type(exc).__name__) from None
    try:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(type(exc).__name__) from None
    finally:
        _quit(smtp)


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; a failure now must not turn a delivered mail into a retried (duplicate) one."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def send_notice(settings: Settings, recipient: str, case_id: int, municipality: str | None) -> None:
    """Build and send the new-case notice (blocking). Raises :class:`MailError`."""
    send(settings, build_notice(settings, recipient, case_id, municipality))


async def send_notice_async(
    settings: Settings, recipient: str, case_id: int, municipality: str | None
) -> None:
    """:func:`send_notice` in a thread, so the event loop is never blocked by the SMTP server."""
    await asyncio.to_thread(send_notice, settings, recipient, case_id, municipality)
