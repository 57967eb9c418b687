"""Partial indexes for the case board and the start page (issue 24): the open cases.

ix_recruitment_cases_open_board: the open cases by step, oldest first.

Without it PostgreSQL reads every case of a step, ended ones included, to find the 25 oldest
open ones of each column, and every open case's row to count them; with 20,000 cases (national
scale) that is 550 pages per column. With it each column is a range of 25 index entries and the
counts an index-only scan.

ix_recruitment_cases_awaiting_contact: the open cases nobody has contacted yet, by deadline.
Staff's start page (and the menu's count on every staff page) counts and lists the late ones;
without it that is the same 550 pages at national scale, with it a range of the index.

Revision ID: f6a5c0d2e305
Revises: f6a4c0d2e304
Created: 2026-12-02 04:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f6a5c0d2e305"
down_revision = "f6a4c0d2e304"
branch_labels = None
depends_on = None

OPEN_CASE = "closed_at IS NULL AND withdrawn_at IS NULL"
AWAITING_CONTACT = OPEN_CASE + " AND first_contact_at IS NULL"
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
        batch.create_index(
            "ix_recruitment_cases_awaiting_contact",
            ["first_contact_due_on", "id"],
            unique=False,
            sqlite_where=sa.text(AWAITING_CONTACT),
            postgresql_where=sa.text(AWAITING_CONTACT),
        )


def downgrade():
    with op.batch_alter_table("recruitment_cases") as batch:
        batch.drop_index("ix_recruitment_cases_awaiting_contact")
        batch.drop_index("ix_recruitment_cases_open_board")
