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
- The batch is then sent a few messages at a time (COURSEHUB_OUTBOX_RECORD_EVERY, 10): in one short
  transaction, the group's rows are locked again (waiting out a moment's lock of another
  sender's claim; checked still unsent, and read as they are now), sent one by one, and
  recorded with one statement just before the commit, so that even a message put back in line
  by staff during a run goes out once. This costs two plain Core statements and a commit per
  group; a lock and a record per message had cost more than building and sending it. A
  message is recorded as sent within one group of being handed to the server, and a group is
  recorded early when it has taken `RECORD_WITHIN` (a slow server): should a sender die between
  a hand-over and its group's commit, those few messages (at most one group) are due again
  when the lease runs out and are sent a second time. That window is the price of the
  throughput (COURSEHUB_OUTBOX_RECORD_EVERY=1 narrows it to one message, at about half the
  rate; README "Jobs at scale"); a lease run out is the only way a claimed message comes back.
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
import functools
import logging
import re
import secrets
import smtplib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.generator import BytesGenerator
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import EmailPolicy, compat32
from email.utils import formatdate
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_mail import Connection, Message, sanitize_address, sanitize_addresses
from icalendar import Calendar
from sqlalchemy import Row, Table, select, update

from coursehub.extensions import db
from coursehub.lib.email_address import InvalidEmailAddress, normalise_email
from coursehub.notifications import services
from coursehub.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 100
# Messages sent and then recorded in one transaction: the setting COURSEHUB_OUTBOX_RECORD_EVERY
# (10; see the module docstring), the most that a sender dying at the wrong moment can send again.
# ... or fewer, when the server is slow: a group is recorded once it has taken this long.
RECORD_WITHIN = 1.0
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
    group = max(1, int(current_app.config["COURSEHUB_OUTBOX_RECORD_EVERY"]))
    due_ids = _claim_batch(now, batch)
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    sender = _Sender()
    try:
        position = 0
        while position < len(due_ids):
            outcomes, taken = _send_group(due_ids[position : position + group], now, sender)
            position += taken
            for outcome in outcomes:
                counts[outcome] += 1
    except Exception:
        db.session.rollback()
        raise
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


def _send_group(ids: list[int], now: datetime, sender: _Sender) -> tuple[list[str], int]:
    """Lock, send and record a few claimed messages in one transaction; return (outcomes, ids used).

    The messages are locked and read as they are now (`_lock`), sent one by one over the run's
    connection, and recorded together just before the commit that releases them. A group ends
    early once it has taken `RECORD_WITHIN` (a slow server): what it has sent is recorded at once,
    and the rest of its ids come back in the next group.
    """
    order = {message_id: position for position, message_id in enumerate(ids)}
    rows = sorted(_lock(ids), key=lambda row: order[row.id])
    started = time.monotonic()
    taken = len(ids)
    outcomes: list[str] = []
    records: list[tuple[Row[Any], str, dict[str, Any]]] = []
    for index, row in enumerate(rows):
        outcome, changes = _attempt(row, now, sender)
        outcomes.append(outcome)
        records.append((row, outcome, changes))
        if index + 1 < len(rows) and time.monotonic() - started > RECORD_WITHIN:
            taken = order[row.id] + 1
            break
    _record(records, now)
    # This job is the outermost caller, so it commits: every few messages, right after they were
    # handed to the server (see the module docstring for what a crash can repeat).
    db.session.commit()
    return outcomes, taken


def _attempt(row: Row[Any], now: datetime, sender: _Sender) -> tuple[str, dict[str, Any]]:
    """Build and send one locked message; return its outcome and the columns that record it.

    Nothing about one message may stop the batch: an error nobody foresaw marks this message
    failed, with the error's type as its reason, and the run goes on with the next one. No SQL
    runs here, so such an error leaves the group's transaction as it was.
    """
    attempts = row.attempts + 1
    try:
        try:
            sender.check_settings()
            sender.send(_build(row))
        except _Retry as error:
            outcome, changes = _failure(attempts, now, str(error), permanent=False)
        except _GiveUp as error:
            outcome, changes = _failure(attempts, now, str(error), permanent=True)
        else:
            return "sent", {"sent_at": now, "last_error": None}
    except Exception as error:
        # The SMTP conversation may have stopped half-way: start the next message afresh.
        sender.reset()
        # Only the type: an exception's text may carry an address or a part of the message.
        logger.error("outbox message %s: unexpected %s", row.id, type(error).__name__)
        reason = f"Oväntat fel med meddelandet ({type(error).__name__})"
        outcome, changes = _failure(attempts, now, reason, permanent=True)
    logger.warning("outbox message %s %s after %d attempt(s)", row.id, outcome, attempts)
    return outcome, changes


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


def _lock(ids: list[int]) -> list[Row[Any]]:
    """Lock those of `ids` that are still unsent, and read them as they are now.

    Left out: a message already sent or failed. PostgreSQL: the row locks keep a concurrent
    sender off them until we commit. A row another transaction holds is waited for, not skipped:
    most often it is another sender's claim, whose FOR UPDATE locks a row for a moment before it
    finds it no longer due, and skipping it left the message to wait out its lease; if it is
    another sender that has the message (staff put it back in line during the run), its commit
    shows the message sent and it is left out here. The rows are locked in id order, so two
    groups never wait for each other in a circle. SQLite: this transaction took the database's
    write lock at its BEGIN (coursehub.lib.database), so a second sender waits for our commit
    and then finds the rows sent. The rows are read under the lock, so a message that staff
    corrected and put back in line during the run is sent as it reads now, and once.
    """
    return list(
        db.session.execute(
            select(*_SENT_COLUMNS)
            .where(_OUTBOX.c.id.in_(ids), _OUTBOX.c.sent_at.is_(None), _OUTBOX.c.failed_at.is_(None))
            .order_by(_OUTBOX.c.id)
            .with_for_update()
        )
    )


def _record(records: list[tuple[Row[Any], str, dict[str, Any]]], now: datetime) -> None:
    """Write a group's outcomes under the locks `_lock` took: one statement for all that were sent."""
    sent = [row.id for row, outcome, _changes in records if outcome == "sent"]
    if sent:
        db.session.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.id.in_(sent))
            .values(attempts=_OUTBOX.c.attempts + 1, sent_at=now, last_error=None)
        )
    for row, outcome, changes in records:
        if outcome != "sent":
            db.session.execute(
                update(_OUTBOX).where(_OUTBOX.c.id == row.id).values(attempts=row.attempts + 1, **changes)
            )


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
    """A Flask-Mail message that is turned into bytes once, and cheaply (only invites, see `_build`).

    Written with `_WIRE` and the standard byte generator: the bytes Flask-Mail would send, for
    less work than under the SMTP policy.
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


@dataclass(frozen=True)
class _Mail:
    """One message ready for the SMTP conversation: the envelope and the bytes of the message."""

    envelope_from: str
    recipients: list[str]
    data: bytes
    mail_options: list[str] = field(default_factory=list)
    rcpt_options: list[str] = field(default_factory=list)


def _build(message: _Outgoing) -> _Mail:
    """Turn an outbox row into the mail to send: text, HTML alternative, calendar alternative.

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
    # RFC 3834: out-of-office replies are not sent back to automatic mail.
    extra_headers = {**(message.headers or {}), "Auto-Submitted": "auto-generated"}
    try:
        if calendar is None:
            # Written straight from the row (see `_compose`).
            return _compose(message, recipient, reply_to, extra_headers)
        invite = _InviteMessage(
            subject=message.subject,
            recipients=[recipient],
            body=message.body_text,
            html=message.body_html or None,
            reply_to=reply_to,
            extra_headers=extra_headers,
            **calendar,
        )
        invite.msgId = _message_id(message)
        invite.date = time.time()
        if invite.has_bad_headers():
            raise ValueError("line break in a header")
        # Build the whole message here: a part that cannot be encoded fails this message now,
        # not in the middle of an SMTP conversation.
        return _Mail(
            envelope_from=sanitize_address(invite.sender),
            recipients=list(sanitize_addresses(invite.send_to)),
            data=invite.as_bytes(),
        )
    except _GiveUp:
        raise
    except Exception as error:
        raise _GiveUp(f"Meddelandet kunde inte byggas ({type(error).__name__})") from error


_NEWLINES = re.compile(r"\r\n|\r|\n")
_CRLF = b"\r\n"


def _compose(message: _Outgoing, recipient: str, reply_to: str | None, extra: dict[str, str]) -> _Mail:
    """Write a message without a calendar part as Flask-Mail would, with far less work.

    The same structure, headers and body encoding as Flask-Mail's message turned into bytes by
    Python's generator under the SMTP policy: one text/plain part, or with an HTML version a
    multipart/mixed around a multipart/alternative of the two; UTF-8 text sent as 8bit (7bit when
    it is ASCII), lines ending in CRLF; the Subject and every header that might need it encoded and
    folded by that policy. Building the same with the `email` package cost most of a sender's
    time per message (issue 24, point 5); the headers that are the same for every message are
    folded once per process (`_fold`).
    """
    subject = message.subject or ""
    values = [subject, recipient, *extra, *extra.values()]
    if any("\r" in value or "\n" in value for value in values):
        raise ValueError("line break in a header")
    sender = current_app.extensions["mail"].default_sender
    if isinstance(sender, tuple):
        sender = f"{sender[0]} <{sender[1]}>"
    envelope_from, from_line, reply_line = _sender_lines(sender, reply_to)
    headers = [
        _fold("Subject", subject) if subject else b"",
        from_line,
        b"To: " + recipient.encode("ascii") + _CRLF,
        b"Date: " + formatdate(time.time(), localtime=True).encode("ascii") + _CRLF,
        b"Message-ID: " + _message_id(message).encode("ascii") + _CRLF,
        reply_line,
        *(_fold(name, value) for name, value in extra.items()),
    ]
    text = _text_part("plain", message.body_text)
    if message.body_html:
        alternative = _multipart("alternative", [text, _text_part("html", message.body_html)])
        data = _multipart("mixed", [alternative], b"".join(headers))
    else:
        head, _blank, body = text.partition(b"\r\n\r\n")
        data = head + _CRLF + b"".join(headers) + _CRLF + body
    return _Mail(envelope_from=envelope_from, recipients=[recipient], data=data)


@functools.lru_cache(maxsize=1024)
def _fold(name: str, value: str) -> bytes:
    """Return one header line as the SMTP policy writes it (RFC 2047 words, folded at 78)."""
    return policy.SMTP.header_factory(name, value).fold(policy=policy.SMTP).encode("ascii")


@functools.lru_cache(maxsize=16)
def _sender_lines(sender: str, reply_to: str | None) -> tuple[str, bytes, bytes]:
    """Return the envelope sender and the From and Reply-To lines, the same for every message."""
    reply_line = _fold("Reply-To", sanitize_address(reply_to, "utf-8")) if reply_to else b""
    return sanitize_address(sender), _fold("From", sanitize_address(sender, "utf-8")), reply_line


def _text_part(subtype: str, text: str) -> bytes:
    body = _NEWLINES.sub("\r\n", text)
    encoding = "7bit" if body.isascii() else "8bit"
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
    return f"{head}Content-Transfer-Encoding: {encoding}\r\n\r\n".encode("ascii") + body.encode("utf-8")


def _multipart(subtype: str, parts: list[bytes], headers: bytes = b"") -> bytes:
    """Join `parts` under a boundary that none of them contains, as the generator writes them."""
    while True:
        boundary = f"=_{secrets.token_hex(12)}".encode("ascii")
        if not any(boundary in part for part in parts):
            break
    head = b'Content-Type: multipart/%s; boundary="%s"\r\nMIME-Version: 1.0\r\n' % (
        subtype.encode("ascii"),
        boundary,
    )
    delimiter = b"\r\n--" + boundary
    return (
        head
        + headers
        + _CRLF
        + b"--"
        + boundary
        + _CRLF
        + (delimiter + _CRLF).join(parts)
        + delimiter
        + b"--"
        + _CRLF
    )


def _recipient(message: _Outgoing) -> str:
    """Return the address to send to, by the one address rule, or raise _GiveUp saying why not."""
    try:
        return normalise_email(message.recipient)
    except InvalidEmailAddress:
        pass
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the reason, in Swedish
        try:
            normalise_email(message.recipient)
        except InvalidEmailAddress as error:
            raise _GiveUp(f"Mottagarens adress går inte att skicka till: {error}") from None
    raise _GiveUp("Mottagarens adress går inte att skicka till")


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

    def send(self, mail: _Mail) -> None:
        if self._down is not None:
            # The server did not answer earlier in this run: do not wait for it once per message.
            raise _Retry(self._down)
        try:
            if self._connection is None:
                self._connection = _TimedConnection(current_app.extensions["mail"]).__enter__()
            host = self._connection.host
            if host is None:
                raise smtplib.SMTPServerDisconnected("no connection")
            host.sendmail(
                mail.envelope_from, mail.recipients, mail.data, mail.mail_options, mail.rcpt_options
            )
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


def drop_mail_bodies(now: datetime) -> int:
    """Retention: drop the bodies of mail delivered or given up on before the period (the rows stay)."""
    return services.drop_mail_bodies(now=now, batch=int(current_app.config["COURSEHUB_RETENTION_BATCH"]))
