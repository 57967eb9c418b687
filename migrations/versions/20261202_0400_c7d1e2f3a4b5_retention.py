"""Retention (issue 23, point 3): markers of what retention has done, and the indexes it reads by.

Revision ID: c7d1e2f3a4b5
Revises: b8e4a2d0f3c5
Created: 2026-12-02 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c7d1e2f3a4b5"
down_revision = "b8e4a2d0f3c5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_dropped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_outbox_messages_body_retention", ["body_dropped_at", "sent_at"], unique=False
        )
    with op.batch_alter_table("recruitment_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_recruitment_cases_closed_retention", ["anonymised_at", "closed_at"], unique=False
        )
        batch_op.create_index(
            "ix_recruitment_cases_withdrawn_retention", ["anonymised_at", "withdrawn_at"], unique=False
        )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.create_index(
            "ix_households_unconfirmed_created", ["is_confirmed", "created_at"], unique=False
        )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_at", ["at"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_at")
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index("ix_households_unconfirmed_created")
    with op.batch_alter_table("recruitment_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitment_cases_withdrawn_retention")
        batch_op.drop_index("ix_recruitment_cases_closed_retention")
        batch_op.drop_column("anonymised_at")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_body_retention")
        batch_op.drop_column("body_dropped_at")
