"""Fixtures and helpers of the evaluations tests."""

from __future__ import annotations

from sqlalchemy import select

from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage


def evaluation_mails() -> list[OutboxMessage]:
    """Return the evaluation mails in the outbox, oldest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.like("evaluations.%"))
            .order_by(OutboxMessage.id)
        )
    )
