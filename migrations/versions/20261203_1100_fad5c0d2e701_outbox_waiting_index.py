"""The outbox's waiting messages in an index of their own, the sent ones with their id (issue 24).

The staff's outbox page sorted every message ever queued to show 25 (failed, then waiting, then
the latest sent): 17 ms at national scale with 25,000 messages, and growing with every year of
mail. It now reads each part from an index in its order: the failed from ix_outbox_messages_failed,
the waiting from ix_outbox_messages_waiting (new), and the sent from ix_outbox_messages_sent_at_id,
which replaces the index on sent_at alone: a job's batch is stamped with one time, and at the
bench's national size the newest 25 sent were sorted out of 10,648 with the same second (456
buffers; from the new index, 3).

- ix_outbox_messages_waiting: (created_at, id) WHERE sent_at IS NULL AND failed_at IS NULL.
- ix_outbox_messages_sent_at_id: (sent_at, id), replacing ix_outbox_messages_sent_at.

Revision ID: fad5c0d2e701
Revises: f9d5c0d2e601
Created: 2026-12-03 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fad5c0d2e701"
down_revision = "f9d5c0d2e601"
branch_labels = None
depends_on = None

WAITING = "sent_at IS NULL AND failed_at IS NULL"


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.create_index(
            "ix_outbox_messages_waiting",
            ["created_at", "id"],
            unique=False,
            sqlite_where=sa.text(WAITING),
            postgresql_where=sa.text(WAITING),
        )
        batch.create_index("ix_outbox_messages_sent_at_id", ["sent_at", "id"], unique=False)
        batch.drop_index("ix_outbox_messages_sent_at")


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.create_index("ix_outbox_messages_sent_at", ["sent_at"], unique=False)
        batch.drop_index("ix_outbox_messages_sent_at_id")
        batch.drop_index("ix_outbox_messages_waiting")
