"""Each indicator question's figures in a closed evaluation are stored when it closes (issue 24).

The survey's indicators over the years (the results overview, one chart per indicator, the
download) counted every answer of every year's survey on each visit: at national size nine
surveys, 992 responses and 2,976 indicator answers (4,039 buffers) for the overview and again
for each of its five charts, and one survey more every year. The closing job now stores, beside
an evaluation's own figures (a1e5c0d2ed01), those of each of its indicator questions
(evaluations.models.IndicatorTally); this migration counts them for the evaluations already
counted. Answers never change after the closing time, so the figures stand for good.

- evaluation_indicator_tallies (evaluation_id, question_id, top, answered), filled here

Revision ID: a4e5c0d2f001
Revises: a3e5c0d2ef01
Created: 2026-12-05 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4e5c0d2f001"
down_revision = "a3e5c0d2ef01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_indicator_tallies",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("top", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "top >= 0 AND answered >= top", name=op.f("ck_evaluation_indicator_tallies_top_within_answered")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_indicator_tallies_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["evaluation_questions.id"],
            name=op.f("fk_evaluation_indicator_tallies_question_id_evaluation_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evaluation_id", "question_id", name=op.f("pk_evaluation_indicator_tallies")),
    )
    op.create_index(
        op.f("ix_evaluation_indicator_tallies_question_id"),
        "evaluation_indicator_tallies",
        ["question_id"],
        unique=False,
    )
    # The evaluations the closing job has counted (their response_count is set); 5 is the top of
    # the scale (models.RATING_HIGH), written out: a migration keeps the value it was written with.
    op.execute(
        """
        INSERT INTO evaluation_indicator_tallies (evaluation_id, question_id, top, answered)
        SELECT r.evaluation_id, a.question_id,
               SUM(CASE WHEN a.value = 5 THEN 1 ELSE 0 END), COUNT(*)
        FROM evaluation_answers AS a
        JOIN evaluation_responses AS r ON a.response_id = r.id
        JOIN evaluation_questions AS q ON a.question_id = q.id
        JOIN evaluations AS e ON r.evaluation_id = e.id
        WHERE e.response_count IS NOT NULL AND q.is_indicator AND a.value IS NOT NULL
        GROUP BY r.evaluation_id, a.question_id
        """
    )


def downgrade():
    op.drop_index(op.f("ix_evaluation_indicator_tallies_question_id"), table_name="evaluation_indicator_tallies")
    op.drop_table("evaluation_indicator_tallies")
