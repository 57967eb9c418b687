"""A person's optional gender and a run's optional least number of participants (issue 22).

Both are nullable: NULL gender is "not stated", NULL min_participants is "no minimum".

Revision ID: a7d3f1c9e2b4
Revises: 5b2e8c1f9a37
Created: 2026-12-02 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7d3f1c9e2b4"
down_revision = "5b2e8c1f9a37"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "gender",
                sa.Enum(
                    "woman",
                    "man",
                    "another",
                    name="gender",
                    native_enum=False,
                    create_constraint=True,
                    length=7,
                ),
                nullable=True,
            )
        )
    with op.batch_alter_table("course_runs") as batch:
        batch.add_column(sa.Column("min_participants", sa.Integer(), nullable=True))
        batch.create_check_constraint("min_participants_positive", "min_participants >= 1")


def downgrade():
    with op.batch_alter_table("course_runs") as batch:
        batch.drop_constraint(op.f("ck_course_runs_min_participants_positive"), type_="check")
        batch.drop_column("min_participants")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_gender"), type_="check")
        batch.drop_column("gender")
