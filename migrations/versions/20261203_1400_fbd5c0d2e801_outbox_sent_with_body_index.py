"""Retention reads the sent mail that still has its text from a partial index (issue 24).

The nightly job that drops old mail bodies looks for sent messages not yet emptied, oldest first.
Since ix_outbox_messages_sent_at_id (sent_at, id) came, PostgreSQL read them from that index in
its order and filtered `body_dropped_at IS NULL` row by row: every message emptied in the years
before was walked again each night (6,000 messages in the test, 4,000 of them emptied: the whole
index up to the cutoff). The index on (body_dropped_at, sent_at) could not give the order.

- ix_outbox_messages_sent_with_body: (sent_at, id) WHERE sent_at IS NOT NULL AND
  body_dropped_at IS NULL, replacing ix_outbox_messages_body_retention: it holds only the mail
  of the retention period, whatever the years behind it.

Revision ID: fbd5c0d2e801
Revises: fad5c0d2e701
Created: 2026-12-03 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fbd5c0d2e801"
down_revision = "fad5c0d2e701"
branch_labels = None
depends_on = None

SENT_WITH_BODY = "sent_at IS NOT NULL AND body_dropped_at IS NULL"


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.create_index(
            "ix_outbox_messages_sent_with_body",
            ["sent_at", "id"],
            unique=False,
            sqlite_where=sa.text(SENT_WITH_BODY),
            postgresql_where=sa.text(SENT_WITH_BODY),
        )
        batch.drop_index("ix_outbox_messages_body_retention")


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.create_index("ix_outbox_messages_body_retention", ["body_dropped_at", "sent_at"], unique=False)
        batch.drop_index("ix_outbox_messages_sent_with_body")
