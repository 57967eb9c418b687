"""Sessions note when their attendance was taken, and the unmarked ones have a partial index (issue 24).

The staff's start page (and the count in every staff page's menu) lists the meetings that have
ended without a mark. It found them as an anti join: every ended session of every running run,
each looked up among all the marks ever recorded (national bench, EXPLAIN (ANALYZE, BUFFERS):
169 sessions, 629 buffers, 0.5 ms on every staff page; 121 buffers and 0.08 ms at county size).
The first mark of a session now notes the time on its row (attendance.services.record_attendance
through courses.services.note_attendance_taken), and the running runs' sessions without one are
read from ix_course_sessions_unmarked.

- course_sessions.attendance_taken_at, filled here from the marks: the earliest time a mark of
  the session was recorded (a corrected mark carries the time of its correction, so this is as
  early as the marks still tell)
- ix_course_sessions_unmarked (run_id, ends_at) WHERE status = 'scheduled' AND
  attendance_taken_at IS NULL

Revision ID: a3e5c0d2ef01
Revises: a2e5c0d2ee01
Created: 2026-12-05 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a3e5c0d2ef01"
down_revision = "a2e5c0d2ee01"
branch_labels = None
depends_on = None

# The model's condition (courses.models.UNMARKED), written out: a migration keeps the text it
# was written with.
UNMARKED = "status = 'scheduled' AND attendance_taken_at IS NULL"


def upgrade():
    with op.batch_alter_table("course_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendance_taken_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        """
        UPDATE course_sessions SET attendance_taken_at = (
            SELECT MIN(m.recorded_at) FROM attendance_marks AS m WHERE m.session_id = course_sessions.id
        )
        WHERE EXISTS (SELECT 1 FROM attendance_marks AS m WHERE m.session_id = course_sessions.id)
        """
    )
    op.create_index(
        "ix_course_sessions_unmarked",
        "course_sessions",
        ["run_id", "ends_at"],
        sqlite_where=sa.text(UNMARKED),
        postgresql_where=sa.text(UNMARKED),
    )


def downgrade():
    op.drop_index("ix_course_sessions_unmarked", table_name="course_sessions")
    with op.batch_alter_table("course_sessions", schema=None) as batch_op:
        batch_op.drop_column("attendance_taken_at")
