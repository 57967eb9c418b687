"""The sender writes a message's bytes itself: what a mail program reads must be what Flask-Mail wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from types import SimpleNamespace

import pytest
from flask_mail import Message

from coursehub.notifications import jobs

LONG_SUBJECT = "Påminnelse: Träff 3 – Anknytning och trygghet i Grundkurs för familjehem i Jönköpings län"
TEXT = "Hej Åsa!\n\nVälkommen till träffen.\r\nKan ni inte komma?\rAnmäl frånvaro.\n\n--\nhttps://x.test/a\n"


def _row(**changes: object) -> SimpleNamespace:
    fields: dict[str, object] = {
        "id": 7,
        "recipient": "asa.berg@exempel.test",
        "subject": "Påminnelse om träffen",
        "body_text": TEXT,
        "body_html": "<p>Hej Åsa!</p>\n<p>Välkommen till träffen.</p>\n",
        "calendar_ics": None,
        "calendar_method": None,
        "headers": None,
        "created_at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "attempts": 0,
    }
    fields.update(changes)
    return SimpleNamespace(**fields)


def _as_flask_mail_writes_it(row: SimpleNamespace, app) -> EmailMessage:
    """The message as Flask-Mail builds it and Python's generator writes it (the sender did so before)."""
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html,
        reply_to=app.config["COURSEHUB_CONTACT_EMAIL"],
        extra_headers={**(row.headers or {}), "Auto-Submitted": "auto-generated"},
    )
    message.msgId = jobs._message_id(row)
    return _parse(message.as_bytes())


def _parse(data: bytes) -> EmailMessage:
    parsed = message_from_bytes(data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _read(message: EmailMessage) -> list[tuple[str, object]]:
    """What a mail program reads: every part's headers (decoded) and content, in order."""
    seen: list[tuple[str, object]] = []
    for part in message.walk():
        for name, value in part.items():
            if name.lower() == "date":
                continue
            if name.lower() == "content-type":  # its boundary differs by chance in each message
                value = (part.get_content_type(), part.get_param("charset"))
            seen.append((name.lower(), value if isinstance(value, tuple) else str(value)))
        if not part.is_multipart():
            seen.append(("content", part.get_content()))
    return seen


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"body_html": None},
        {"subject": LONG_SUBJECT},
        {"subject": "Plain ASCII subject", "body_text": "Hello\n", "body_html": "<p>Hello</p>"},
        {"headers": {"List-Unsubscribe": "<https://kurser.example.se/avregistrera/abc>"}},
    ],
    ids=["text-and-html", "text-only", "long-swedish-subject", "ascii", "extra-header"],
)
def test_the_message_reads_as_flask_mail_wrote_it(app, changes):
    row = _row(**changes)
    with app.test_request_context():
        mail = jobs._build(row)
        expected = _as_flask_mail_writes_it(row, app)
    sent = _parse(mail.data)
    assert _read(sent) == _read(expected)
    assert sent["Date"] is not None
    assert mail.recipients == [row.recipient]
    assert parseaddr(mail.envelope_from)[1] == "noreply@familjehemsresurs.example"  # MAIL FROM
    # On the wire: CRLF line ends only, no header line over 78 characters.
    assert b"\n" not in mail.data.replace(b"\r\n", b"")
    head = mail.data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78


def test_a_line_break_in_a_header_fails_the_message(app):
    with app.test_request_context(), pytest.raises(jobs._GiveUp, match="kunde inte byggas"):
        jobs._build(_row(headers={"List-Unsubscribe": "<https://x.test>\r\nBcc: someone@exempel.test"}))
