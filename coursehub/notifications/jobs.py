"""Sending the outbox: the scheduled job behind `flask outbox send` and the scheduler.

Every e-mail was written to the outbox inside the transaction of the change it reports; this job
delivers what is due with Flask-Mail, one recipient per message, and retries with growing delays.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_mail import Attachment, Connection, Message
from sqlalchemy import select

from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 100
MAX_BACKOFF = timedelta(hours=1)
CALENDAR_METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH", "REPLY"})
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")
_ERROR_LENGTH = 200


@dataclass(frozen=True)
class SendResult:
    """What one run of the outbox job did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


class _Retry(Exception):
    """A temporary failure (connection trouble, a 4xx reply): try again later."""


class _GiveUp(Exception):
    """A permanent failure (a 5xx reply, a message that cannot be built): stop trying."""


def send_outbox(now: datetime) -> SendResult:
    """Send every outbox message that is due at `now`, oldest first, in one bounded batch."""
    if not current_app.config.get("MAIL_SERVER"):
        # The embedded default has no mail server: messages stay pending, readable by staff.
        return SendResult()
    batch = int(current_app.config.get("COURSEHUB_OUTBOX_BATCH", DEFAULT_BATCH))
    due_ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(*_is_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch)
    ))
    db.session.commit()  # end the read; each message gets its own short transaction below
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    sender = _Sender()
    try:
        for message_id in due_ids:
            outcome = _send_one(message_id, now, sender)
            if outcome:
                counts[outcome] += 1
    finally:
        sender.close()
    result = SendResult(**counts)
    if due_ids:
        logger.info("outbox run: sent %d, retrying %d, failed %d",
                    result.sent, result.retrying, result.failed)
    return result


def _is_due(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
    )


def _send_one(message_id: int, now: datetime, sender: _Sender) -> str | None:
    """Claim, send and record one message; return "sent", "retrying", "failed" or None."""
    message = _claim(message_id, now)
    if message is None:
        db.session.rollback()  # another sender has it, or has already sent it
        return None
    message.attempts += 1
    attempts = message.attempts
    try:
        sender.send(_build(message))
    except _Retry as error:
        outcome = _record_failure(message, now, str(error), permanent=False)
    except _GiveUp as error:
        outcome = _record_failure(message, now, str(error), permanent=True)
    else:
        message.sent_at = now
        message.last_error = None
        outcome = "sent"
    # This job is the outermost caller, so it commits - and it commits per message, right after
    # the send: a message handed to the server is recorded as sent at once, so neither a crash
    # later in the batch nor a second run (or a second sender) can send it a second time.
    db.session.commit()
    if outcome != "sent":
        logger.warning("outbox message %s %s after %d attempt(s)", message_id, outcome, attempts)
    return outcome


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Lock one due message for this sender, or return None when it is taken or done.

    PostgreSQL: the row lock (SKIP LOCKED) keeps a concurrent sender off it until we commit.
    SQLite: this transaction took the database's write lock at its BEGIN (coursehub.lib.database),
    so a second sender waits for our commit and then no longer finds the row due.
    """
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_is_due(now))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).first()


def _record_failure(message: OutboxMessage, now: datetime, error: str, *, permanent: bool) -> str:
    message.last_error = error[:_ERROR_LENGTH]
    max_attempts = int(current_app.config["COURSEHUB_OUTBOX_MAX_ATTEMPTS"])
    if permanent or message.attempts >= max_attempts:
        message.failed_at = now
        return "failed"
    message.next_attempt_at = now + backoff(message.attempts)
    return "retrying"


def backoff(attempts: int) -> timedelta:
    """Return the wait after `attempts` tries: 1, 2, 4, 8 ... minutes, at most one hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _build(message: OutboxMessage) -> Message:
    """Turn an outbox row into a Flask-Mail message: text, HTML alternative, calendar part."""
    try:
        built = Message(
            subject=message.subject,
            recipients=[message.recipient],
            body=message.body_text,
            html=message.body_html or None,
            # RFC 3834: out-of-office replies are not sent back to automatic mail.
            extra_headers={"Auto-Submitted": "auto-generated"},
        )
        built.msgId = _message_id(message)
        if message.calendar_ics:
            method = (message.calendar_method or "REQUEST").upper()
            if method not in CALENDAR_METHODS:
                raise ValueError("unknown calendar method")
            # Flask-Mail splits the content type once at "/" and writes the rest as it stands,
            # so the parameters ride along into the part's Content-Type header.
            built.attachments.append(Attachment(
                filename="inbjudan.ics",
                content_type=f"text/calendar; method={method}; charset=UTF-8",
                data=bytes(message.calendar_ics),
            ))
        if built.has_bad_headers():
            raise ValueError("line break in a header")
    except ValueError as error:
        raise _GiveUp(f"Meddelandet kunde inte byggas ({type(error).__name__})") from error
    return built


def _message_id(message: OutboxMessage) -> str:
    """Return a Message-ID fixed per outbox row, so that a resend could be recognised as one.

    Built from the configured server name and the row, with no personal data in it.
    """
    host = urlsplit(current_app.config["SERVER_NAME_FOR_LINKS"]).hostname or "coursehub.invalid"
    return f"<outbox.{message.id}.{int(message.created_at.timestamp())}@{host}>"


class _Sender:
    """One SMTP connection per run, opened on first use; reopened after a connection failure."""

    def __init__(self) -> None:
        self._connection: _TimedConnection | None = None
        self._down: str | None = None

    def send(self, message: Message) -> None:
        if self._down is not None:
            # The server did not answer earlier in this run: do not wait for it once per message.
            raise _Retry(self._down)
        try:
            if self._connection is None:
                self._connection = _TimedConnection(current_app.extensions["mail"]).__enter__()
            self._connection.send(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()), (0, b""))
            self._raise_for_reply(code, text)
        except (smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError) as error:
            # A refused greeting or login is about the server or our settings, not this message.
            self._give_up_run(error)
        except smtplib.SMTPResponseException as error:
            self._raise_for_reply(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            self._give_up_run(error)

    def _give_up_run(self, error: Exception) -> None:
        self._drop()
        self._down = f"Ingen kontakt med e-postservern ({type(error).__name__})"
        raise _Retry(self._down) from error

    def _raise_for_reply(self, code: int, text) -> None:
        reply = _short_reply(code, text)
        if code == 421:  # the server is closing the connection: reconnect next time
            self._drop()
        if 400 <= code < 500:
            raise _Retry(reply)
        raise _GiveUp(reply)

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and connection.host is not None:
            with contextlib.suppress(OSError):
                connection.host.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None or connection.host is None:
            return
        # What Flask-Mail's Connection.__exit__ does. Every message is already recorded; a failed
        # QUIT changes nothing.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.host.quit()


def _short_reply(code: int, text) -> str:
    """Return the server's reply in short, with e-mail addresses taken out (no personal data)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = _ADDRESS.sub("<adress>", " ".join(str(text).split()))
    return f"Servern svarade {code} {text}".strip()[:_ERROR_LENGTH]


class _TimedConnection(Connection):
    """Flask-Mail's connection with a socket time-out, and never "suppressed".

    Flask-Mail suppresses sending whenever the app is TESTING; the outbox has its own switch
    (no MAIL_SERVER: nothing is sent), so a configured server is always really used.
    """

    def __enter__(self):
        self.host = self.configure_host()
        self.num_emails = 0
        return self

    def configure_host(self):
        state = self.mail
        timeout = current_app.config.get("MAIL_TIMEOUT", 10)
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host
