"""Sending the outbox: the scheduled job behind `flask outbox send` and the scheduler.

Every e-mail was written to the outbox inside the transaction of the change it reports; this job
delivers what is due with Flask-Mail, one recipient per message, and retries with growing delays.

One message never stops the batch. Whatever goes wrong while building or sending one message (an
address the mail library cannot encode, a domain without an IDNA form, a calendar part that cannot
be read, a reply the server refuses, any unexpected error) marks that message failed with a
reason staff can read on the outbox page, and the run goes on with the next. Templates are not
rendered here: `services.queue_email` stores the rendered text, and keeps a message whose template
fails as a failed message without text, which this job never sends. Only what is not
about one message - the server cannot be reached, the sender address in the settings cannot be
sent - is a retry for every message of the run, never a failure of theirs.

Several senders at once (two scheduler processes, `flask outbox send` beside the scheduler, or
more senders for throughput) share the outbox without sending anything twice:

- A run first claims its batch in one transaction: the due messages, oldest first, get
  `next_attempt_at` moved a lease ahead (`CLAIM_LEASE`), so other senders no longer find them
  due and take the next ones. On PostgreSQL the claim reads with `FOR UPDATE SKIP LOCKED`, so
  two claims at the same moment take different rows without waiting; on SQLite the claim's
  transaction holds the database's write lock (coursehub.lib.database), so claims take turns.
  Should a sender die mid-batch, what it had not sent is due again when the lease runs out.
- Each message is then locked on its own row again while it is sent and recorded (and checked
  still unsent, and read as it is now), so that even a message put back in line by staff during
  a run goes out once. These three statements and the commit are plain Core statements: the
  ORM's unit of work cost more than the SQL.
- One SMTP connection serves the whole batch.

No SMTPUTF8. The mail path sends plain ASCII envelopes and headers and does not use the SMTPUTF8
extension (RFC 6531), even where the relay offers it: then every relay on the way, and the
recipient's own server, would have to offer it too, and a refusal would come back days later as a
bounce that nobody reads. So the one address rule (`coursehub.lib.email_address`) refuses a
non-ASCII part before the @ where a person types it, with a message beside the field, and stores
an internationalised domain in its ASCII (IDNA) form, which every server carries. This job applies
the same rule again to each recipient before sending, so that an old row from before the rule, or
one written by a script, fails cleanly with the rule's own reason (and is sent to the stored form
of an address the rule accepts, such as the ASCII form of an IDN domain). Staff can then correct
the address on the outbox page (`services.correct_recipient`), which puts the message back in line.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.generator import BytesGenerator
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import EmailPolicy, compat32
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_mail import Connection, Message, sanitize_address
from icalendar import Calendar
from sqlalchemy import Row, Table, select, update

from coursehub.extensions import db
from coursehub.lib.email_address import InvalidEmailAddress, normalise_email
from coursehub.notifications import services
from coursehub.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 100
# How long a claimed batch stays with its sender: longer than a batch can take to send.
CLAIM_LEASE = timedelta(minutes=10)
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


class _CalendarProblem(Exception):
    """The calendar part of a message cannot be sent; str(error) says why, in Swedish."""


def send_outbox(now: datetime) -> SendResult:
    """Send every outbox message that is due at `now`, oldest first, in one bounded batch."""
    if not current_app.config.get("MAIL_SERVER"):
        # The embedded default has no mail server: messages stay pending, readable by staff.
        return SendResult()
    batch = int(current_app.config.get("COURSEHUB_OUTBOX_BATCH", DEFAULT_BATCH))
    due_ids = _claim_batch(now, batch)
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
        logger.info(
            "outbox run: sent %d, retrying %d, failed %d", result.sent, result.retrying, result.failed
        )
    return result


def _claim_batch(now: datetime, batch: int) -> list[int]:
    """Claim up to `batch` due messages for this sender (see the module docstring); return their ids.

    Two statements in one transaction, never `UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE
    SKIP LOCKED)`: PostgreSQL may run such a subquery more than once within the update, and each
    run skips what the previous one locked, so one claim took more than `n` rows (a CI run claimed
    3 of a batch of 2, and one of four senders took all 80). The ids read first are locked until
    the commit, so the update moves exactly those.
    """
    due_ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(*_is_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    )
    if due_ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due_ids))
            .values(next_attempt_at=now + CLAIM_LEASE)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()  # the claim holds; each message gets its own short transaction below
    return due_ids


def _is_due(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
    )


def _send_one(message_id: int, now: datetime, sender: _Sender) -> str | None:
    """Claim, send and record one message; return "sent", "retrying", "failed" or None.

    Nothing about one message may stop the batch: an error nobody foresaw marks this message
    failed, with the error's type as its reason, and the run goes on with the next one.
    """
    try:
        return _try_one(message_id, now, sender)
    except Exception as error:
        db.session.rollback()
        # The SMTP conversation may have stopped half-way: start the next message afresh.
        sender.reset()
        # Only the type: an exception's text may carry an address or a part of the message.
        logger.error("outbox message %s: unexpected %s", message_id, type(error).__name__)
        return _fail_after_error(message_id, now, f"Oväntat fel med meddelandet ({type(error).__name__})")


def _fail_after_error(message_id: int, now: datetime, reason: str) -> str | None:
    """Record, in a transaction of its own, that one message failed for `reason`."""
    row = _lock(message_id)
    if row is None:
        db.session.rollback()
        return None
    outcome, changes = _failure(row.attempts + 1, now, reason, permanent=True)
    _record(message_id, row.attempts + 1, changes)
    db.session.commit()
    return outcome


def _try_one(message_id: int, now: datetime, sender: _Sender) -> str | None:
    row = _lock(message_id)
    if row is None:
        db.session.rollback()  # another sender has it, or has already sent it
        return None
    attempts = row.attempts + 1
    changes: dict[str, Any]
    try:
        sender.check_settings()
        sender.send(_build(row))
    except _Retry as error:
        outcome, changes = _failure(attempts, now, str(error), permanent=False)
    except _GiveUp as error:
        outcome, changes = _failure(attempts, now, str(error), permanent=True)
    else:
        outcome, changes = "sent", {"sent_at": now, "last_error": None}
    _record(message_id, attempts, changes)
    # This job is the outermost caller, so it commits - and it commits per message, right after
    # the send: a message handed to the server is recorded as sent at once, so neither a crash
    # later in the batch nor a second run (or a second sender) can send it a second time.
    db.session.commit()
    if outcome != "sent":
        logger.warning("outbox message %s %s after %d attempt(s)", message_id, outcome, attempts)
    return outcome


# The sender reads and writes the table with Core statements: the ORM's identity map, change
# tracking and flush cost more per message than building it (issue 24, point 5).
_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
# What `_build` reads: a row the sender locked, or (in tests) the mapped object.
_Outgoing = OutboxMessage | Row[Any]
_SENT_COLUMNS = [
    _OUTBOX.c[name]
    for name in (
        "id",
        "recipient",
        "subject",
        "body_text",
        "body_html",
        "calendar_ics",
        "calendar_method",
        "headers",
        "created_at",
        "attempts",
    )
]


def _lock(message_id: int) -> Row[Any] | None:
    """Lock one claimed, unsent message for this sender and read it as it is now, or return None.

    None when another sender holds it or it is already sent or failed. PostgreSQL: the row lock
    (SKIP LOCKED) keeps a concurrent sender off it until we commit. SQLite: this transaction took
    the database's write lock at its BEGIN (coursehub.lib.database), so a second sender waits for
    our commit and then finds the row sent. The row is read under the lock, so a message that
    staff corrected and put back in line during the run is sent as it reads now.
    """
    return db.session.execute(
        select(*_SENT_COLUMNS)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.sent_at.is_(None), _OUTBOX.c.failed_at.is_(None))
        .with_for_update(skip_locked=True)
    ).first()


def _record(message_id: int, attempts: int, changes: dict[str, Any]) -> None:
    """Write one message's outcome under the lock `_lock` took."""
    db.session.execute(update(_OUTBOX).where(_OUTBOX.c.id == message_id).values(attempts=attempts, **changes))


def _failure(attempts: int, now: datetime, error: str, *, permanent: bool) -> tuple[str, dict[str, Any]]:
    """Return the outcome of a failed attempt and the columns that record it."""
    # A server's reply may hold control characters; PostgreSQL refuses a NUL in text.
    readable = " ".join("".join(c if c.isprintable() else " " for c in error).split())
    changes: dict[str, Any] = {"last_error": readable[:_ERROR_LENGTH]}
    max_attempts = int(current_app.config["COURSEHUB_OUTBOX_MAX_ATTEMPTS"])
    if permanent or attempts >= max_attempts:
        changes["failed_at"] = now
        return "failed", changes
    changes["next_attempt_at"] = now + backoff(attempts)
    return "retrying", changes


def backoff(attempts: int) -> timedelta:
    """Return the wait after `attempts` tries: 1, 2, 4, 8 ... minutes, at most one hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


class _WirePolicy(EmailPolicy):
    """Python's SMTP policy (CRLF, headers folded as RFC 5322 has it) for turning a message into bytes.

    It writes the same bytes as `email.policy.SMTP`, but reads a header back as the plain text it
    was stored as: the generator reads each part's Content-Type and boundary several times, and
    the SMTP policy parses the header into an object each time, which was most of what writing
    one message cost.
    """

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        return compat32.header_store_parse(name, value)

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        return compat32.header_fetch_parse(name, value)


_WIRE = _WirePolicy(linesep="\r\n")


class _BuiltOnce(Message):
    """A Flask-Mail message that is turned into bytes once, and cheaply.

    `_build` builds every message once to find what cannot be sent before the SMTP conversation
    starts; Flask-Mail would build it again to send it. Building (Python's `email` package) is
    most of what a message costs the sender, so the bytes of the first build are sent, written
    with `_WIRE` and the standard byte generator (the bytes Flask-Mail would send, for less work).
    """

    _built: bytes | None = None

    def as_bytes(self) -> bytes:
        if self._built is None:
            message = self._message()
            message.policy = _WIRE
            for part in message.walk():
                part.policy = _WIRE
            buffer = BytesIO()
            BytesGenerator(buffer, mangle_from_=False, policy=_WIRE).flatten(message)
            self._built = buffer.getvalue()
        return self._built


class _InviteMessage(_BuiltOnce):
    """A Flask-Mail message whose calendar part is an alternative of the text, not an attachment.

    RFC 6047 and Outlook's reading of it ([MS-STANOICAL]): an invite is a multipart/alternative of
    text/plain, text/html and `text/calendar; method=...`, inline. Flask-Mail would wrap the
    alternatives in a multipart/mixed and give the calendar no method, so the message is built
    here as the top-level multipart/alternative, with the headers Flask-Mail wrote.
    """

    def __init__(self, *, calendar: bytes, method: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calendar = calendar
        self.method = method

    def _message(self) -> MIMEBase:
        outer = super()._message()
        alternative = MIMEMultipart("alternative")
        # Flask-Mail's multipart/mixed holds one multipart/alternative (text, then HTML).
        for part in outer.walk():
            if part.get_content_maintype() != "multipart":
                alternative.attach(part)
        calendar = MIMEText(self.calendar.decode("utf-8"), "calendar", "utf-8")
        calendar.replace_header("Content-Type", f"text/calendar; method={self.method}; charset=UTF-8")
        alternative.attach(calendar)
        for key, value in outer.items():
            if key.lower() not in {"content-type", "mime-version", "content-transfer-encoding"}:
                alternative[key] = value
        alternative.policy = policy.SMTP
        return alternative


def _build(message: _Outgoing) -> Message:
    """Turn an outbox row into a Flask-Mail message: text, HTML alternative, calendar alternative.

    Everything that can go wrong with this one message goes wrong here, before the SMTP
    conversation starts, and raises _GiveUp with a reason staff can read.
    """
    if not (message.body_text or "").strip():
        # Its template failed when it was queued (services.queue_email): never send it empty.
        raise _GiveUp("Meddelandet har ingen text (mallen kunde inte användas)")
    recipient = _recipient(message)
    try:
        calendar = _calendar_part(message)
    except _CalendarProblem as error:
        raise _GiveUp(f"Kalenderfilen går inte att använda: {error}") from None
    reply_to = current_app.config.get("COURSEHUB_CONTACT_EMAIL") or None
    fields: dict[str, Any] = {
        "subject": message.subject,
        "recipients": [recipient],
        "body": message.body_text,
        "html": message.body_html or None,
        "reply_to": reply_to,
        # RFC 3834: out-of-office replies are not sent back to automatic mail.
        "extra_headers": {**(message.headers or {}), "Auto-Submitted": "auto-generated"},
    }
    try:
        built = _BuiltOnce(**fields) if calendar is None else _InviteMessage(**fields, **calendar)
        built.msgId = _message_id(message)
        # Fixed before the one build, so that the Date header sent is the one built.
        built.date = time.time()
        if built.has_bad_headers():
            raise ValueError("line break in a header")
        # Build the whole message once here, as Flask-Mail will when sending: a part that cannot
        # be encoded fails this message now, not in the middle of an SMTP conversation.
        built.as_bytes()
    except Exception as error:
        raise _GiveUp(f"Meddelandet kunde inte byggas ({type(error).__name__})") from error
    return built


def _recipient(message: _Outgoing) -> str:
    """Return the address to send to, by the one address rule, or raise _GiveUp saying why not."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            return normalise_email(message.recipient)
        except InvalidEmailAddress as error:
            raise _GiveUp(f"Mottagarens adress går inte att skicka till: {error}") from None


def _calendar_part(message: _Outgoing) -> dict[str, Any] | None:
    """Return the message's calendar and method, or raise _CalendarProblem when it cannot be sent."""
    data = message.calendar_ics
    if not data:
        return None
    method = (message.calendar_method or "REQUEST").upper()
    if method not in CALENDAR_METHODS:
        raise _CalendarProblem("okänd METHOD")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _CalendarProblem("den är inte sparad som en fil")
    data = bytes(data)
    try:
        calendar = Calendar.from_ical(data)
    except Exception:  # icalendar raises several kinds for unreadable input
        raise _CalendarProblem("den går inte att läsa") from None
    events = calendar.walk("VEVENT")
    if calendar.name != "VCALENDAR" or not events:
        raise _CalendarProblem("den har ingen händelse")
    if any("UID" not in event or "DTSTART" not in event for event in events):
        raise _CalendarProblem("en händelse saknar UID eller starttid")
    if len({str(event["UID"]) for event in events}) != 1:
        # Outlook imports only the first event of an invite: one session per message.
        raise _CalendarProblem("den har fler än en händelse")
    # RFC 6047: the METHOD inside the file and the part's method parameter must agree.
    if str(calendar.get("METHOD", method)).upper() != method:
        raise _CalendarProblem(f"filens METHOD stämmer inte med meddelandets ({method})")
    return {"calendar": data, "method": method}


def _message_id(message: _Outgoing) -> str:
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
        self._settings_checked = False

    def check_settings(self) -> None:
        """Raise _Retry when the configured sender cannot be sent: a setting, not one message."""
        if self._down is not None:
            raise _Retry(self._down)
        if self._settings_checked:
            return
        self._settings_checked = True
        sender = current_app.extensions["mail"].default_sender
        try:
            if not sender:
                raise ValueError("no sender")
            if isinstance(sender, tuple):
                sender = f"{sender[0]} <{sender[1]}>"
            if "\r" in sender or "\n" in sender:
                raise ValueError("line break")
            # What Flask-Mail writes in MAIL FROM and in the From header; smtplib sends ASCII.
            sanitize_address(sender).encode("ascii")
        except (ValueError, UnicodeError) as error:
            self._down = "Avsändaradressen i inställningarna (MAIL_DEFAULT_SENDER) går inte att använda"
            logger.error("outbox: the configured sender cannot be sent (%s)", type(error).__name__)
            raise _Retry(self._down) from None

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
        except Exception as error:
            # Something about this message that no check foresaw, perhaps half-way through the
            # SMTP conversation: the next message starts on a new connection.
            self._drop()
            raise _GiveUp(f"Oväntat fel när meddelandet skickades ({type(error).__name__})") from error

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

    def reset(self) -> None:
        """Drop the connection after an unexpected error, so the next message starts afresh."""
        self._drop()

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


def drop_delivered_mail_bodies(now: datetime) -> int:
    """Retention: drop the bodies of mail delivered before the period (the rows stay)."""
    return services.drop_delivered_bodies(now=now, batch=int(current_app.config["COURSEHUB_RETENTION_BATCH"]))
