"""Initial schema: accounts, courses, enrollment, attendance and the outbox.

Read by hand after autogenerate: the users/households cycle has no foreign key on
households.confirmed_by_id (see the model), and the partial unique index on certificates keeps
one valid certificate per completion on both databases.

Revision ID: 50ab22d3bf6f
Revises: 
Created: 2026-11-23 17:58:42.449893
"""

import sqlalchemy as sa
from alembic import op

revision = '50ab22d3bf6f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('basic', 'continuing', 'other', name='course_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('allowed_absences', sa.Integer(), nullable=False),
    sa.Column('allows_makeup', sa.Boolean(), nullable=False),
    sa.Column('issues_certificate', sa.Boolean(), nullable=False),
    sa.Column('requires_municipal_approval', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('allowed_absences >= 0', name=op.f('ck_course_types_allowed_absences_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_types')),
    sa.UniqueConstraint('name', name=op.f('uq_course_types_name'))
    )
    op.create_table('municipalities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('is_member', sa.Boolean(), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.CheckConstraint('length(code) = 4', name=op.f('ck_municipalities_code_four_digits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipalities')),
    sa.UniqueConstraint('code', name=op.f('uq_municipalities_code')),
    sa.UniqueConstraint('name', name=op.f('uq_municipalities_name'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('calendar_ics', sa.LargeBinary(), nullable=True),
    sa.Column('calendar_method', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_sent_at'), ['sent_at'], unique=False)

    op.create_table('course_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_type_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('mandatory_content', sa.Text(), nullable=False),
    sa.Column('optional_exercises', sa.Text(), nullable=False),
    sa.Column('suggested_minutes', sa.Integer(), nullable=False),
    sa.Column('is_retired', sa.Boolean(), nullable=False),
    sa.CheckConstraint('suggested_minutes > 0', name=op.f('ck_course_themes_suggested_minutes_positive')),
    sa.ForeignKeyConstraint(['course_type_id'], ['course_types.id'], name=op.f('fk_course_themes_course_type_id_course_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_themes'))
    )
    with op.batch_alter_table('course_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_themes_course_type_id'), ['course_type_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('is_confirmed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_households_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('venues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=120), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('accessibility_notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_venues_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues'))
    )
    op.create_table('course_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_type_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('edition', sa.String(length=60), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'cancelled', 'completed', name='run_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('signup_opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signup_closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_open_to_all', sa.Boolean(), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('capacity > 0 AND capacity <= 500', name=op.f('ck_course_runs_capacity_range')),
    sa.CheckConstraint('signup_closes_at > signup_opens_at', name=op.f('ck_course_runs_signup_window_order')),
    sa.ForeignKeyConstraint(['course_type_id'], ['course_types.id'], name=op.f('fk_course_runs_course_type_id_course_types')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_course_runs_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_runs'))
    )
    with op.batch_alter_table('course_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_runs_course_type_id'), ['course_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_runs_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_runs_status'), ['status'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_users_household_id_households')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_users_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('account_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('reset', 'invitation', name='token_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_account_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash'))
    )
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_roles', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('ok', 'denied', name='audit_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token'))
    )
    op.create_table('calendar_sequences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('sequence_offset', sa.Integer(), nullable=False),
    sa.CheckConstraint('sequence_offset >= 0', name=op.f('ck_calendar_sequences_sequence_offset_not_negative')),
    sa.ForeignKeyConstraint(['run_id'], ['course_runs.id'], name=op.f('fk_calendar_sequences_run_id_course_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_sequences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'run_id', name=op.f('pk_calendar_sequences'))
    )
    op.create_table('course_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='session_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_course_sessions_ends_after_start')),
    sa.CheckConstraint('revision >= 0', name=op.f('ck_course_sessions_revision_not_negative')),
    sa.ForeignKeyConstraint(['run_id'], ['course_runs.id'], name=op.f('fk_course_sessions_run_id_course_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['course_themes.id'], name=op.f('fk_course_sessions_theme_id_course_themes')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_course_sessions_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_sessions'))
    )
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_sessions_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_theme_id'), ['theme_id'], unique=False)

    op.create_table('run_leaders',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['course_runs.id'], name=op.f('fk_run_leaders_run_id_course_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_run_leaders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'user_id', name=op.f('pk_run_leaders'))
    )
    op.create_table('run_municipalities',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_run_municipalities_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['course_runs.id'], name=op.f('fk_run_municipalities_run_id_course_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'municipality_id', name=op.f('pk_run_municipalities'))
    )
    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'staff', 'leader', 'municipal', 'member', 'family', 'steering', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('absence_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_absence_notices_reported_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_absence_notices_session_id_course_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_absence_notices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absence_notices')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_absence_notices_session_id_user_id'))
    )
    with op.batch_alter_table('absence_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absence_notices_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_absence_notices_user_id'), ['user_id'], unique=False)

    op.create_table('attendance_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'absent', 'excused', name='attendance_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('remark', sa.String(length=300), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendance_marks_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_attendance_marks_session_id_course_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_marks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_marks')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendance_marks_session_id_user_id'))
    )
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_marks_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_marks_user_id'), ['user_id'], unique=False)

    op.create_table('completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_type_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completing_session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['completing_session_id'], ['course_sessions.id'], name=op.f('fk_completions_completing_session_id_course_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_type_id'], ['course_types.id'], name=op.f('fk_completions_course_type_id_course_types')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completions')),
    sa.UniqueConstraint('user_id', 'course_type_id', name=op.f('uq_completions_user_id_course_type_id'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completions_course_type_id'), ['course_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_user_id'), ['user_id'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('makeup_session_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=30), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'declined', name='enrollment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('needs_diet', sa.String(length=300), nullable=False),
    sa.Column('needs_accessibility', sa.String(length=300), nullable=False),
    sa.Column('needs_interpreter', sa.String(length=100), nullable=False),
    sa.Column('signed_up_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'offered') = (offer_expires_at IS NOT NULL)", name=op.f('ck_enrollments_offer_deadline_iff_offered')),
    sa.CheckConstraint("(status = 'waitlisted') = (waitlist_position IS NOT NULL)", name=op.f('ck_enrollments_waitlist_position_iff_waitlisted')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_enrollments_cancelled_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_enrollments_decided_by_id_users')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_enrollments_household_id_households')),
    sa.ForeignKeyConstraint(['makeup_session_id'], ['course_sessions.id'], name=op.f('fk_enrollments_makeup_session_id_course_sessions')),
    sa.ForeignKeyConstraint(['run_id'], ['course_runs.id'], name=op.f('fk_enrollments_run_id_course_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_up_by_id'], ['users.id'], name=op.f('fk_enrollments_signed_up_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('run_id', 'household_id', 'scope', name=op.f('uq_enrollments_run_id_household_id_scope'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollments_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_status'), ['status'], unique=False)

    op.create_table('attendance_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mark_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.Enum('present', 'absent', 'excused', name='attendance_change_from', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('to_status', sa.Enum('present', 'absent', 'excused', name='attendance_change_to', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('from_remark', sa.String(length=300), nullable=False),
    sa.Column('to_remark', sa.String(length=300), nullable=False),
    sa.CheckConstraint('from_status <> to_status OR from_remark <> to_remark', name=op.f('ck_attendance_changes_something_changed')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_attendance_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['mark_id'], ['attendance_marks.id'], name=op.f('fk_attendance_changes_mark_id_attendance_marks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_changes'))
    )
    with op.batch_alter_table('attendance_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_changes_mark_id'), ['mark_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_type_id', sa.Integer(), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=300), nullable=False),
    sa.CheckConstraint('(revoked_at IS NULL) = (revoked_by_id IS NULL)', name=op.f('ck_certificates_revoked_with_actor')),
    sa.CheckConstraint('length(code) >= 10', name=op.f('ck_certificates_code_long_enough')),
    sa.ForeignKeyConstraint(['completion_id'], ['completions.id'], name=op.f('fk_certificates_completion_id_completions')),
    sa.ForeignKeyConstraint(['course_type_id'], ['course_types.id'], name=op.f('fk_certificates_course_type_id_course_types')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_completion_id'), ['completion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_course_type_id'), ['course_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_certificates_valid_completion', ['completion_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('enrollment_persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_enrollment_persons_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enrollment_persons_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment_persons')),
    sa.UniqueConstraint('enrollment_id', 'user_id', name=op.f('uq_enrollment_persons_enrollment_id_user_id'))
    )
    with op.batch_alter_table('enrollment_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_persons_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_persons_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('enrollment_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_persons_user_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_persons_enrollment_id'))

    op.drop_table('enrollment_persons')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_valid_completion', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_course_type_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_completion_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('attendance_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_changes_mark_id'))

    op.drop_table('attendance_changes')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollments_status'))
        batch_op.drop_index(batch_op.f('ix_enrollments_run_id'))
        batch_op.drop_index(batch_op.f('ix_enrollments_household_id'))

    op.drop_table('enrollments')
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completions_user_id'))
        batch_op.drop_index(batch_op.f('ix_completions_course_type_id'))

    op.drop_table('completions')
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_marks_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_marks_session_id'))

    op.drop_table('attendance_marks')
    with op.batch_alter_table('absence_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absence_notices_user_id'))
        batch_op.drop_index(batch_op.f('ix_absence_notices_session_id'))

    op.drop_table('absence_notices')
    op.drop_table('user_roles')
    op.drop_table('run_municipalities')
    op.drop_table('run_leaders')
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_sessions_theme_id'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_starts_at'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_run_id'))

    op.drop_table('course_sessions')
    op.drop_table('calendar_sequences')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_tokens_user_id'))

    op.drop_table('account_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_users_household_id'))

    op.drop_table('users')
    with op.batch_alter_table('course_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_runs_status'))
        batch_op.drop_index(batch_op.f('ix_course_runs_starts_at'))
        batch_op.drop_index(batch_op.f('ix_course_runs_course_type_id'))

    op.drop_table('course_runs')
    op.drop_table('venues')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_municipality_id'))

    op.drop_table('households')
    with op.batch_alter_table('course_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_themes_course_type_id'))

    op.drop_table('course_themes')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_next_attempt_at'))

    op.drop_table('outbox_messages')
    op.drop_table('municipalities')
    op.drop_table('course_types')
