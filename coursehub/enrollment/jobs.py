"""Scheduled work of the enrollment area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.enrollment import emails, services
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def send_session_reminders(now: datetime) -> int:
    """Queue one reminder per confirmed participant of each session starting soon."""
    horizon = now + timedelta(hours=current_app.config["COURSEHUB_REMINDER_HOURS"])
    sessions = list(
        db.session.scalars(
            select(CourseSession)
            .join(CourseRun, CourseRun.id == CourseSession.run_id)
            .where(
                CourseSession.starts_at > now,
                CourseSession.starts_at <= horizon,
                CourseSession.status == SessionStatus.SCHEDULED,
                CourseRun.status == RunStatus.PUBLISHED,
            )
            .order_by(CourseSession.starts_at)
        )
    )
    queued = 0
    for session in sessions:
        enrollments = db.session.scalars(
            select(Enrollment)
            .where(
                Enrollment.run_id == session.run_id,
                Enrollment.status == EnrollmentStatus.CONFIRMED,
                or_(Enrollment.makeup_session_id.is_(None), Enrollment.makeup_session_id == session.id),
            )
            .options(selectinload(Enrollment.persons).selectinload(EnrollmentPerson.user))
        )
        for enrollment in enrollments:
            for person in enrollment.persons:
                queued += emails.queue_reminder_email(enrollment, session, person.user)
    logger.info("session reminders queued: %s", queued)
    return queued


def expire_offers(now: datetime) -> int:
    """Let offers past their deadline lapse and offer the seats to the next household."""
    return services.expire_offers(now=now)


def lapse_unconfirmed_signups(now: datetime) -> int:
    """Remove self-registered sign-ups (and households) whose address was not confirmed in time."""
    return services.lapse_unverified_signups(now=now)
