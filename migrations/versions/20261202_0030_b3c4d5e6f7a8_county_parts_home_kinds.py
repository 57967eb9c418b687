"""Add county parts (named groups of municipalities), kinds of home, and their links to runs,
course types and households.

Existing runs keep their meaning: a run open to all stays open to the whole county, and a run with
chosen municipalities gets no county part.

Revision ID: b3c4d5e6f7a8
Revises: 7a1c5e9b2d40
Created: 2026-12-02 00:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b3c4d5e6f7a8"
down_revision = "7a1c5e9b2d40"
branch_labels = None
depends_on = None


def _named_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("name", name=op.f(f"uq_{name}_name")),
    )


def _link_table(name: str, left: tuple[str, str], right: tuple[str, str]) -> None:
    columns = []
    constraints = []
    for column, target in (left, right):
        columns.append(sa.Column(column, sa.Integer(), nullable=False))
        constraints.append(
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_{name}_{column}_{target}"), ondelete="CASCADE"
            )
        )
    op.create_table(
        name,
        *columns,
        *constraints,
        sa.PrimaryKeyConstraint(left[0], right[0], name=op.f(f"pk_{name}")),
    )


def upgrade():
    _named_table("county_parts")
    _named_table("home_kinds")
    _link_table(
        "county_part_municipalities",
        ("county_part_id", "county_parts"),
        ("municipality_id", "municipalities"),
    )
    _link_table("household_home_kinds", ("household_id", "households"), ("home_kind_id", "home_kinds"))
    _link_table("course_type_home_kinds", ("course_type_id", "course_types"), ("home_kind_id", "home_kinds"))
    _link_table("run_county_parts", ("run_id", "course_runs"), ("county_part_id", "county_parts"))


def downgrade():
    # A run whose audience was only county parts would open to the whole county without them:
    # it keeps the municipalities those parts held, so that it still means what it meant.
    op.execute(
        "INSERT INTO run_municipalities (run_id, municipality_id) "
        "SELECT DISTINCT rcp.run_id, cpm.municipality_id FROM run_county_parts rcp "
        "JOIN county_part_municipalities cpm ON cpm.county_part_id = rcp.county_part_id "
        "WHERE NOT EXISTS (SELECT 1 FROM run_municipalities rm "
        "WHERE rm.run_id = rcp.run_id AND rm.municipality_id = cpm.municipality_id)"
    )
    for name in (
        "run_county_parts",
        "course_type_home_kinds",
        "household_home_kinds",
        "county_part_municipalities",
        "home_kinds",
        "county_parts",
    ):
        op.drop_table(name)
