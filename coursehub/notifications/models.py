"""The outbox: every e-mail is written here in the same transaction as the change it reports."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coursehub.db import Base, created_at_column, intpk, partial_index
from coursehub.lib.personal_data import ERASED_DOMAIN

# A message given up on and not sent since, in SQL (the predicate of the failed messages' index).
FAILED = "failed_at IS NOT NULL AND sent_at IS NULL"
# A sent message whose text retention has not dropped yet (the predicate of retention's index).
SENT_WITH_BODY = "sent_at IS NOT NULL AND body_dropped_at IS NULL"
# A message neither sent nor given up on (the predicate of the waiting messages' index).
WAITING = "sent_at IS NULL AND failed_at IS NULL"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[intpk]
    # The same event queued twice (a job run twice, a retried request) yields one message.
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    calendar_ics: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    calendar_method: Mapped[str | None] = mapped_column(sa.String(16))  # REQUEST or CANCEL
    # Extra mail headers, name to value (List-Unsubscribe ...); values are checked free of CR/LF.
    headers: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = created_at_column()
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]  # gave up (a 5xx reply, or too many attempts)
    # When retention dropped the body, calendar part and headers of the sent or failed message
    # (the row stays as the record of the delivery, or of its failure; services.drop_mail_bodies),
    # or the recipient's erasure emptied it (personal_data.erase). Such a message is not sent again.
    body_dropped_at: Mapped[datetime | None]

    __table_args__ = (
        # What retention looks for, oldest first: sent mail that still has its text
        # (services.drop_mail_bodies). Partial, so the years of mail already emptied are not in it.
        partial_index(
            "ix_outbox_messages_sent_with_body",
            "sent_at",
            "id",
            where=SENT_WITH_BODY,
        ),
        # The failed messages, oldest first (the staff's start page, and retention, which empties
        # them after a while): failed ones are kept until someone retries them, so they are read
        # from an index of their own, in its order.
        partial_index(
            "ix_outbox_messages_failed",
            "failed_at",
            "id",
            where=FAILED,
        ),
        # The sent messages, newest first, for the outbox page: with the id, so that the many
        # sent in the same second (a job's batch) come in order from the index too.
        sa.Index("ix_outbox_messages_sent_at_id", "sent_at", "id"),
        # The waiting messages in the order they go out, for the staff's outbox page (queries):
        # a handful at any time, however many were sent over the years.
        partial_index(
            "ix_outbox_messages_waiting",
            "created_at",
            "id",
            where=WAITING,
        ),
    )

    @property
    def recipient_erased(self) -> bool:
        """Whether the message was to a person since erased (its text went with their data)."""
        return self.recipient.endswith(ERASED_DOMAIN)

    @property
    def is_pending(self) -> bool:
        return self.sent_at is None and self.failed_at is None


# A person's mail by their address in any case of letters (their data export and erasure,
# personal_data): without it, each export read every message of every year.
sa.Index("ix_outbox_messages_recipient_lower", sa.func.lower(OutboxMessage.recipient))
