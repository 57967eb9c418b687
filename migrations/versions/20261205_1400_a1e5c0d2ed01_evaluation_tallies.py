"""An evaluation's figures are counted once, when it closes (issue 24).

The results pages (the overview's half-years, a course type's runs and half-years, the quotes)
counted every answer of every year on each visit: at national size 100-300 ms of SQL a page,
and more with each year. The closing job now stores each evaluation's responses and indicator
answers (evaluations.models.tallies); this migration counts those of the evaluations already
closed. Answers never change after the closing time, so the figures stand for good.

- evaluations.response_count, indicator_top, indicator_answered, quote_count

Revision ID: a1e5c0d2ed01
Revises: ffd5c0d2ec01
Created: 2026-12-05 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a1e5c0d2ed01"
down_revision = "ffd5c0d2ec01"
branch_labels = None
depends_on = None

# The answers of the evaluation in the row being updated; 5 is the top of the scale
# (models.RATING_HIGH), written out: a migration keeps the value it was written with.
ANSWERS = """
    SELECT count(*) FROM evaluation_answers AS a
    JOIN evaluation_responses AS r ON a.response_id = r.id
    JOIN evaluation_questions AS q ON a.question_id = q.id
    WHERE r.evaluation_id = evaluations.id
"""
INDICATOR_ANSWERS = f"{ANSWERS} AND q.is_indicator AND a.value IS NOT NULL"
QUOTES = f"{ANSWERS} AND r.may_quote AND a.text IS NOT NULL AND a.text != ''"


def upgrade():
    op.add_column("evaluations", sa.Column("response_count", sa.Integer(), nullable=True))
    op.add_column("evaluations", sa.Column("indicator_top", sa.Integer(), nullable=True))
    op.add_column("evaluations", sa.Column("indicator_answered", sa.Integer(), nullable=True))
    op.add_column("evaluations", sa.Column("quote_count", sa.Integer(), nullable=True))
    op.execute(
        f"""
        UPDATE evaluations SET
            response_count = (
                SELECT count(*) FROM evaluation_responses AS r WHERE r.evaluation_id = evaluations.id
            ),
            indicator_top = ({INDICATOR_ANSWERS} AND a.value = 5),
            indicator_answered = ({INDICATOR_ANSWERS}),
            quote_count = ({QUOTES})
        WHERE closed_at IS NOT NULL
        """  # noqa: S608 - no input: the text is this file's own
    )


def downgrade():
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("quote_count")
        batch.drop_column("indicator_answered")
        batch.drop_column("indicator_top")
        batch.drop_column("response_count")
