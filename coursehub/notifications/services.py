"""Writing e-mail into the outbox. Sending is done by `notifications.jobs.send_outbox`."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, cast

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import (
    JSON,
    ColumnElement,
    Insert,
    Integer,
    String,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from coursehub import clock, events
from coursehub.db import UTCDateTime
from coursehub.errors import CoursehubError
from coursehub.extensions import db
from coursehub.lib.email_address import InvalidEmailAddress, normalise_email
from coursehub.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

_HEADER_BREAKS = re.compile(r"[\r\n]+")
# Dedupe keys looked up per statement (well below SQLite's limit on bound parameters).
_KEYS_PER_LOOKUP = 5000
_T = TypeVar("_T")


def render_email(name: str, /, **context: Any) -> tuple[str, str, str]:
    """Render templates/emails/<name>/{subject.txt,body.txt,body.html} into (subject, text, html)."""
    _with_defaults(context)
    # Rendered straight from the Jinja environment, without the page context processors: mail is
    # mostly written by jobs, outside any request, and must not depend on who is logged in.
    # Always in Swedish: the recipient's language is not known, and the sender's (the person who
    # happened to trigger the mail) says nothing about it.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _render(name, context)


def _render(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    env = current_app.jinja_env
    subject = env.get_template(f"emails/{name}/subject.txt").render(context)
    text = env.get_template(f"emails/{name}/body.txt").render(context)
    html = env.get_template(f"emails/{name}/body.html").render(context)
    return _one_line(subject), text, html


def _with_defaults(context: dict[str, Any]) -> dict[str, Any]:
    """Return `context` with what every e-mail template expects (organisation, links, greeting)."""
    context.setdefault("organisation", current_app.config["COURSEHUB_ORGANISATION"])
    context.setdefault("base_url", current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/"))
    context.setdefault("contact_email", current_app.config.get("COURSEHUB_CONTACT_EMAIL") or "")
    context.setdefault("greeting_name", _greeting_name(context))
    return context


def _greeting_name(context: dict[str, Any]) -> str:
    """Return the first name the one salutation of templates/emails/layout uses ("Hej Anna!")."""
    user = context.get("user")
    if user is not None and getattr(user, "first_name", None):
        return str(user.first_name)
    return str(context.get("first_name") or context.get("name") or "")


def _one_line(value: str) -> str:
    """Collapse line breaks so that nothing a person typed can add a mail header."""
    return _HEADER_BREAKS.sub(" ", value).strip()


def _queue_unrenderable(dedupe_key: str, recipient: str, template: str, error: Exception) -> OutboxMessage:
    """Keep a message whose template failed as a failed message without text, for staff to see."""
    now = clock.now()
    message = OutboxMessage(
        dedupe_key=dedupe_key[:200],
        recipient=_one_line(recipient)[:254],
        subject=f"({template})"[:300],
        body_text="",
        created_at=now,
        next_attempt_at=now,
        failed_at=now,
        last_error=f"Mallen kunde inte användas ({type(error).__name__})",
    )
    db.session.add(message)
    db.session.flush()
    # Only the type: the error's text may carry what the template was given.
    logger.error("mail %s not rendered: template=%s %s", message.id, template, type(error).__name__)
    return message


def link(path: str) -> str:
    """Return an absolute link for an e-mail, built from the configured server name."""
    server: str = current_app.config["SERVER_NAME_FOR_LINKS"]
    return server.rstrip("/") + path


def queue_email(
    *,
    dedupe_key: str,
    recipient: str,
    template: str,
    calendar_ics: bytes | None = None,
    calendar_method: str | None = None,
    send_after: datetime | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Put a rendered e-mail into the outbox unless one with `dedupe_key` is already there.

    `send_after` holds the message back until that moment (the outbox job sends it once due).
    `headers` are extra mail headers (List-Unsubscribe ...); their values are made one line.

    Returns the new message, or None when the key was already queued. Flushes, never commits: the
    message is saved in the same transaction as the change it reports.
    """
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    try:
        subject, text, html = render_email(template, **context)
    except SQLAlchemyError:
        raise  # the database is in trouble: nothing about this one message
    except Exception as error:
        # One message that cannot be written must neither undo the change it reports nor stop a
        # job that queues many: it is kept as a failed message, with its reason, for staff.
        return _queue_unrenderable(dedupe_key, recipient, template, error)
    now = clock.now()
    message = OutboxMessage(
        dedupe_key=dedupe_key[:200],
        recipient=_one_line(recipient),
        subject=subject[:300],
        body_text=text,
        body_html=html,
        calendar_ics=calendar_ics,
        calendar_method=calendar_method,
        headers={name: _one_line(value) for name, value in headers.items()} if headers else None,
        created_at=now,
        next_attempt_at=max(now, send_after) if send_after is not None else now,
    )
    db.session.add(message)
    db.session.flush()
    logger.info("queued mail %s template=%s", message.id, template)
    return message


@dataclass(frozen=True)
class Mail:
    """One e-mail for `queue_emails`: what `queue_email` takes, as a value."""

    dedupe_key: str
    recipient: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    send_after: datetime | None = None


def queue_emails(mails: Sequence[Mail]) -> int:
    """Put many rendered e-mails into the outbox, skipping keys already queued; return how many.

    For jobs that queue a mail per participant: the keys already there are read in one statement
    (per 5,000) and the new messages written in one bulk insert, so the statements do not grow
    with the number of mails. A message whose template fails is kept as a failed message, as
    `queue_email` does. A key that a concurrent transaction queues first is skipped by the
    database (ON CONFLICT DO NOTHING), never written twice. Flushes, never commits.
    """
    wanted = _not_yet_queued({mail.dedupe_key[:200]: mail for mail in mails})
    if not wanted:
        return 0
    now = clock.now()
    rows = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for key, mail in wanted.items():
            rendered = _render_or_error(mail.template, dict(mail.context))
            rows.append(_fill(_row(key, mail.recipient, now, mail.send_after), rendered, mail.template, now))
    return _insert(rows)


@dataclass(frozen=True)
class Recipient:
    """One recipient of `queue_emails_to_many`: its dedupe key, address and the name to greet."""

    dedupe_key: str
    address: str
    greeting_name: str = ""


def queue_emails_to_many(template: str, context: dict[str, Any], recipients: Sequence[Recipient]) -> int:
    """Queue one e-mail for many recipients, the same for all but the greeting; return how many.

    Rendering is what a mail costs (about 10 ms), so a job that tells everyone of one meeting the
    same thing renders it once (twice when someone has no name to greet) and greets each
    recipient by name in the rendered text. `context` must hold nothing about one recipient:
    every recipient gets the same text. Otherwise as `queue_emails`.
    """
    return queue_emails_to_groups(template, [(context, recipients)])


def queue_emails_to_groups(
    template: str, groups: Sequence[tuple[dict[str, Any], Sequence[Recipient]]]
) -> int:
    """Queue, for each (context, recipients) group, one e-mail per recipient; return how many.

    As `queue_emails_to_many` for each group (each group's mail rendered once, greeting each
    recipient by name), but the keys already queued are looked up and the new messages written
    for all groups together: a job that reminds the participants of many meetings runs the same
    few statements whether it has one meeting due or two hundred.
    """
    everyone = {
        recipient.dedupe_key[:200]: (number, recipient)
        for number, (_context, recipients) in enumerate(groups)
        for recipient in recipients
    }
    wanted = _not_yet_queued(everyone)
    if not wanted:
        return 0
    now = clock.now()
    # A name stand-in that no template text contains: the rendered text is greeted afterwards.
    token = f"greeting{uuid.uuid4().hex}"
    renders: list[tuple[str, str, str] | Exception] = []
    render_of: dict[tuple[int, bool], int] = {}  # (group, greeted by name) -> index in renders
    mails: list[tuple[str, str, int, str]] = []  # key, address, index in renders, name
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for key, (number, recipient) in wanted.items():
            named = bool(recipient.greeting_name)
            if (number, named) not in render_of:
                context = {**groups[number][0], "greeting_name": token if named else ""}
                render_of[number, named] = len(renders)
                renders.append(_render_or_error(template, context))
            mails.append((key, recipient.address, render_of[number, named], recipient.greeting_name))
    if _dialect() == "postgresql":
        queued = _insert_greeted(template, token, renders, mails, now)
        logger.info("queued %d mails in bulk", queued)
        return queued
    rows = []
    for key, address, index, name in mails:
        rendered = renders[index]
        if isinstance(rendered, tuple) and name:
            subject, text, html = rendered
            rendered = (
                subject.replace(token, _one_line(name)),
                text.replace(token, name),
                html.replace(token, str(escape(name))),
            )
        rows.append(_fill(_row(key, address, now, None), rendered, template, now))
    return _insert(rows)


def _insert_greeted(
    template: str,
    token: str,
    renders: list[tuple[str, str, str] | Exception],
    mails: list[tuple[str, str, int, str]],
    now: datetime,
) -> int:
    """Write the greeted mails of `queue_emails_to_groups` in one statement on PostgreSQL.

    Each rendered text is sent once, with the recipients as arrays (key, address, which text,
    name); the database puts each name in place of `token` (`replace`, as Python's str.replace)
    and writes the rows in the order given. Neither the statement's text nor the parameters grow
    with the text of the mail times the recipients: 10,000 bodies of a few kB sent as array
    elements cost seconds of quoting in the driver. What `_row` and `_fill` write otherwise, this
    writes the same; a key already there, or written meanwhile by another transaction, is skipped.
    """
    table = cast(Table, OutboxMessage.__table__)
    filled = [_fill(_row("", "", now, None), rendered, template, now) for rendered in renders]

    def array(name: str, values: list[Any], item: Any) -> Any:
        return cast_(bindparam(name, values, type_=postgresql.ARRAY(item)), postgresql.ARRAY(item))

    people = (
        func.unnest(
            array("keys", [key for key, _address, _index, _name in mails], String),
            array("addresses", [_one_line(address)[:254] for _key, address, _index, _name in mails], String),
            array("texts", [index + 1 for _key, _address, index, _name in mails], Integer),
            array("line_names", [_one_line(name) for *_rest, name in mails], Text),
            array("names", [name for *_rest, name in mails], Text),
            array("html_names", [str(escape(name)) for *_rest, name in mails], Text),
        )
        .table_valued("key", "address", "text", "line_name", "name", "html_name", with_ordinality="n")
        .render_derived()
    )
    texts = (
        func.unnest(
            array("subjects", [row["subject"] for row in filled], Text),
            array("bodies", [row["body_text"] for row in filled], Text),
            array("htmls", [row["body_html"] for row in filled], Text),
            array("errors", [row["last_error"] for row in filled], String),
            array("failed", [row["failed_at"] for row in filled], UTCDateTime()),
        )
        .table_valued("subject", "body", "html", "error", "failed", with_ordinality="n")
        .render_derived()
    )
    at = bindparam("now", now, type_=UTCDateTime())
    columns = {
        "dedupe_key": people.c.key,
        "recipient": people.c.address,
        "subject": func.left(func.replace(texts.c.subject, token, people.c.line_name), 300),
        "body_text": func.replace(texts.c.body, token, people.c.name),
        "body_html": func.replace(texts.c.html, token, people.c.html_name),
        "calendar_ics": null(),
        "calendar_method": null(),
        "headers": cast_(literal("null"), JSON),  # as the JSON column writes None
        "created_at": at,
        "attempts": literal(0),
        "next_attempt_at": at,
        "last_error": texts.c.error,
        "sent_at": null(),
        "failed_at": texts.c.failed,
    }
    statement = (
        postgresql.insert(table)
        .from_select(
            list(columns),
            select(*columns.values())
            .join_from(people, texts, texts.c.n == people.c.text)
            .order_by(people.c.n),
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(table.c.id)
    )
    return len(db.session.execute(statement).all())


def _not_yet_queued(wanted: dict[str, _T]) -> dict[str, _T]:
    """Return `wanted` without the dedupe keys already in the outbox.

    PostgreSQL is asked in one statement with the keys as one array parameter (a statement
    text of fixed length, whatever the number of keys); other databases in one statement per
    5,000 keys (below SQLite's limit on bound parameters).
    """
    db.session.flush()
    keys = list(wanted)
    if not keys:
        return wanted
    if _dialect() == "postgresql":
        chunks = [keys]
    else:
        chunks = [keys[start : start + _KEYS_PER_LOOKUP] for start in range(0, len(keys), _KEYS_PER_LOOKUP)]
    for chunk in chunks:
        for key in db.session.scalars(select(OutboxMessage.dedupe_key).where(_key_among(chunk))):
            wanted.pop(key, None)
    return wanted


def _key_among(keys: list[str]) -> Any:
    if _dialect() == "postgresql":
        return OutboxMessage.dedupe_key == any_(bindparam("keys", keys, type_=postgresql.ARRAY(String)))
    return OutboxMessage.dedupe_key.in_(keys)


def _dialect() -> str:
    return str(db.session.get_bind().dialect.name)


def _insert(rows: list[dict[str, Any]]) -> int:
    # What was really written comes back: a key another transaction queued meanwhile is skipped.
    queued = len(db.session.execute(_insert_skipping_duplicates(), rows).all())
    logger.info("queued %d mails in bulk", queued)
    return queued


def _row(key: str, recipient: str, now: datetime, send_after: datetime | None) -> dict[str, Any]:
    return {
        "dedupe_key": key,
        "recipient": _one_line(recipient)[:254],
        "body_html": None,
        "calendar_ics": None,
        "calendar_method": None,
        "headers": None,
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": max(now, send_after) if send_after is not None else now,
        "last_error": None,
        "sent_at": None,
        "failed_at": None,
    }


def _render_or_error(template: str, context: dict[str, Any]) -> tuple[str, str, str] | Exception:
    """Render a mail, or return the error that stopped it (the database's own errors are raised)."""
    try:
        return _render(template, _with_defaults(context))
    except SQLAlchemyError:
        raise
    except Exception as error:
        # Only the type: the error's text may carry what the template was given.
        logger.error("mail not rendered: template=%s %s", template, type(error).__name__)
        return error


def _fill(
    row: dict[str, Any], rendered: tuple[str, str, str] | Exception | None, template: str, now: datetime
) -> dict[str, Any]:
    """Complete an outbox row with its text, or mark it failed when its template failed."""
    if not isinstance(rendered, tuple):
        # Kept as a failed message without text, for staff to see, as queue_email does.
        reason = type(rendered).__name__ if rendered is not None else "RuntimeError"
        row.update(
            subject=f"({template})"[:300],
            body_text="",
            failed_at=now,
            last_error=f"Mallen kunde inte användas ({reason})",
        )
        return row
    subject, text, html = rendered
    row.update(subject=subject[:300], body_text=text, body_html=html)
    return row


def _insert_skipping_duplicates() -> Any:
    """Return an INSERT into the outbox that leaves out a row whose dedupe key is already there."""
    table = cast(Table, OutboxMessage.__table__)
    dialect = _dialect()
    statement: Insert
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
    else:
        statement = insert(table)
    return statement.returning(table.c.id)


class OutboxError(CoursehubError):
    """Something about an outbox message that a person can be told."""


class Actor(Protocol):
    """Who acts: a user (notifications imports no area, so accounts' User is not named here)."""

    @property
    def id(self) -> int: ...


def _refuse_without_text(message: OutboxMessage) -> None:
    """Refuse to send again a failed message whose text retention removed (drop_mail_bodies)."""
    if message.body_dropped_at is not None:
        raise OutboxError(_("Texten i meddelandet är gallrad, så det kan inte skickas igen."))


def retry_message(message: OutboxMessage, *, actor: Actor | None, now: datetime) -> OutboxMessage:
    """Put an unsent (waiting or failed) message back in line to be sent by the next outbox run.

    The attempt counter starts over, so that the message gets the full series of retries again.
    A failed message whose text retention removed stays failed: there is nothing left to send.
    """
    if message.sent_at is not None:
        raise OutboxError(_("Meddelandet är redan skickat."))
    _refuse_without_text(message)
    message.failed_at = None
    message.attempts = 0
    message.next_attempt_at = now
    db.session.flush()
    logger.info(
        "outbox message %s put back in line by user %s", message.id, actor.id if actor is not None else None
    )
    return message


def correct_recipient(
    message: OutboxMessage, recipient: str, *, actor: Actor | None, now: datetime
) -> OutboxMessage:
    """Give a failed message a corrected recipient address and put it back in line.

    The address is checked against the one address rule again (a form is not the only way in),
    stored in its stored form, and the message is retried as `retry_message` does.
    """
    if message.failed_at is None or message.sent_at is not None:
        raise OutboxError(_("Bara ett meddelande som inte kunde skickas kan få en ny mottagare."))
    _refuse_without_text(message)
    try:
        address = normalise_email(recipient)
    except InvalidEmailAddress as error:
        raise OutboxError(str(error), field="recipient") from None
    message.recipient = address
    # No addresses in the log: the message id and who corrected it are enough to follow it up.
    logger.info(
        "outbox message %s: recipient corrected by user %s",
        message.id,
        actor.id if actor is not None else None,
    )
    return retry_message(message, actor=actor, now=now)


def _sent_long_ago(cutoff: datetime) -> tuple[ColumnElement[bool], ...]:
    """Sent before `cutoff`, body still there (read from ix_outbox_messages_sent_with_body)."""
    return (OutboxMessage.body_dropped_at.is_(None), OutboxMessage.sent_at < cutoff)


def _failed_long_ago(cutoff: datetime) -> tuple[ColumnElement[bool], ...]:
    """Given up on before `cutoff` and not sent since, body still there.

    `sent_at IS NULL` with `failed_at < cutoff` is the predicate of ix_outbox_messages_failed
    (models.FAILED), so the planner may read the failed messages from that small index, oldest
    first; the few already emptied are skipped there.
    """
    return (
        OutboxMessage.failed_at < cutoff,
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.body_dropped_at.is_(None),
    )


def drop_mail_bodies(*, now: datetime, batch: int) -> int:
    """Drop the text, calendar part and headers of messages sent or given up on before the period.

    The row stays (recipient, subject, times, the last error) as the record that the message was
    delivered, or that it could not be; the recipient's address is all it holds of them (no name is
    stored). A failed message without its text cannot be retried (`retry_message` refuses it).
    Reads only what is due, in one statement: the sent messages not yet emptied through their
    partial index, the failed ones through theirs, oldest first, at most `batch`
    per run; a second run finds them emptied and does nothing.
    """
    cutoff = now - timedelta(days=int(current_app.config["COURSEHUB_RETENTION_MAIL_BODY_DAYS"]))
    sent = (
        select(OutboxMessage.id)
        .where(*_sent_long_ago(cutoff))
        .order_by(OutboxMessage.sent_at, OutboxMessage.id)
        .limit(batch)
        .subquery()
    )
    failed = (
        select(OutboxMessage.id)
        .where(*_failed_long_ago(cutoff))
        .order_by(OutboxMessage.failed_at, OutboxMessage.id)
        .limit(batch)
        .subquery()
    )
    due = list(db.session.scalars(union_all(select(sent.c.id), select(failed.c.id)).limit(batch)))
    if not due:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        # Checked again in the update: a second scheduler that read the same ids changes nothing,
        # and a failed message that staff put back in line meanwhile keeps its text.
        .where(
            OutboxMessage.id.in_(due),
            or_(and_(*_sent_long_ago(cutoff)), and_(*_failed_long_ago(cutoff))),
        )
        .values(
            body_text="",
            body_html=None,
            calendar_ics=None,
            calendar_method=None,
            headers=None,
            body_dropped_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    dropped = int(result.rowcount or 0)  # type: ignore[attr-defined]
    logger.info("outbox retention: bodies of %s sent or failed messages dropped", dropped)
    return dropped


def record_message_read(message: OutboxMessage, *, actor: Actor, now: datetime) -> None:
    """Tell the areas above that `actor` read `message`'s text; accounts writes the audit row."""
    events.outbox_message_read.send(message, actor=actor, now=now)
