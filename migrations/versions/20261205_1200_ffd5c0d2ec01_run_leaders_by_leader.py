"""A leader's runs are found by an index on the leader (issue 24).

run_leaders' key is (run_id, user_id), so the runs of one leader (their start page "Mina kurser",
the attendance list and their next meetings, three statements a page) were found by reading
every run's leaders: 6,990 rows at national size, about 0.3-0.45 ms a statement, and more with
each year of runs. With the user first and the run beside it, the lookup reads the index alone.

- ix_run_leaders_user_id_run_id

Revision ID: ffd5c0d2ec01
Revises: fed5c0d2eb01
Created: 2026-12-05 12:00:00
"""

from alembic import op

revision = "ffd5c0d2ec01"
down_revision = "fed5c0d2eb01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_run_leaders_user_id_run_id", "run_leaders", ["user_id", "run_id"])


def downgrade():
    op.drop_index("ix_run_leaders_user_id_run_id", table_name="run_leaders")
