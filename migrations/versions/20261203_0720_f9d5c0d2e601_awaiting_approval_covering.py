"""A municipality's sign-ups waiting for approval counted from indexes alone (issue 24).

The menu of a municipality's staff and network members counts their sign-ups waiting for a
decision on every page. It read all 654 waiting sign-ups' rows nationally to learn each one's
household or professional, and every household row of the municipality for its id (352 buffers,
1.3 ms at national scale). With the household and professional carried in the waiting sign-ups'
partial index (PostgreSQL's INCLUDE; on SQLite the index is as before) and the households
indexed on (municipality_id, id), both come from the indexes: 12 buffers, 0.2 ms.

- ix_enrollments_awaiting_approval: rebuilt with INCLUDE (household_id, professional_id).
- ix_households_municipality_id_id replaces ix_households_municipality_id.

Revision ID: f9d5c0d2e601
Revises: f8c5c0d2e501
Created: 2026-12-03 07:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f9d5c0d2e601"
down_revision = "f8c5c0d2e501"
branch_labels = None
depends_on = None

ACTIVE_IN = "status IN ('pending', 'confirmed', 'offered', 'waitlisted')"
AWAITING_APPROVAL = f"needs_approval IS true AND {ACTIVE_IN}"
AWAITING_APPROVAL_SQLITE = f"needs_approval IS 1 AND {ACTIVE_IN}"  # as SQLAlchemy writes it there


def _awaiting_index(batch, include):
    batch.create_index(
        "ix_enrollments_awaiting_approval",
        ["created_at", "id"],
        unique=False,
        sqlite_where=sa.text(AWAITING_APPROVAL_SQLITE),
        postgresql_where=sa.text(AWAITING_APPROVAL),
        **({"postgresql_include": include} if include else {}),
    )


def upgrade():
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_index("ix_enrollments_awaiting_approval")
        _awaiting_index(batch, ["household_id", "professional_id"])
    with op.batch_alter_table("households") as batch:
        batch.create_index("ix_households_municipality_id_id", ["municipality_id", "id"], unique=False)
        batch.drop_index("ix_households_municipality_id")


def downgrade():
    with op.batch_alter_table("households") as batch:
        batch.create_index("ix_households_municipality_id", ["municipality_id"], unique=False)
        batch.drop_index("ix_households_municipality_id_id")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_index("ix_enrollments_awaiting_approval")
        _awaiting_index(batch, None)
