"""SQLite: drop the runs' two start-order indexes, which repeat indexes SQLite already reads.

The staff run list's order (`starts_at DESC NULLS LAST, id DESC`, with or without a status) needs
NULLS FIRST in PostgreSQL's indexes, read backwards; SQLite sorts NULL below every value anyway,
and its copies of those indexes were (starts_at, id) and (status, starts_at, id): the second the
very keys of ix_course_runs_status_starts_at, the first those of ix_course_runs_starts_at and the
rowid every SQLite index ends with. SQLite's planner chose the older two for every order the runs
are listed in (EXPLAIN QUERY PLAN), so the copies were only written. PostgreSQL keeps its own.
tests/test_indexes.py keeps an index from repeating the keys of another.

Revision ID: a5e5c0d2f101
Revises: a4e5c0d2f001
Created: 2026-12-06 09:00:00
"""

from alembic import op

revision = "a5e5c0d2f101"
down_revision = "a4e5c0d2f001"
branch_labels = None
depends_on = None

SQLITE_START_ORDER = (
    ("ix_course_runs_start_order", "starts_at, id"),
    ("ix_course_runs_status_start_order", "status, starts_at, id"),
)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, _columns in SQLITE_START_ORDER:
            op.drop_index(name, table_name="course_runs")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, columns in SQLITE_START_ORDER:
            op.execute(f"CREATE INDEX {name} ON course_runs ({columns})")
