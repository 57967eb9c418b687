"""A person's mail is found by an index on the address (issue 24).

The data export and erasure find a person's mail by `lower(recipient)`, which no index served:
each export read every message ever queued (31 buffers with 2,000 messages, 308 with 20,000).

- ix_outbox_messages_recipient_lower: lower(recipient).

Revision ID: fdd5c0d2ea01
Revises: fcd5c0d2e901
Created: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fdd5c0d2ea01"
down_revision = "fcd5c0d2e901"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_outbox_messages_recipient_lower", "outbox_messages", [sa.text("lower(recipient)")])


def downgrade():
    op.drop_index("ix_outbox_messages_recipient_lower", table_name="outbox_messages")
