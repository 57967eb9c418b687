"""A mark that the database moves whenever a reference list changes (issue 24).

The catalogue's filter choices and the report's areas are read on every view of those pages (at
national size some 300 rows each time) and change once in months. Each process now holds them
as built, and reads their rows again only when the mark has moved: `reference_marks` holds one
row, which a trigger on each watched table replaces by a new one whose id comes from a sequence
(PostgreSQL) or AUTOINCREMENT (SQLite), so that an id is never given twice
(coursehub/lib/change_marks.py; the statements are written out here, as migrations never import
the package). One row is written now, so that even the first two changes that overlap wait on
each other's delete.

- table reference_marks (id)
- PostgreSQL: function note_reference_change() and a statement-level trigger <table>_mark on
  each watched table (INSERT, UPDATE, DELETE, TRUNCATE)
- SQLite: row-level triggers <table>_mark_insert, _update, _delete on each watched table

Revision ID: a8e5c0d2f401
Revises: a7e5c0d2f301
Created: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a8e5c0d2f401"
down_revision = "a7e5c0d2f301"
branch_labels = None
depends_on = None

WATCHED = (
    "municipalities",
    "county_parts",
    "county_part_municipalities",
    "home_kinds",
    "course_types",
    "venues",
    "course_type_home_kinds",
)
POSTGRESQL_FUNCTION = (
    "CREATE OR REPLACE FUNCTION note_reference_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM reference_marks; INSERT INTO reference_marks DEFAULT VALUES; RETURN NULL; END $$"
)
SQLITE_EVENTS = ("insert", "update", "delete")


def upgrade():
    op.create_table(
        "reference_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_marks")),
        sqlite_autoincrement=True,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for table in WATCHED:
            op.execute(
                f"CREATE TRIGGER {table}_mark AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION note_reference_change()"
            )
        op.execute("INSERT INTO reference_marks DEFAULT VALUES")
    else:
        for table in WATCHED:
            for event in SQLITE_EVENTS:
                op.execute(
                    f"CREATE TRIGGER {table}_mark_{event} AFTER {event.upper()} ON {table} BEGIN "
                    "DELETE FROM reference_marks; INSERT INTO reference_marks (id) VALUES (NULL); END"
                )
        op.execute("INSERT INTO reference_marks (id) VALUES (NULL)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_mark ON {table}")
        op.execute("DROP FUNCTION IF EXISTS note_reference_change()")
    else:
        for table in WATCHED:
            for event in SQLITE_EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_mark_{event}")
    op.drop_table("reference_marks")
