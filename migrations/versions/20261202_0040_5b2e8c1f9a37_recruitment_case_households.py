"""Which household a recruited family became when it was brought into the courses (issue 21, point 6).

Revision ID: 5b2e8c1f9a37
Revises: 73cd42a9c9c5
Created: 2026-12-02 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5b2e8c1f9a37"
down_revision = "73cd42a9c9c5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recruitment_case_households",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_case_households_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_recruitment_case_households_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_recruitment_case_households_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_recruitment_case_households_municipality_id_municipalities"),
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_recruitment_case_households")),
        sa.UniqueConstraint("household_id", name=op.f("uq_recruitment_case_households_household_id")),
    )
    with op.batch_alter_table("recruitment_case_households", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_case_households_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("recruitment_case_households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_case_households_municipality_id"))
    op.drop_table("recruitment_case_households")
