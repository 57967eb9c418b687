"""Helpers for the outbox tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar, Event

from coursehub import clock
from coursehub.extensions import db
from coursehub.notifications.services import queue_email


@pytest.fixture
def queue_test_message(app):
    """Queue the neutral test e-mail and commit it, as the request that wrote it would."""

    def _queue(recipient="anna.andersson@exempel.test", *, key=None, name="Anna", **options):
        message = queue_email(
            dedupe_key=key or f"test:{recipient}",
            recipient=recipient,
            template="test_message",
            name=name,
            **options,
        )
        db.session.commit()
        return message

    return _queue


@pytest.fixture
def invitation_ics():
    """A small calendar invitation, built with icalendar (never by string joins)."""
    start = clock.now() + timedelta(days=14)
    calendar = Calendar()
    calendar.add("prodid", "-//coursehub//test//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", "test-1@coursehub.test")
    event.add("dtstamp", clock.now())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=3))
    event.add("summary", "Träff 1: Barnets behov av närhet")
    calendar.add_component(event)
    return calendar.to_ical()


# The browser fixtures live under tests/browser/ (chromium in tests/conftest.py); the outbox
# journey uses the same ones.
from tests.browser.conftest import (  # noqa: E402, F401
    accessible,
    browser_login,
    live_server,
    page,
)
