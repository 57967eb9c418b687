"""Keep why a session was cancelled (course_sessions.cancel_reason).

Sessions cancelled before this have no reason recorded: they get the empty string.

Revision ID: c3d4e5f6a7b8
Revises: c4e8a1f2b3d6
Created: 2026-12-01 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'c3d4e5f6a7b8'
down_revision = 'c4e8a1f2b3d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=300), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
