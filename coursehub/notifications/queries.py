"""Reads for the outbox page: a fixed number of queries whatever the number of messages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate
from coursehub.notifications.models import OutboxMessage

PER_PAGE = 25

# Failed first, then waiting, then sent; the bodies are not loaded for the list.
_STATUS_RANK = sa.case(
    (OutboxMessage.failed_at.is_not(None), 0),
    (OutboxMessage.sent_at.is_(None), 1),
    else_=2,
)


def outbox_page(page: int, per_page: int = PER_PAGE) -> Page:
    """Return one page of messages: failed, then waiting (oldest first), then the latest sent."""
    query = (
        select(OutboxMessage)
        .options(
            load_only(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.created_at,
                OutboxMessage.attempts,
                OutboxMessage.next_attempt_at,
                OutboxMessage.last_error,
                OutboxMessage.sent_at,
                OutboxMessage.failed_at,
                OutboxMessage.body_dropped_at,
            )
        )
        .order_by(
            _STATUS_RANK,
            # Unsent: oldest first (the order they go out); sent: newest first.
            sa.case((OutboxMessage.sent_at.is_(None), OutboxMessage.created_at)),
            OutboxMessage.sent_at.desc(),
            OutboxMessage.id.desc(),
        )
    )
    return paginate(query, page, per_page)


def outbox_counts() -> dict[str, int]:
    """Return how many messages wait and how many failed, in one query."""
    waiting = sa.and_(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    row = db.session.execute(
        select(
            func.count().filter(waiting),
            func.count().filter(OutboxMessage.failed_at.is_not(None)),
        ).select_from(OutboxMessage)
    ).one()
    return {"waiting": row[0] or 0, "failed": row[1] or 0}
