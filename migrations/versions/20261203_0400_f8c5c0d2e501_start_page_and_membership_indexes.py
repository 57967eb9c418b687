"""Indexes for the staff's start page, a person's forum networks and a case's adults (issue 24).

- ix_enrollments_awaiting_approval: the sign-ups waiting for a municipality's approval, oldest
  first. The start page's five oldest were found by reading all 654 through
  ix_enrollments_needs_approval_status and sorting them (253 buffers at national scale); from
  this partial index they are its first five entries (3 buffers). Its predicate is the page's
  condition as the page writes it, statuses as literals, so the planner can prove it (on
  SQLite the boolean as SQLAlchemy writes it there, 1: SQLite matches the terms' text).
- ix_forum_memberships_user_id_network_id replaces ix_forum_memberships_user_id: a person's
  networks (search, the network list) from the index alone, 233 -> 4 buffers for someone in
  300 networks. The unique (network_id, user_id) does not serve a lookup by user_id.
- ix_recruitment_adults_case_id_position replaces ix_recruitment_adults_case_id: a case's first
  adult (each board card) without a sort.
- ix_outbox_messages_failed: the failed messages, oldest first (start page); failed messages are
  kept until someone retries them, and were read among every unsent one and sorted.

Revision ID: f8c5c0d2e501
Revises: f7b5c0d2e405
Created: 2026-12-03 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f8c5c0d2e501"
down_revision = "f7b5c0d2e405"
branch_labels = None
depends_on = None

ACTIVE_IN = "status IN ('pending', 'confirmed', 'offered', 'waitlisted')"
AWAITING_APPROVAL = f"needs_approval IS true AND {ACTIVE_IN}"
AWAITING_APPROVAL_SQLITE = f"needs_approval IS 1 AND {ACTIVE_IN}"  # as SQLAlchemy writes it there
FAILED = "failed_at IS NOT NULL AND sent_at IS NULL"


def upgrade():
    with op.batch_alter_table("enrollments") as batch:
        batch.create_index(
            "ix_enrollments_awaiting_approval",
            ["created_at", "id"],
            unique=False,
            sqlite_where=sa.text(AWAITING_APPROVAL_SQLITE),
            postgresql_where=sa.text(AWAITING_APPROVAL),
        )
    with op.batch_alter_table("forum_memberships") as batch:
        batch.create_index("ix_forum_memberships_user_id_network_id", ["user_id", "network_id"], unique=False)
        batch.drop_index("ix_forum_memberships_user_id")
    with op.batch_alter_table("recruitment_adults") as batch:
        batch.create_index(
            "ix_recruitment_adults_case_id_position", ["case_id", "position", "id"], unique=False
        )
        batch.drop_index("ix_recruitment_adults_case_id")
    with op.batch_alter_table("outbox_messages") as batch:
        batch.create_index(
            "ix_outbox_messages_failed",
            ["failed_at", "id"],
            unique=False,
            sqlite_where=sa.text(FAILED),
            postgresql_where=sa.text(FAILED),
        )


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_index("ix_outbox_messages_failed")
    with op.batch_alter_table("recruitment_adults") as batch:
        batch.create_index("ix_recruitment_adults_case_id", ["case_id"], unique=False)
        batch.drop_index("ix_recruitment_adults_case_id_position")
    with op.batch_alter_table("forum_memberships") as batch:
        batch.create_index("ix_forum_memberships_user_id", ["user_id"], unique=False)
        batch.drop_index("ix_forum_memberships_user_id_network_id")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_index("ix_enrollments_awaiting_approval")
