"""A report's figures are kept for some minutes once counted (issue 24).

Counting the report reads every sign-up and attendance mark of its periods: about a second for the
whole country, and again for each of its charts, its printable page and its workbook, each a
request of its own. Now a report's sections are kept as counted (reports.models.ReportSnapshot),
one row per place, series of periods and language, and shown from there while they are younger
than COURSEHUB_REPORT_FRESH_MINUTES or until someone asks for them to be counted again.

- report_snapshots (key, made_at, sections)

Revision ID: a6e5c0d2f201
Revises: a5e5c0d2f101
Created: 2026-12-06 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a6e5c0d2f201"
down_revision = "a5e5c0d2f101"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_snapshots",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_report_snapshots")),
    )
    op.create_index(op.f("ix_report_snapshots_made_at"), "report_snapshots", ["made_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_report_snapshots_made_at"), table_name="report_snapshots")
    op.drop_table("report_snapshots")
