"""Indexes for the audit review page's filters and the unusual-read flags (issue 23, point 4).

Each filter of the page (actor, action, record) gets an index that ends in the time, and the time
has its own (made by the retention migration before this one), so that a page of the newest rows is read from an index in order instead of sorting
the whole log. The two single-column indexes they replace are prefixes of the new ones.

Revision ID: d9e3b7a1c5f2
Revises: c7d1e2f3a4b5
Created: 2026-12-02 04:00:00
"""

from alembic import op

revision = "d9e3b7a1c5f2"
down_revision = "c7d1e2f3a4b5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_action")
        batch_op.drop_index("ix_audit_entries_actor_id")
        batch_op.create_index("ix_audit_entries_actor_id_at", ["actor_id", "at"], unique=False)
        batch_op.create_index("ix_audit_entries_action_at", ["action", "at"], unique=False)
        batch_op.create_index("ix_audit_entries_object_at", ["object_type", "object_id", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_object_at")
        batch_op.drop_index("ix_audit_entries_action_at")
        batch_op.drop_index("ix_audit_entries_actor_id_at")
        batch_op.create_index("ix_audit_entries_actor_id", ["actor_id"], unique=False)
        batch_op.create_index("ix_audit_entries_action", ["action"], unique=False)
