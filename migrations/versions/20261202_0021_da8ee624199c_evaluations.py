"""Evaluations: forms and their versions, askings, the answered list and the anonymous answers.

A response's key is random text and its answers are keyed by (response, question), so no
sequence in these tables shows the order in which people answered.

Revision ID: da8ee624199c
Revises: e1f2a3b4c5d6
Created: 2026-12-02 00:21:52.988327
"""

import sqlalchemy as sa
from alembic import op

revision = "da8ee624199c"
down_revision = "e1f2a3b4c5d6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "course", "survey", name="evaluation_form_purpose", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_forms")),
        sa.UniqueConstraint("name", name=op.f("uq_evaluation_forms_name")),
    )
    op.create_table(
        "evaluation_course_type_forms",
        sa.Column("course_type_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_type_id"],
            ["course_types.id"],
            name=op.f("fk_evaluation_course_type_forms_course_type_id_course_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["evaluation_forms.id"],
            name=op.f("fk_evaluation_course_type_forms_form_id_evaluation_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_type_id", name=op.f("pk_evaluation_course_type_forms")),
    )
    with op.batch_alter_table("evaluation_course_type_forms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_course_type_forms_form_id"), ["form_id"], unique=False
        )

    op.create_table(
        "evaluation_form_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_evaluation_form_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["evaluation_forms.id"],
            name=op.f("fk_evaluation_form_versions_form_id_evaluation_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_form_versions")),
        sa.UniqueConstraint("form_id", "number", name=op.f("uq_evaluation_form_versions_form_id_number")),
    )
    op.create_table(
        "evaluation_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "rating",
                "yes_no",
                "choice",
                "text",
                name="evaluation_question_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("is_required", sa.Boolean(), nullable=False),
        sa.Column("low_label", sa.String(length=80), nullable=False),
        sa.Column("high_label", sa.String(length=80), nullable=False),
        sa.Column("is_indicator", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "NOT is_indicator OR kind = 'rating'", name=op.f("ck_evaluation_questions_indicator_is_rating")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["evaluation_form_versions.id"],
            name=op.f("fk_evaluation_questions_version_id_evaluation_form_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_questions")),
    )
    with op.batch_alter_table("evaluation_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_questions_version_id"), ["version_id"], unique=False)

    op.create_table(
        "evaluation_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["evaluation_questions.id"],
            name=op.f("fk_evaluation_choices_question_id_evaluation_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_choices")),
    )
    with op.batch_alter_table("evaluation_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_choices_question_id"), ["question_id"], unique=False)

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("survey_year", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("invited_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("closes_at > opens_at", name=op.f("ck_evaluations_closes_after_opening")),
        sa.CheckConstraint("invited_count >= 0", name=op.f("ck_evaluations_invited_not_negative")),
        sa.CheckConstraint(
            "run_id IS NOT NULL OR survey_year IS NOT NULL", name=op.f("ck_evaluations_run_or_year")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["course_runs.id"], name=op.f("fk_evaluations_run_id_course_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["evaluation_form_versions.id"],
            name=op.f("fk_evaluations_version_id_evaluation_form_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("run_id", name=op.f("uq_evaluations_run_id")),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index("ix_evaluations_open_closes_at", ["closed_at", "closes_at"], unique=False)
        batch_op.create_index("ix_evaluations_open_remind_at", ["reminded_at", "remind_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluations_version_id"), ["version_id"], unique=False)

    op.create_table(
        "evaluation_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("reminder_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_invitations_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_evaluation_invitations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_invitations")),
        sa.UniqueConstraint(
            "evaluation_id", "user_id", name=op.f("uq_evaluation_invitations_evaluation_id_user_id")
        ),
        sa.UniqueConstraint(
            "reminder_token_hash", name=op.f("uq_evaluation_invitations_reminder_token_hash")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_evaluation_invitations_token_hash")),
    )
    with op.batch_alter_table("evaluation_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_invitations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "evaluation_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("may_quote", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_responses_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_responses")),
    )
    with op.batch_alter_table("evaluation_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_responses_evaluation_id"), ["evaluation_id"], unique=False
        )

    op.create_table(
        "evaluation_answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("choice_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "value IS NOT NULL OR choice_id IS NOT NULL OR text IS NOT NULL",
            name=op.f("ck_evaluation_answers_has_an_answer"),
        ),
        sa.CheckConstraint(
            "value IS NULL OR value BETWEEN 0 AND 5", name=op.f("ck_evaluation_answers_value_in_scale")
        ),
        sa.ForeignKeyConstraint(
            ["choice_id"],
            ["evaluation_choices.id"],
            name=op.f("fk_evaluation_answers_choice_id_evaluation_choices"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["evaluation_questions.id"],
            name=op.f("fk_evaluation_answers_question_id_evaluation_questions"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["evaluation_responses.id"],
            name=op.f("fk_evaluation_answers_response_id_evaluation_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "question_id", name=op.f("pk_evaluation_answers")),
    )
    with op.batch_alter_table("evaluation_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_answers_question_id"), ["question_id"], unique=False)


def downgrade():
    with op.batch_alter_table("evaluation_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_answers_question_id"))

    op.drop_table("evaluation_answers")
    with op.batch_alter_table("evaluation_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_responses_evaluation_id"))

    op.drop_table("evaluation_responses")
    with op.batch_alter_table("evaluation_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_invitations_user_id"))

    op.drop_table("evaluation_invitations")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluations_version_id"))
        batch_op.drop_index("ix_evaluations_open_remind_at")
        batch_op.drop_index("ix_evaluations_open_closes_at")

    op.drop_table("evaluations")
    with op.batch_alter_table("evaluation_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_choices_question_id"))

    op.drop_table("evaluation_choices")
    with op.batch_alter_table("evaluation_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_questions_version_id"))

    op.drop_table("evaluation_questions")
    op.drop_table("evaluation_form_versions")
    with op.batch_alter_table("evaluation_course_type_forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_course_type_forms_form_id"))

    op.drop_table("evaluation_course_type_forms")
    op.drop_table("evaluation_forms")
