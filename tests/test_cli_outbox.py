"""`flask --app coursehub outbox send` against a real SMTP server."""

from __future__ import annotations

from coursehub.extensions import db
from coursehub.notifications.services import queue_email


def _queue(recipient: str) -> None:
    queue_email(dedupe_key=f"cli:{recipient}", recipient=recipient, template="test_message", name="Anna")
    db.session.commit()


def test_outbox_send_delivers_what_is_due_and_says_so(runner, smtp_server):
    _queue("anna@exempel.test")
    _queue("bertil@exempel.test")

    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2, retrying 0, failed 0"
    assert sorted(m["To"] for m in smtp_server.wait_for(2)) == ["anna@exempel.test", "bertil@exempel.test"]
    again = runner.invoke(args=["outbox", "send"])
    assert again.output.strip() == "sent 0, retrying 0, failed 0"
    assert len(smtp_server.messages) == 2


def test_outbox_send_reports_retrying_when_the_server_is_down(runner, smtp_server):
    _queue("anna@exempel.test")
    smtp_server.stop()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 0, retrying 1, failed 0"


def test_outbox_send_without_a_mail_server_sends_nothing(runner):
    _queue("anna@exempel.test")
    result = runner.invoke(args=["outbox", "send"])
    assert result.output.strip() == "sent 0, retrying 0, failed 0"
