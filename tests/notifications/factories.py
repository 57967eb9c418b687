"""Outbox factories: messages in each state, flushed into the test's session."""

from __future__ import annotations

import factory

from coursehub import clock
from coursehub.notifications.models import OutboxMessage
from tests.factories import Base


class OutboxMessageFactory(Base):
    """A waiting message, due now; traits `sent` and `failed`."""

    class Meta:
        model = OutboxMessage

    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    recipient = factory.Sequence(lambda n: f"mottagare{n}@exempel.test")
    subject = factory.Sequence(lambda n: f"Testmeddelande {n}")
    body_text = "Hej!\n\nDet här är ett testmeddelande.\n"
    body_html = "<p>Hej!</p><p>Det här är ett testmeddelande.</p>"
    created_at = factory.LazyFunction(clock.now)
    next_attempt_at = factory.LazyFunction(clock.now)

    class Params:
        sent = factory.Trait(sent_at=factory.LazyFunction(clock.now), attempts=1)
        failed = factory.Trait(
            failed_at=factory.LazyFunction(clock.now),
            attempts=1,
            last_error="Servern svarade 550 5.1.1 Mailbox unavailable",
        )
