"""An index on user_roles.role (issue 24): everyone holding a role, without reading every row.

The primary key (user_id, role) leads with the user, so lists of the staff (the case board's
filter of who handles a case, the staff pickers) read the whole table: 55,714 rows at national
scale, 2.95 ms where the county set takes 0.19 ms. With the index it is a range.

Revision ID: f6a7c0d2e307
Revises: f6a5c0d2e305
Created: 2026-12-02 08:40:00
"""

from alembic import op

revision = "f6a7c0d2e307"
down_revision = "f6a5c0d2e305"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_user_roles_role", "user_roles", ["role"])


def downgrade():
    op.drop_index("ix_user_roles_role", table_name="user_roles")
