"""A partial index for the case board (issue 24): the open cases by step, oldest first.

Without it PostgreSQL reads every case of a step, ended ones included, to find the 25 oldest
open ones of each column, and every open case's row to count them; with 20,000 cases (national
scale) that is 550 pages per column. With it each column is a range of 25 index entries and the
counts an index-only scan.

Revision ID: f6a5c0d2e305
Revises: e4a7c9d21b56
Created: 2026-12-02 04:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f6a5c0d2e305"
down_revision = "e4a7c9d21b56"
branch_labels = None
depends_on = None

OPEN_CASE = "closed_at IS NULL AND withdrawn_at IS NULL"
COLUMNS = ["step", "registered_at", "id", "first_contact_due_on", "first_contact_at"]


def upgrade():
    with op.batch_alter_table("recruitment_cases") as batch:
        batch.create_index(
            "ix_recruitment_cases_open_board",
            COLUMNS,
            unique=False,
            sqlite_where=sa.text(OPEN_CASE),
            postgresql_where=sa.text(OPEN_CASE),
        )


def downgrade():
    with op.batch_alter_table("recruitment_cases") as batch:
        batch.drop_index("ix_recruitment_cases_open_board")
