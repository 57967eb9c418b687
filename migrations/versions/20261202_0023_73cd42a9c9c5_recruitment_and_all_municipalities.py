"""Recruitment's tables, and all 290 municipalities of Sweden as reference data.

The municipalities come from migrations/data/municipalities.csv (SCB code, name, county and the
main town's coordinates), read here with the standard library and written with core tables.
A municipality already there (matched by its code) keeps its name, id and membership and gets
its county and coordinates; a new one is not a member, except the resource's members of today
(Jönköping county but Vetlanda), so that a fresh installation starts as the running one is.
The downgrade removes the county column and the municipalities nothing refers to and that were
not members.

Revision ID: 73cd42a9c9c5
Revises: da8ee624199c
Created: 2026-12-02 00:23:46
"""

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "73cd42a9c9c5"
down_revision = "da8ee624199c"
branch_labels = None
depends_on = None

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
# The resource's member municipalities of today (DESIGN.md: data, not code; staff change them).
MEMBERS_TODAY = frozenset(
    {"0604", "0617", "0642", "0643", "0662", "0665", "0680", "0682", "0683", "0684", "0686", "0687"}
)

municipalities = sa.table(
    "municipalities",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("code", sa.String),
    sa.column("county", sa.String),
    sa.column("is_member", sa.Boolean),
    sa.column("latitude", sa.Float),
    sa.column("longitude", sa.Float),
)
# Tables whose rows point at a municipality: such a municipality stays at a downgrade.
REFERRING = (
    ("households", "municipality_id"),
    ("users", "municipality_id"),
    ("venues", "municipality_id"),
    ("run_municipalities", "municipality_id"),
)


def _read_data() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"],
                "name": row["name"],
                "county": row["county"],
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
            }
            for row in csv.DictReader(handle)
        ]


def _load_municipalities() -> None:
    conn = op.get_bind()
    existing = {code for (code,) in conn.execute(sa.select(municipalities.c.code))}
    names = {name for (name,) in conn.execute(sa.select(municipalities.c.name))}
    for row in _read_data():
        if row["code"] in existing:
            conn.execute(
                municipalities.update()
                .where(municipalities.c.code == row["code"])
                .values(county=row["county"], latitude=row["latitude"], longitude=row["longitude"])
            )
        elif row["name"] not in names:  # a hand-made municipality of that name keeps it
            conn.execute(municipalities.insert().values(**row, is_member=row["code"] in MEMBERS_TODAY))


def _unload_municipalities() -> None:
    conn = op.get_bind()
    used: set[int] = set()
    for table, column in REFERRING:
        used |= {value for (value,) in conn.execute(sa.text(f"SELECT DISTINCT {column} FROM {table}"))}  # noqa: S608  # nosec B608 - fixed names
    codes = [row["code"] for row in _read_data()]
    rows = conn.execute(
        sa.select(municipalities.c.id).where(
            municipalities.c.code.in_(codes), municipalities.c.is_member.is_(False)
        )
    )
    unused = [ident for (ident,) in rows if ident not in used]
    if unused:
        conn.execute(municipalities.delete().where(municipalities.c.id.in_(unused)))


def upgrade():
    op.create_table(
        "recruitment_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_recruitment_channels_name")),
    )
    op.create_table(
        "recruitment_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_requirements")),
        sa.UniqueConstraint("text", name=op.f("uq_recruitment_requirements_text")),
    )
    op.create_table(
        "recruitment_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column(
            "step",
            sa.Enum(
                "registered",
                "interview",
                "checks",
                "home_visit",
                "references",
                "presentation",
                "available",
                "matched",
                "assessment",
                "decided",
                name="recruitment_step",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("step_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_contact_due_on", sa.Date(), nullable=False),
        sa.Column("first_contact_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("postal_code", sa.String(length=6), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("housing", sa.Text(), nullable=False),
        sa.Column("experience", sa.Text(), nullable=False),
        sa.Column("other_household", sa.Text(), nullable=False),
        sa.Column("min_child_age", sa.Integer(), nullable=False),
        sa.Column("max_child_age", sa.Integer(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_version", sa.String(length=20), nullable=False),
        sa.Column("withdraw_token_hash", sa.String(length=64), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.String(length=300), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "min_child_age <= max_child_age", name=op.f("ck_recruitment_cases_child_ages_in_order")
        ),
        sa.CheckConstraint(
            "min_child_age >= 0 AND max_child_age <= 20",
            name=op.f("ck_recruitment_cases_child_ages_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"], ["users.id"], name=op.f("fk_recruitment_cases_assigned_to_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["recruitment_channels.id"],
            name=op.f("fk_recruitment_cases_channel_id_recruitment_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_recruitment_cases_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_recruitment_cases_municipality_id_municipalities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_recruitment_cases_reference")),
        sa.UniqueConstraint("withdraw_token_hash", name=op.f("uq_recruitment_cases_withdraw_token_hash")),
    )
    with op.batch_alter_table("recruitment_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_cases_assigned_to_id"), ["assigned_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recruitment_cases_channel_id"), ["channel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recruitment_cases_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_recruitment_cases_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recruitment_cases_step"), ["step"], unique=False)

    op.create_table(
        "recruitment_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("child_age", sa.Integer(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "long_term",
                "short_term",
                "emergency",
                "contact",
                name="assignment_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("wanted_start_on", sa.Date(), nullable=True),
        sa.Column(
            "proximity",
            sa.Enum("near", "far", "either", name="proximity", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open", "matched", "closed", name="request_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "child_age >= 0 AND child_age <= 20", name=op.f("ck_recruitment_requests_child_age_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_recruitment_requests_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_recruitment_requests_municipality_id_municipalities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_requests")),
    )
    with op.batch_alter_table("recruitment_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_requests_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recruitment_requests_status"), ["status"], unique=False)

    op.create_table(
        "recruitment_adults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("identity_number", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_adults_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_adults")),
    )
    with op.batch_alter_table("recruitment_adults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_adults_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recruitment_adults_email"), ["email"], unique=False)

    op.create_table(
        "recruitment_case_kinds",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "long_term",
                "short_term",
                "emergency",
                "contact",
                name="assignment_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_case_kinds_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "kind", name=op.f("pk_recruitment_case_kinds")),
    )
    with op.batch_alter_table("recruitment_case_kinds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_case_kinds_kind"), ["kind"], unique=False)

    op.create_table(
        "recruitment_case_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "met",
                "not_met",
                "unclear",
                name="requirement_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_case_requirements_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_recruitment_case_requirements_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["recruitment_requirements.id"],
            name=op.f("fk_recruitment_case_requirements_requirement_id_recruitment_requirements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_case_requirements")),
        sa.UniqueConstraint(
            "case_id", "requirement_id", name=op.f("uq_recruitment_case_requirements_case_id_requirement_id")
        ),
    )
    with op.batch_alter_table("recruitment_case_requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_case_requirements_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "recruitment_children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("identity_number", sa.String(length=12), nullable=True),
        sa.CheckConstraint("age >= 0 AND age <= 30", name=op.f("ck_recruitment_children_age_in_range")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_children_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_children")),
    )
    with op.batch_alter_table("recruitment_children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_children_case_id"), ["case_id"], unique=False)

    op.create_table(
        "recruitment_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_recruitment_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_notes_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_notes")),
    )
    with op.batch_alter_table("recruitment_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_notes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "recruitment_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "family_answer",
            sa.Enum("pending", "yes", "no", name="family_answer", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("family_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "municipality_answer",
            sa.Enum(
                "pending", "yes", "no", name="municipality_answer", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("municipality_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_offers_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_id"], ["users.id"], name=op.f("fk_recruitment_offers_offered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["recruitment_requests.id"],
            name=op.f("fk_recruitment_offers_request_id_recruitment_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_offers")),
        sa.UniqueConstraint("case_id", "request_id", name=op.f("uq_recruitment_offers_case_id_request_id")),
    )
    with op.batch_alter_table("recruitment_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_offers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recruitment_offers_request_id"), ["request_id"], unique=False)

    op.create_table(
        "recruitment_placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_placements_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_recruitment_placements_municipality_id_municipalities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_placements")),
    )
    with op.batch_alter_table("recruitment_placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_placements_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_recruitment_placements_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "recruitment_presentations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("approval_token_hash", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_version_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_presentations_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_presentations")),
        sa.UniqueConstraint(
            "approval_token_hash", name=op.f("uq_recruitment_presentations_approval_token_hash")
        ),
        sa.UniqueConstraint("case_id", name=op.f("uq_recruitment_presentations_case_id")),
    )
    op.create_table(
        "recruitment_step_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_step",
            sa.Enum(
                "registered",
                "interview",
                "checks",
                "home_visit",
                "references",
                "presentation",
                "available",
                "matched",
                "assessment",
                "decided",
                name="recruitment_from_step",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_step",
            sa.Enum(
                "registered",
                "interview",
                "checks",
                "home_visit",
                "references",
                "presentation",
                "available",
                "matched",
                "assessment",
                "decided",
                name="recruitment_to_step",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_recruitment_step_changes_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_step_changes_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_step_changes")),
    )
    with op.batch_alter_table("recruitment_step_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_step_changes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "recruitment_checklist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "interview",
                "questionnaire",
                "home_visit",
                "reference",
                name="checklist_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("adult_id", sa.Integer(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("go_on", sa.Boolean(), nullable=True),
        sa.Column("reference_name", sa.String(length=160), nullable=True),
        sa.Column("reference_relation", sa.String(length=80), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["adult_id"],
            ["recruitment_adults.id"],
            name=op.f("fk_recruitment_checklist_entries_adult_id_recruitment_adults"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_checklist_entries_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_recruitment_checklist_entries_done_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_checklist_entries")),
    )
    with op.batch_alter_table("recruitment_checklist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_checklist_entries_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "recruitment_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("matched_by_id", sa.Integer(), nullable=True),
        sa.Column("assessment_started_on", sa.Date(), nullable=True),
        sa.Column("assessment_decided_on", sa.Date(), nullable=True),
        sa.Column(
            "assessment_outcome",
            sa.Enum(
                "approved",
                "not_approved",
                name="assessment_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column(
            "decision_outcome",
            sa.Enum(
                "approved", "not_approved", name="decision_outcome", native_enum=False, create_constraint=True
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_matches_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["matched_by_id"], ["users.id"], name=op.f("fk_recruitment_matches_matched_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_recruitment_matches_municipality_id_municipalities"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["recruitment_offers.id"],
            name=op.f("fk_recruitment_matches_offer_id_recruitment_offers"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["recruitment_requests.id"],
            name=op.f("fk_recruitment_matches_request_id_recruitment_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_matches")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_recruitment_matches_offer_id")),
    )
    with op.batch_alter_table("recruitment_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_matches_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_recruitment_matches_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recruitment_matches_request_id"), ["request_id"], unique=False)

    op.create_table(
        "recruitment_presentation_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("presentation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_recruitment_presentation_versions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["presentation_id"],
            ["recruitment_presentations.id"],
            name=op.f("fk_recruitment_presentation_versions_presentation_id_recruitment_presentations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_presentation_versions")),
        sa.UniqueConstraint(
            "presentation_id",
            "number",
            name=op.f("uq_recruitment_presentation_versions_presentation_id_number"),
        ),
    )
    with op.batch_alter_table("recruitment_presentation_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_presentation_versions_presentation_id"),
            ["presentation_id"],
            unique=False,
        )

    op.create_table(
        "recruitment_register_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("adult_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column(
            "register",
            sa.Enum(
                "criminal_record",
                "social_services",
                "enforcement",
                "social_insurance",
                name="register",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "no_remark",
                "remark_discussed",
                "obstacle",
                name="check_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(adult_id IS NULL) <> (child_id IS NULL)", name=op.f("ck_recruitment_register_checks_one_person")
        ),
        sa.ForeignKeyConstraint(
            ["adult_id"],
            ["recruitment_adults.id"],
            name=op.f("fk_recruitment_register_checks_adult_id_recruitment_adults"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["recruitment_cases.id"],
            name=op.f("fk_recruitment_register_checks_case_id_recruitment_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_recruitment_register_checks_checked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["recruitment_children.id"],
            name=op.f("fk_recruitment_register_checks_child_id_recruitment_children"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_register_checks")),
    )
    with op.batch_alter_table("recruitment_register_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_register_checks_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("county", sa.String(length=40), nullable=True))
    _load_municipalities()


def downgrade():
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_column("county")

    with op.batch_alter_table("recruitment_register_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_register_checks_case_id"))

    op.drop_table("recruitment_register_checks")
    with op.batch_alter_table("recruitment_presentation_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_presentation_versions_presentation_id"))

    op.drop_table("recruitment_presentation_versions")
    with op.batch_alter_table("recruitment_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_matches_request_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_matches_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_matches_case_id"))

    op.drop_table("recruitment_matches")
    with op.batch_alter_table("recruitment_checklist_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_checklist_entries_case_id"))

    op.drop_table("recruitment_checklist_entries")
    with op.batch_alter_table("recruitment_step_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_step_changes_case_id"))

    op.drop_table("recruitment_step_changes")
    op.drop_table("recruitment_presentations")
    with op.batch_alter_table("recruitment_placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_placements_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_placements_case_id"))

    op.drop_table("recruitment_placements")
    with op.batch_alter_table("recruitment_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_offers_request_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_offers_case_id"))

    op.drop_table("recruitment_offers")
    with op.batch_alter_table("recruitment_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_notes_case_id"))

    op.drop_table("recruitment_notes")
    with op.batch_alter_table("recruitment_children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_children_case_id"))

    op.drop_table("recruitment_children")
    with op.batch_alter_table("recruitment_case_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_case_requirements_case_id"))

    op.drop_table("recruitment_case_requirements")
    with op.batch_alter_table("recruitment_case_kinds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_case_kinds_kind"))

    op.drop_table("recruitment_case_kinds")
    with op.batch_alter_table("recruitment_adults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_adults_email"))
        batch_op.drop_index(batch_op.f("ix_recruitment_adults_case_id"))

    op.drop_table("recruitment_adults")
    with op.batch_alter_table("recruitment_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_requests_status"))
        batch_op.drop_index(batch_op.f("ix_recruitment_requests_municipality_id"))

    op.drop_table("recruitment_requests")
    with op.batch_alter_table("recruitment_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_cases_step"))
        batch_op.drop_index(batch_op.f("ix_recruitment_cases_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_cases_closed_at"))
        batch_op.drop_index(batch_op.f("ix_recruitment_cases_channel_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_cases_assigned_to_id"))

    op.drop_table("recruitment_cases")
    op.drop_table("recruitment_requirements")
    op.drop_table("recruitment_channels")
    _unload_municipalities()  # last: the recruitment tables that point at them are gone
