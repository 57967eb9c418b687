"""Writing to the outbox and putting messages back in line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import (
    Mail,
    OutboxError,
    Recipient,
    queue_email,
    queue_emails,
    queue_emails_to_groups,
    queue_emails_to_many,
    render_email,
    retry_message,
)
from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory


def test_the_same_dedupe_key_twice_gives_one_message(clock):
    first = queue_email(
        dedupe_key="kallelse:7", recipient="anna@exempel.test", template="test_message", name="Anna"
    )
    second = queue_email(
        dedupe_key="kallelse:7", recipient="anna@exempel.test", template="test_message", name="Anna"
    )
    db.session.commit()
    assert first is not None and second is None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_queued_message_is_rendered_in_swedish_and_due_at_once(clock):
    message = queue_email(dedupe_key="k", recipient="anna@exempel.test", template="test_message", name="Åsa")
    assert message.subject == "Testmeddelande från Familjehemsresursen i Jönköpings län"
    assert "Hej Åsa!" in message.body_text
    assert "<p>Hej Åsa!</p>" in message.body_html
    assert "http://coursehub.test/" in message.body_text  # links from the configured name
    assert message.next_attempt_at == clock.now and message.attempts == 0


def test_html_body_escapes_what_a_person_typed(clock):
    message = queue_email(
        dedupe_key="k", recipient="anna@exempel.test", template="test_message", name="<script>x</script>"
    )
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html


def test_a_line_break_in_the_recipient_cannot_add_a_header(clock):
    message = queue_email(
        dedupe_key="k",
        recipient="anna@exempel.test\r\nBcc: eve@exempel.test",
        template="test_message",
        name="Anna",
    )
    assert "\n" not in message.recipient and "\r" not in message.recipient


def test_retry_puts_a_failed_message_back_in_line(clock):
    staff = UserFactory(staff=True)
    message = OutboxMessageFactory(failed=True, attempts=8)
    clock.advance(hours=3)
    retry_message(message, actor=staff, now=clock.now)
    assert message.is_pending
    assert message.attempts == 0
    assert message.next_attempt_at == clock.now


def test_retry_moves_a_waiting_message_forward(clock):
    message = OutboxMessageFactory(next_attempt_at=clock.now + timedelta(minutes=30))
    retry_message(message, actor=None, now=clock.now)
    assert message.next_attempt_at == clock.now


def test_a_sent_message_cannot_be_retried(app, clock):
    message = OutboxMessageFactory(sent=True)
    # The message is for the staff page, so it is made in a request (the locale comes from there).
    with app.test_request_context(), pytest.raises(OutboxError, match="redan skickat"):
        retry_message(message, actor=None, now=clock.now)


def test_a_failed_message_whose_text_retention_removed_is_not_put_back_in_line(app, clock):
    message = OutboxMessageFactory(failed=True, attempts=8, body_text="", body_html=None)
    failed_at = message.failed_at
    message.body_dropped_at = clock.now
    clock.advance(hours=3)
    with app.test_request_context(), pytest.raises(OutboxError, match="Texten i meddelandet är gallrad"):
        retry_message(message, actor=None, now=clock.now)
    # Still given up on: the outbox job would otherwise pick up a message without text.
    assert (message.failed_at, message.attempts, message.is_pending) == (failed_at, 8, False)


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("cannot be shown")


def test_queue_emails_writes_each_new_key_once_and_skips_what_is_already_queued(clock):
    queue_email(dedupe_key="bulk:1", recipient="anna@exempel.test", template="test_message", name="Anna")
    mails = [
        Mail("bulk:1", "anna@exempel.test", "test_message", {"name": "Anna"}),
        Mail("bulk:2", "bo@exempel.test", "test_message", {"name": "Bo"}),
        Mail("bulk:2", "bo@exempel.test", "test_message", {"name": "Bo"}),
        Mail("bulk:3", "cecilia@exempel.test", "test_message", {"name": _Unprintable()}),
        Mail(
            "bulk:4",
            "david@exempel.test",
            "test_message",
            {"name": "David"},
            send_after=clock.now + timedelta(hours=2),
        ),
    ]
    assert queue_emails(mails) == 3
    assert queue_emails(mails) == 0  # a job run twice queues nothing the second time
    db.session.commit()
    stored = {m.dedupe_key: m for m in db.session.scalars(select(OutboxMessage))}
    assert sorted(stored) == ["bulk:1", "bulk:2", "bulk:3", "bulk:4"]
    bo = stored["bulk:2"]
    assert "Hej Bo!" in bo.body_text and "<p>Hej Bo!</p>" in bo.body_html
    assert bo.subject == "Testmeddelande från Familjehemsresursen i Jönköpings län"
    assert bo.is_pending and bo.next_attempt_at == clock.now and bo.created_at == clock.now
    # A template that fails keeps its message, failed with its reason, and the rest go on.
    assert stored["bulk:3"].failed_at == clock.now
    assert stored["bulk:3"].last_error == "Mallen kunde inte användas (RuntimeError)"
    assert stored["bulk:4"].next_attempt_at == clock.now + timedelta(hours=2)


def test_queue_emails_runs_the_same_statements_for_three_mails_or_thirty(clock, count_queries):
    def queue(count: int, prefix: str) -> int:
        mails = [
            Mail(f"{prefix}:{n}", f"familj{n}@exempel.test", "test_message", {"name": "A"})
            for n in range(count)
        ]
        with count_queries() as statements:
            assert queue_emails(mails) == count
        return len(statements)

    assert queue(3, "few") == queue(30, "many")


def test_queue_emails_to_many_renders_once_and_greets_each_recipient_by_name(clock):
    recipients = [
        Recipient("many:1", "anna@exempel.test", "Anna"),
        Recipient("many:2", "bo@exempel.test", "<b>Bo</b>"),
        Recipient("many:3", "cecilia@exempel.test", ""),
    ]
    assert queue_emails_to_many("test_message", {}, recipients) == 3
    assert queue_emails_to_many("test_message", {}, recipients) == 0
    db.session.commit()
    stored = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert "Hej Anna!" in stored["anna@exempel.test"].body_text
    assert "<p>Hej Anna!</p>" in stored["anna@exempel.test"].body_html
    # A name is text: escaped in the HTML part, as the template would have done.
    assert "Hej <b>Bo</b>!" in stored["bo@exempel.test"].body_text
    assert "Hej &lt;b&gt;Bo&lt;/b&gt;!" in stored["bo@exempel.test"].body_html
    assert "Hej!" in stored["cecilia@exempel.test"].body_text
    assert all("greeting" not in m.body_text + m.body_html for m in stored.values())
    assert len({m.subject for m in stored.values()}) == 1


def test_queue_emails_to_groups_writes_for_each_recipient_what_rendering_their_own_mail_gives(clock):
    # Issue 24, point 5: the reminder job queues the mails of every due meeting at once, each
    # meeting's mail rendered once and greeted per person (on PostgreSQL the database puts the
    # names in). Each message must still be exactly the mail rendered for that person alone.
    names = ["Anna", "<b>Bo</b> & \\co", 'Cecilia "Cissi"', "", "Åsa\nRad två", "{Dan},"]
    groups = [
        (
            {"organisation": f"Resurs {number}"},
            [
                Recipient(f"groups:{number}:{n}", f" person{n}.{number}@exempel.test ", name)
                for n, name in enumerate(names)
            ],
        )
        for number in range(3)
    ]
    assert queue_emails_to_groups("test_message", groups) == 18
    assert queue_emails_to_groups("test_message", groups) == 0  # a job run twice
    db.session.commit()
    stored = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    # Written in the order given: groups, then recipients.
    assert [m.dedupe_key for m in stored] == [r.dedupe_key for _c, rs in groups for r in rs]
    for (context, recipients), start in zip(groups, range(0, 18, 6), strict=True):
        for recipient, message in zip(recipients, stored[start : start + 6], strict=True):
            subject, text, html = render_email(
                "test_message", **context, greeting_name=recipient.greeting_name
            )
            assert (message.subject, message.body_text, message.body_html) == (subject, text, html)
            assert message.recipient == recipient.address.strip()
            assert message.created_at == message.next_attempt_at == clock.now
            assert message.is_pending and message.attempts == 0 and message.headers is None
            assert message.calendar_ics is None and message.last_error is None


def test_queue_emails_to_groups_keeps_a_group_whose_template_fails_as_failed_messages(clock):
    groups = [
        ({"organisation": _Unprintable()}, [Recipient("broken:1", "anna@exempel.test", "Anna")]),
        ({}, [Recipient("fine:1", "bo@exempel.test", "Bo")]),
    ]
    assert queue_emails_to_groups("test_message", groups) == 2
    db.session.commit()
    stored = {m.dedupe_key: m for m in db.session.scalars(select(OutboxMessage))}
    broken = stored["broken:1"]
    assert broken.failed_at == clock.now and broken.subject == "(test_message)"
    assert broken.last_error == "Mallen kunde inte användas (RuntimeError)"
    assert broken.body_text == "" and broken.body_html is None
    assert "Hej Bo!" in stored["fine:1"].body_text and stored["fine:1"].failed_at is None


def test_queue_emails_to_groups_runs_the_same_statements_for_one_group_or_twenty(clock, count_queries):
    def queue(groups: int, prefix: str) -> int:
        batch = [
            (
                {"organisation": f"Resurs {g}"},
                [Recipient(f"{prefix}:{g}:{n}", f"p{n}@exempel.test", "A") for n in range(5)],
            )
            for g in range(groups)
        ]
        with count_queries() as statements:
            assert queue_emails_to_groups("test_message", batch) == 5 * groups
        return len(statements)

    assert queue(1, "one") == queue(20, "twenty")
