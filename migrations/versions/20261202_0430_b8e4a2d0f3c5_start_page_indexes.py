"""An index for staff's start page (issue 22): sign-ups waiting for a municipality's approval.

Without it PostgreSQL reads every active sign-up ever made (confirmed ones are most) to count the
few that wait for a decision.

Revision ID: b8e4a2d0f3c5
Revises: a7d3f1c9e2b4
Created: 2026-12-02 04:30:00
"""

from alembic import op

revision = "b8e4a2d0f3c5"
down_revision = "a7d3f1c9e2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollments") as batch:
        batch.create_index("ix_enrollments_needs_approval_status", ["needs_approval", "status"], unique=False)


def downgrade():
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_index("ix_enrollments_needs_approval_status")
