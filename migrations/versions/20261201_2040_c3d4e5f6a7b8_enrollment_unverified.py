"""Add the sign-up status "unverified": a self-registered family has not confirmed its address yet.

Revision ID: c3d4e5f6a7b8
Revises: b7c1d2e3f4a5
Created: 2026-12-01 20:40:00
"""

from alembic import op

revision = "c3d4e5f6a7b8"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None

OLD = ("pending", "confirmed", "waitlisted", "offered", "cancelled", "declined")
NEW = (*OLD, "unverified")


def _allow(statuses: tuple[str, ...]) -> None:
    # The status is a VARCHAR with a CHECK constraint (coursehub.db.str_enum); "unverified" has the
    # length of "waitlisted", so only the constraint changes. Batch mode rebuilds the table on SQLite.
    listed = ", ".join(f"'{status}'" for status in statuses)
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_constraint(op.f("ck_enrollments_enrollment_status"), type_="check")
        batch.create_check_constraint("enrollment_status", f"status IN ({listed})")


def upgrade():
    _allow(NEW)


def downgrade():
    # Sign-ups still waiting for an address to be confirmed cannot be kept without their status.
    op.execute(
        "DELETE FROM enrollment_persons WHERE enrollment_id IN "
        "(SELECT id FROM enrollments WHERE status = 'unverified')"
    )
    op.execute("DELETE FROM enrollments WHERE status = 'unverified'")
    _allow(OLD)
