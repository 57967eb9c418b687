"""Keep each run's last session end and each session's reminder time; index the run listings.

`course_runs.ends_at` lets the catalogue ask "not over yet" of the run instead of scanning its
sessions; `course_sessions.reminded_at` lets the reminder job look only at sessions not yet
reminded. The indexes serve the catalogue (status, first start) and the staff run list (newest
start first, runs without a start last).

Revision ID: c4e8a1f2b3d6
Revises: b7c1d2e3f4a5
Created: 2026-12-01 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e8a1f2b3d6"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_course_runs_status_starts_at", ["status", "starts_at", "id"], unique=False)
    # The staff run list's order (starts_at DESC NULLS LAST, id DESC), read backwards: PostgreSQL
    # needs NULLS FIRST in the index, SQLite cannot say it and sorts NULL low anyway.
    start = "starts_at NULLS FIRST" if op.get_bind().dialect.name == "postgresql" else "starts_at"
    op.execute(f"CREATE INDEX ix_course_runs_start_order ON course_runs ({start}, id)")
    op.execute(f"CREATE INDEX ix_course_runs_status_start_order ON course_runs (status, {start}, id)")
    with op.batch_alter_table("course_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    # Existing runs: the end of their last scheduled session (core SQL, not the models).
    op.execute(
        """
        UPDATE course_runs SET ends_at = (
            SELECT MAX(s.ends_at) FROM course_sessions AS s
            WHERE s.run_id = course_runs.id AND s.status = 'scheduled'
        )
        """
    )


def downgrade():
    with op.batch_alter_table("course_sessions", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    op.drop_index("ix_course_runs_status_start_order", table_name="course_runs")
    op.drop_index("ix_course_runs_start_order", table_name="course_runs")
    with op.batch_alter_table("course_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_course_runs_status_starts_at")
        batch_op.drop_column("ends_at")
