"""Add the sign-up status "unverified": a self-registered family has not confirmed its address yet.

Revision ID: d5e6f7a8b9c1
Revises: 164e76eb7316
Created: 2026-12-01 20:40:00
"""

from alembic import op

revision = "d5e6f7a8b9c1"
down_revision = "164e76eb7316"
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
