"""Courses for professionals, and the speakers and contents of a session.

A course type says whom it is for (families, professionals or both; existing types are for
families). A sign-up is a family's (with a household) or a professional's (household_id NULL, the
person in professional_id); a check constraint holds that shape, and existing sign-ups are
families'. A session gets a note of its contents and a child table of speakers or guests.

Revision ID: e1f2a3b4c5d6
Revises: b3c4d5e6f7a8
Created: 2026-12-02 00:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e1f2a3b4c5d6"
down_revision = "b3c4d5e6f7a8"
branch_labels = None
depends_on = None

SHAPE = (
    "(participant_kind = 'family' AND household_id IS NOT NULL AND professional_id IS NULL)"
    " OR (participant_kind = 'professional' AND household_id IS NULL AND professional_id IS NOT NULL)"
)


def upgrade():
    # server_default fills the rows already there: every existing type is for families.
    with op.batch_alter_table("course_types") as batch:
        batch.add_column(
            sa.Column(
                "intended_for",
                sa.Enum(
                    "families",
                    "professionals",
                    "both",
                    name="intended_for",
                    native_enum=False,
                    create_constraint=True,
                    length=13,
                ),
                server_default="families",
                nullable=False,
            )
        )
    with op.batch_alter_table("course_sessions") as batch:
        batch.add_column(
            sa.Column("contents_note", sa.String(length=1000), server_default="", nullable=False)
        )
    op.create_table(
        "session_speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_session_speakers_speaker_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["course_sessions.id"],
            name=op.f("fk_session_speakers_session_id_course_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_speakers")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_session_speakers_session_id_position")),
    )
    op.create_index(op.f("ix_session_speakers_session_id"), "session_speakers", ["session_id"])
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(
            sa.Column(
                "participant_kind",
                sa.Enum(
                    "family",
                    "professional",
                    name="participant_kind",
                    native_enum=False,
                    create_constraint=True,
                    length=12,
                ),
                server_default="family",
                nullable=False,
            )
        )
        batch.add_column(sa.Column("professional_id", sa.Integer(), nullable=True))
        batch.alter_column("household_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(
            op.f("fk_enrollments_professional_id_users"), "users", ["professional_id"], ["id"]
        )
        batch.create_index(op.f("ix_enrollments_professional_id"), ["professional_id"])
        batch.create_unique_constraint(
            op.f("uq_enrollments_run_id_professional_id_scope"), ["run_id", "professional_id", "scope"]
        )
        batch.create_check_constraint("participant_shape", SHAPE)


def downgrade():
    # Professionals' sign-ups have no household and cannot be kept in the older shape.
    op.execute(
        "DELETE FROM enrollment_persons WHERE enrollment_id IN "
        "(SELECT id FROM enrollments WHERE participant_kind = 'professional')"
    )
    op.execute("DELETE FROM enrollments WHERE participant_kind = 'professional'")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_constraint(op.f("ck_enrollments_participant_shape"), type_="check")
        batch.drop_constraint(op.f("uq_enrollments_run_id_professional_id_scope"), type_="unique")
        batch.drop_index(op.f("ix_enrollments_professional_id"))
        batch.drop_constraint(op.f("fk_enrollments_professional_id_users"), type_="foreignkey")
        batch.alter_column("household_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("professional_id")
        batch.drop_constraint(op.f("ck_enrollments_participant_kind"), type_="check")
        batch.drop_column("participant_kind")
    op.drop_index(op.f("ix_session_speakers_session_id"), table_name="session_speakers")
    op.drop_table("session_speakers")
    with op.batch_alter_table("course_sessions") as batch:
        batch.drop_column("contents_note")
    with op.batch_alter_table("course_types") as batch:
        batch.drop_constraint(op.f("ck_course_types_intended_for"), type_="check")
        batch.drop_column("intended_for")
