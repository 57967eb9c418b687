"""Helpers of the accounts tests: logging in through the real form, reading links from mail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coursehub import clock
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.factories import PASSWORD

LINK = re.compile(r"http://coursehub\.test(/(?:aterstall-losenord|inbjudan)/[A-Za-z0-9_-]+)")


def post_login(client, login, password=PASSWORD):
    """Post the login form as a person would; return the response (not followed)."""
    return client.post("/logga-in", data={"login": login, "password": password})


@pytest.fixture
def form_login():
    """Log in through the real login form and check that it worked."""

    def _login(client, user, password=PASSWORD):
        response = post_login(client, user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


def outbox_for(recipient: str) -> list[OutboxMessage]:
    """Return the outbox messages to `recipient`, oldest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
        )
    )


def link_path(text: str) -> str:
    """Return the path of the one reset or invitation link in a mail body."""
    found = LINK.findall(text)
    assert len(found) == 1, text
    return found[0]


def send_and_read(smtp_server, count: int = 1):
    """Run the outbox job and return the mails the SMTP server received."""
    from coursehub.notifications.jobs import send_outbox

    result = send_outbox(clock.now())
    assert result.sent >= 1
    return smtp_server.wait_for(count)


def plain_body(message) -> str:
    """Return the text/plain part of a received mail."""
    return message.get_body(preferencelist=("plain",)).get_content()
