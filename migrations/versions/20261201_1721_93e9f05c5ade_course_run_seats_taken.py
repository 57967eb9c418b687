"""Store the persons holding seats on each course run (course_runs.seats_taken).

The column is filled from the sign-up tables as they stand: the persons of every pending,
confirmed or offered sign-up of the run, make-up sign-ups to one of its sessions included (they
take seats of that run). Written by hand, with core tables only: no model is imported.

On SQLite the check constraint makes batch mode rebuild course_runs (copy, drop, rename); env.py
turns foreign keys off around migrations, so the drop does not cascade to the rows that refer to it.

Revision ID: 93e9f05c5ade
Revises: 50ab22d3bf6f
Created: 2026-12-01 17:21:00
"""

import sqlalchemy as sa
from alembic import op

revision = '93e9f05c5ade'
down_revision = '50ab22d3bf6f'
branch_labels = None
depends_on = None

# Statuses whose persons hold seats, as stored (EnrollmentStatus values) when this was written.
SEAT_HOLDING = ('pending', 'confirmed', 'offered')

course_runs = sa.table('course_runs', sa.column('id', sa.Integer), sa.column('seats_taken', sa.Integer))
enrollments = sa.table('enrollments', sa.column('id', sa.Integer), sa.column('run_id', sa.Integer),
                       sa.column('status', sa.String))
enrollment_persons = sa.table('enrollment_persons', sa.column('id', sa.Integer),
                              sa.column('enrollment_id', sa.Integer))


def upgrade():
    with op.batch_alter_table('course_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seats_taken', sa.Integer(), server_default=sa.text('0'),
                                      nullable=False))

    held = (
        sa.select(sa.func.count(enrollment_persons.c.id))
        .select_from(enrollment_persons.join(
            enrollments, enrollments.c.id == enrollment_persons.c.enrollment_id))
        .where(enrollments.c.run_id == course_runs.c.id,
               enrollments.c.status.in_(SEAT_HOLDING))
        .scalar_subquery()
    )
    op.execute(course_runs.update().values(seats_taken=held))

    with op.batch_alter_table('course_runs', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_course_runs_seats_taken_not_negative'),
                                         'seats_taken >= 0')


def downgrade():
    with op.batch_alter_table('course_runs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_course_runs_seats_taken_not_negative'), type_='check')
        batch_op.drop_column('seats_taken')
