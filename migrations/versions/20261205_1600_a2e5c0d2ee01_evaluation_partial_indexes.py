"""The evaluations not yet counted and the yearly surveys are found by partial indexes (issue 24).

With each evaluation's figures stored when it closes (a1e5c0d2ed01), the results pages still
looked for the few not yet counted (`response_count IS NULL`, models.uncounted) and the one
survey a year (`survey_year IS NOT NULL`: the survey list, the indicators over the years) by
reading every evaluation: 4,523 rows at national size, one more for every run held. EXPLAIN
ANALYZE on the national set (benchmarks/explain_pages.py, staff): the survey list's two
statements and the uncounted part of the comparisons no longer scan the table.

- ix_evaluations_uncounted (id) WHERE response_count IS NULL
- ix_evaluations_surveys (survey_year, id) WHERE survey_year IS NOT NULL

Revision ID: a2e5c0d2ee01
Revises: a1e5c0d2ed01
Created: 2026-12-05 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a2e5c0d2ee01"
down_revision = "a1e5c0d2ed01"
branch_labels = None
depends_on = None

# The models' conditions (evaluations.models.UNCOUNTED, SURVEYS), written out: a migration keeps
# the text it was written with.
UNCOUNTED = "response_count IS NULL"
SURVEYS = "survey_year IS NOT NULL"


def upgrade():
    op.create_index(
        "ix_evaluations_uncounted",
        "evaluations",
        ["id"],
        sqlite_where=sa.text(UNCOUNTED),
        postgresql_where=sa.text(UNCOUNTED),
    )
    op.create_index(
        "ix_evaluations_surveys",
        "evaluations",
        ["survey_year", "id"],
        sqlite_where=sa.text(SURVEYS),
        postgresql_where=sa.text(SURVEYS),
    )


def downgrade():
    op.drop_index("ix_evaluations_surveys", table_name="evaluations")
    op.drop_index("ix_evaluations_uncounted", table_name="evaluations")
