"""The outbox's part of a person's data: the e-mail sent (or waiting) to their address.

Export: every message to the person's address, with subject, dates and the plain-text body.
Erasure: their messages keep their dates and delivery state (to show that mail was delivered)
but lose the address, subject, bodies, calendar file and headers; one still waiting is given up,
never sent. Mail to others that names the person (a confirmation to staff) keeps its text with the
person's name, address and phone replaced.
"""

from __future__ import annotations

import sqlalchemy as sa

from coursehub.extensions import db
from coursehub.lib.personal_data import ERASED_DOMAIN, ErasureContext, Person, Provider, Rows, row
from coursehub.notifications.models import OutboxMessage

ERASED = "[borttaget]"


def _to_person(person: Person) -> sa.ColumnElement[bool]:
    return sa.func.lower(OutboxMessage.recipient) == person.email.lower()


def export(person: Person) -> Rows:
    """Return the mail sent or waiting to be sent to the person's address."""
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(_to_person(person)).order_by(OutboxMessage.id)
    )
    return {
        "E-post till er": [
            row(
                {
                    "Ämne": message.subject,
                    "Skapat": message.created_at,
                    "Skickat": message.sent_at,
                    "Text": message.body_text,
                }
            )
            for message in messages
        ]
    }


def _person_strings(person: Person) -> list[str]:
    return [text for text in (person.full_name, person.email, person.phone) if text and len(text) >= 3]


def erase(person: Person, context: ErasureContext) -> None:
    """Empty the person's own mail; take their name, address and phone out of mail to others.

    Their own mail is emptied as retention empties old mail (`body_dropped_at`), so that no one
    can send it again or redirect it (`retry_message`, `correct_recipient`): nothing of it is left.
    """
    for message in db.session.scalars(sa.select(OutboxMessage).where(_to_person(person))):
        message.recipient = f"borttagen-{person.id}{ERASED_DOMAIN}"
        message.subject = ERASED
        message.body_text = ""
        message.body_html = None
        message.calendar_ics = None
        message.headers = None
        message.body_dropped_at = context.now
        if message.is_pending:
            message.failed_at = context.now
            message.last_error = "Mottagaren är borttagen."
    strings = _person_strings(person)
    naming = sa.or_(
        *(
            column.contains(text, autoescape=True)
            for text in strings
            for column in (OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html)
        )
    )
    for message in db.session.scalars(sa.select(OutboxMessage).where(naming)):
        for text in strings:
            message.subject = message.subject.replace(text, ERASED)
            message.body_text = message.body_text.replace(text, ERASED)
            if message.body_html is not None:
                message.body_html = message.body_html.replace(text, ERASED)
    db.session.flush()


provider = Provider(area="notifications", tables=("outbox_messages",), export=export, erase=erase)
