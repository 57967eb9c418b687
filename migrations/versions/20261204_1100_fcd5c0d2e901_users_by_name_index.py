"""The staff's user list reads a page of accounts by name from an index (issue 24).

The list is ordered by full name and id. Without an index in that order PostgreSQL sorted every
account to show 25: 37-47 ms a page with the national bench set's 55,000 accounts, and more with
every family that ever signed up.

- ix_users_full_name_id: (full_name, id).

Revision ID: fcd5c0d2e901
Revises: fbd5c0d2e801
Created: 2026-12-04 11:00:00
"""

from alembic import op

revision = "fcd5c0d2e901"
down_revision = "fbd5c0d2e801"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.create_index("ix_users_full_name_id", ["full_name", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_full_name_id")
