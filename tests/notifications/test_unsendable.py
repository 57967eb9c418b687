"""One message that cannot be built or sent never stops the batch (issue 16, point 1).

Each test puts one unsendable message in the middle of a batch, straight into the outbox as an
old row or a script would (the factory bypasses `queue_email`), and runs the outbox job against
the real SMTP server of tests/support/smtp.py: every other message arrives, the bad one is marked
failed with a reason staff can read, and the run returns normally.
"""

from __future__ import annotations

import pytest

from coursehub.extensions import db
from coursehub.notifications import jobs
from coursehub.notifications.jobs import SendResult, send_outbox
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import retry_message
from tests.notifications.factories import OutboxMessageFactory

GOOD_BEFORE = "anna@exempel.test"
GOOD_AFTER = "bertil@exempel.test"


def _reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    found = db.session.get(OutboxMessage, message_id)
    assert found is not None
    return found


def _batch_with(queue_test_message, **bad_row) -> OutboxMessage:
    """Queue a good message, the bad row, and another good message, in that order; return the bad."""
    queue_test_message(GOOD_BEFORE)
    bad = OutboxMessageFactory(**bad_row)
    db.session.commit()
    queue_test_message(GOOD_AFTER)
    return bad


def _assert_others_delivered_and_bad_failed(smtp_server, clock, bad: OutboxMessage) -> str:
    """Run the job once; check the good two arrived and the bad one failed; return its reason."""
    assert send_outbox(clock.now) == SendResult(sent=2, failed=1)
    smtp_server.wait_for(2)
    assert [rcpts for _sender, rcpts in smtp_server.envelopes] == [[GOOD_BEFORE], [GOOD_AFTER]]
    stored = _reload(bad.id)
    assert stored.failed_at == clock.now and stored.sent_at is None
    assert stored.attempts == 1
    assert stored.last_error
    # A later run leaves it alone: it waits for staff to correct it.
    clock.advance(hours=2)
    assert send_outbox(clock.now) == SendResult()
    return stored.last_error


def test_a_recipient_with_a_non_ascii_local_part_fails_alone(smtp_server, clock, queue_test_message):
    bad = _batch_with(queue_test_message, recipient="åsa.öberg@exempel.test")
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason.startswith("Mottagarens adress går inte att skicka till:")
    assert "före @" in reason
    assert "öberg" not in reason  # no personal data in the reason


def test_an_idn_domain_that_does_not_encode_fails_alone(smtp_server, clock, queue_test_message):
    bad = _batch_with(queue_test_message, recipient="anna@" + "ä" * 70 + ".test")
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason.startswith("Mottagarens adress går inte att skicka till:")


def test_an_address_the_rule_now_refuses_fails_alone(smtp_server, clock, queue_test_message):
    # An old row from before the address rule: a special-use domain nothing can be sent to.
    bad = _batch_with(queue_test_message, recipient="anna@exempel.invalid")
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason.startswith("Mottagarens adress går inte att skicka till:")


def test_an_address_with_a_line_break_fails_alone_and_adds_no_header(smtp_server, clock, queue_test_message):
    bad = _batch_with(queue_test_message, recipient="anna@exempel.test\r\nBcc: eve@exempel.test")
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason.startswith("Mottagarens adress går inte att skicka till:")
    assert all("eve@" not in raw.decode("ascii", "replace") for raw in smtp_server.raw)


def test_an_old_row_with_an_unencoded_idn_domain_is_sent_to_its_ascii_form(
    smtp_server, clock, queue_test_message
):
    message = OutboxMessageFactory(recipient="Anna@Bücher.test")
    db.session.commit()
    assert send_outbox(clock.now) == SendResult(sent=1)
    smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == ["anna@xn--bcher-kva.test"]
    assert _reload(message.id).sent_at == clock.now


@pytest.mark.parametrize(
    "ics",
    [
        b"inte en kalender",
        b"\xff\xfe\x00trasig",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",  # no event to invite to
    ],
    ids=["text", "binary", "no-event"],
)
def test_a_calendar_part_that_cannot_be_read_fails_alone(smtp_server, clock, queue_test_message, ics):
    bad = _batch_with(queue_test_message, calendar_ics=ics, calendar_method="REQUEST")
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason.startswith("Kalenderfilen går inte att använda")


def test_a_calendar_whose_method_disagrees_with_the_message_fails_alone(
    smtp_server, clock, queue_test_message, invitation_ics
):
    # The invitation says METHOD:REQUEST; a CANCEL part around it would confuse every client.
    bad = _batch_with(queue_test_message, calendar_ics=invitation_ics, calendar_method="CANCEL")
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason.startswith("Kalenderfilen går inte att använda")


def test_an_error_while_building_one_message_fails_it_alone(
    smtp_server, clock, queue_test_message, monkeypatch
):
    bad = _batch_with(queue_test_message, recipient="cecilia@exempel.test")
    real_message_id = jobs._message_id

    def breaks_on_the_bad_one(message: OutboxMessage) -> str:
        if message.id == bad.id:
            raise RuntimeError("something nobody foresaw")
        return real_message_id(message)

    monkeypatch.setattr(jobs, "_message_id", breaks_on_the_bad_one)
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason == "Meddelandet kunde inte byggas (RuntimeError)"


def test_any_unexpected_error_with_one_message_fails_it_alone(
    smtp_server, clock, queue_test_message, monkeypatch
):
    # The last line of defence in _send_one: an error outside every narrower catch.
    bad = _batch_with(queue_test_message, recipient="cecilia@exempel.test")
    real_build = jobs._build

    def breaks_on_the_bad_one(message: OutboxMessage) -> jobs._Mail:
        if message.id == bad.id:
            raise KeyError("something nobody foresaw")
        return real_build(message)

    monkeypatch.setattr(jobs, "_build", breaks_on_the_bad_one)
    reason = _assert_others_delivered_and_bad_failed(smtp_server, clock, bad)
    assert reason == "Oväntat fel med meddelandet (KeyError)"


def _mail(recipient: str, subject: str, **options: list[str]) -> jobs._Mail:
    data = f"Subject: {subject}\r\nTo: {recipient}\r\n\r\nHej\r\n".encode()
    return jobs._Mail("noreply@familjehemsresurs.example", [recipient], data, **options)


def test_an_error_in_the_middle_of_the_smtp_conversation_does_not_spoil_the_next_message(
    app, smtp_server, clock
):
    # Past every check in _build, and after MAIL FROM: smtplib cannot encode the RCPT line. The
    # next message must not meet a server still waiting for that transaction to end (503).
    sender = jobs._Sender()
    try:
        with pytest.raises(jobs._GiveUp, match="Oväntat fel när meddelandet skickades"):
            sender.send(_mail("cecilia@exempel.test", "Ett", rcpt_options=["X-NOTE=å"]))
        sender.send(_mail(GOOD_AFTER, "Två"))
    finally:
        sender.close()
    smtp_server.wait_for(1)
    assert [rcpts for _sender, rcpts in smtp_server.envelopes] == [[GOOD_AFTER]]


def test_a_sender_address_that_cannot_be_sent_is_a_retry_not_a_crash(
    app, smtp_server, clock, queue_test_message, monkeypatch
):
    # A setting, not a message: nothing is failed for it; every message waits, with the reason.
    monkeypatch.setattr(app.extensions["mail"], "default_sender", "åsa@familjehemsresurs.test")
    first = queue_test_message(GOOD_BEFORE)
    queue_test_message(GOOD_AFTER)
    assert send_outbox(clock.now) == SendResult(retrying=2)
    assert smtp_server.messages == []
    stored = _reload(first.id)
    assert stored.failed_at is None
    assert stored.last_error is not None
    assert stored.last_error.startswith("Avsändaradressen i inställningarna")


class _Unprintable:
    """A template value that breaks the template at render time."""

    def __str__(self) -> str:
        raise RuntimeError("cannot be shown")


def test_a_template_that_fails_to_render_fails_its_message_alone(smtp_server, clock, queue_test_message):
    # Rendering happens when a service or a job queues the mail (the reminders job queues many
    # in one run): one broken message must neither undo the change it reports nor stop the rest.
    queue_test_message(GOOD_BEFORE)
    bad = queue_test_message("cecilia@exempel.test", name=_Unprintable())
    queue_test_message(GOOD_AFTER)
    assert bad is not None
    stored = _reload(bad.id)
    assert stored.failed_at == clock.now
    assert stored.last_error == "Mallen kunde inte användas (RuntimeError)"

    assert send_outbox(clock.now) == SendResult(sent=2)
    smtp_server.wait_for(2)
    assert [rcpts for _sender, rcpts in smtp_server.envelopes] == [[GOOD_BEFORE], [GOOD_AFTER]]

    # Put back in line by staff, it fails again with its reason: an empty mail is never sent.
    retry_message(stored, actor=None, now=clock.now)
    db.session.commit()
    assert send_outbox(clock.now) == SendResult(failed=1)
    assert _reload(bad.id).last_error == "Meddelandet har ingen text (mallen kunde inte användas)"
    assert len(smtp_server.messages) == 2


def test_a_server_reply_with_control_characters_is_stored_readable(smtp_server, clock, queue_test_message):
    # PostgreSQL refuses a NUL in text: the reason is cleaned before it is stored.
    bad = queue_test_message("cecilia@exempel.test")
    smtp_server.reject_with("550 5.1.1 mailbox\x00unavailable\x1b[0m", times=1)
    queue_test_message(GOOD_AFTER)
    assert send_outbox(clock.now) == SendResult(sent=1, failed=1)
    assert _reload(bad.id).last_error == "Servern svarade 550 5.1.1 mailbox unavailable [0m"
    assert [rcpts for _sender, rcpts in smtp_server.envelopes] == [[GOOD_AFTER]]
