"""A partial index for the case board's municipality filter (issue 24): the open cases by municipality.

The board offers the municipalities that have open cases. PostgreSQL answered that by probing
ix_recruitment_cases_municipality_id once per municipality and reading each probe's cases,
ended ones included, to find an open one: 567 probes and 2,572 buffers at national scale. With
the open cases' municipalities in an index of their own it is an index-only scan of that small
index (12 buffers).

Revision ID: f7b5c0d2e405
Revises: f6a7c0d2e307
Created: 2026-12-02 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f7b5c0d2e405"
down_revision = "f6a7c0d2e307"
branch_labels = None
depends_on = None

OPEN_CASE = "closed_at IS NULL AND withdrawn_at IS NULL"


def upgrade():
    with op.batch_alter_table("recruitment_cases") as batch:
        batch.create_index(
            "ix_recruitment_cases_open_municipality",
            ["municipality_id"],
            unique=False,
            sqlite_where=sa.text(OPEN_CASE),
            postgresql_where=sa.text(OPEN_CASE),
        )


def downgrade():
    with op.batch_alter_table("recruitment_cases") as batch:
        batch.drop_index("ix_recruitment_cases_open_municipality")
