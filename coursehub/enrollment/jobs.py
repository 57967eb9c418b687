"""Scheduled work of the enrollment area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub import events
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
    history. The sign-ups of all due sessions are loaded together and their reminders queued in
    bulk (`queue_emails_to_many`: rendered once per session, a fixed number of statements however
    many participants); each session is then marked reminded (courses' service), so the next run
    skips it. A sign-up made after its session was reminded gets no reminder: its confirmation
    has just told the family the time.

    Higher areas name the people who must not be reminded (`events.reminder_due`): a person who
    has reported absence for that session is not reminded of it.
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
        )
    )
    if not sessions:
        return 0
    by_run: dict[int, list[Enrollment]] = {}
    for enrollment in db.session.scalars(
        select(Enrollment)
        .where(
            Enrollment.run_id.in_({s.run_id for s in sessions}),
            Enrollment.status == EnrollmentStatus.CONFIRMED,
        )
        .options(
            # Whom to remind, and the runs the reminders speak of, loaded for all at once.
            selectinload(Enrollment.persons).selectinload(EnrollmentPerson.user),
            selectinload(Enrollment.run),
        )
        .order_by(Enrollment.id)
    ):
        by_run.setdefault(enrollment.run_id, []).append(enrollment)
    queued = 0
    for session in sessions:
        left_out = _left_out(session, now)
        users = [
            person.user
            for enrollment in by_run.get(session.run_id, ())
            # A make-up sign-up of another session of the run is not reminded of this one.
            if enrollment.makeup_session_id in (None, session.id)
            for person in enrollment.persons
            if person.user_id not in left_out
        ]
        # One render per session and one bulk insert, however many participants it has.
        queued += emails.queue_reminders(session.run, session, users)
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
