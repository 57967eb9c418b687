"""Scheduled work of the enrollment area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from coursehub import events
from coursehub.accounts.models import User
from coursehub.courses import services as course_services
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.enrollment import emails, services
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.enrollment.services import retention
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def send_session_reminders(now: datetime) -> int:
    """Queue one reminder per confirmed participant of each session whose reminder time has come.

    Looks only at sessions starting within the reminder horizon that have not been reminded yet
    (an index on the start serves it), so with nothing due it runs one statement whatever the
    history. Whom to remind is read for all due sessions in one statement, as plain rows of the
    columns the mail needs (no sign-up, person or user objects); the reminders of all of them are
    queued together (`queue_emails_to_groups`: each session's mail rendered once, one lookup of
    the keys already queued and one insert, however many sessions and participants); the
    sessions are then marked reminded (courses' service), so the next run skips them. A sign-up
    made after its session was reminded gets no reminder: its confirmation has just told the
    family the time. Two runs at once (two schedulers) write each reminder once: the insert
    skips a key the other has written.

    Higher areas name the people who must not be reminded (`events.reminder_due`, sent once per
    session): a person who has reported absence for that session is not reminded of it.
    """
    horizon = now + timedelta(hours=current_app.config["COURSEHUB_REMINDER_HOURS"])
    sessions = list(
        db.session.scalars(
            select(CourseSession)
            .join(CourseRun, CourseRun.id == CourseSession.run_id)
            .where(
                CourseSession.starts_at > now,
                CourseSession.starts_at <= horizon,
                CourseSession.reminded_at.is_(None),
                CourseSession.status == SessionStatus.SCHEDULED,
                CourseRun.status == RunStatus.PUBLISHED,
            )
            .order_by(CourseSession.starts_at, CourseSession.id)
            # The runs the reminders speak of, from the join already made.
            .options(contains_eager(CourseSession.run))
        )
    )
    if not sessions:
        return 0
    # Whom to remind, as plain rows of the columns the mail needs: no sign-up, person or user
    # objects (10,000 of each cost seconds to load), in the order of the sign-ups and their persons.
    by_run: dict[int, list[tuple[int | None, int, str, str]]] = {}
    for run_id, makeup_session_id, user_id, email, full_name in db.session.execute(
        select(Enrollment.run_id, Enrollment.makeup_session_id, User.id, User.email, User.full_name)
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .join(User, User.id == EnrollmentPerson.user_id)
        .where(
            Enrollment.run_id.in_({s.run_id for s in sessions}),
            Enrollment.status == EnrollmentStatus.CONFIRMED,
        )
        .order_by(Enrollment.id, EnrollmentPerson.id)
    ):
        by_run.setdefault(run_id, []).append((makeup_session_id, user_id, email, full_name))
    reminders = []
    for session in sessions:
        left_out = _left_out(session, now)
        recipients = [
            emails.reminder_recipient(session, user_id, email, full_name)
            for makeup_session_id, user_id, email, full_name in by_run.get(session.run_id, ())
            # A make-up sign-up of another session of the run is not reminded of this one.
            if makeup_session_id in (None, session.id) and user_id not in left_out
        ]
        reminders.append((session, recipients))
    # One render per session; one lookup and one bulk insert for all of them.
    queued = emails.queue_reminders(reminders)
    course_services.mark_sessions_reminded([s.id for s in sessions], now=now)
    logger.info("session reminders queued: %s", queued)
    return queued


def _left_out(session: CourseSession, now: datetime) -> set[int]:
    """Return the ids of the users that a receiver of `reminder_due` asks to leave out."""
    answers = events.reminder_due.send(session, actor=None, now=now)
    return {user_id for _receiver, user_ids in answers for user_id in (user_ids or ())}


def expire_offers(now: datetime) -> int:
    """Let offers past their deadline lapse and offer the seats to the next household."""
    return services.expire_offers(now=now)


def lapse_unconfirmed_signups(now: datetime) -> int:
    """Remove self-registered sign-ups (and households) whose address was not confirmed in time."""
    return services.lapse_unverified_signups(now=now)


def remove_ended_signups(now: datetime) -> int:
    """Retention: delete declined, cancelled and lapsed sign-ups that ended before the period."""
    return retention.remove_ended_signups(now=now, batch=_retention_batch())


def remove_unconfirmed_households(now: datetime) -> int:
    """Retention: remove self-registered households nobody vouched for, with their adults."""
    return retention.remove_unconfirmed_households(now=now, batch=_retention_batch())


def _retention_batch() -> int:
    return int(current_app.config["COURSEHUB_RETENTION_BATCH"])
