"""Cancelling sign-ups, and what a cancelled run or a changed session means for them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import User
from coursehub.courses.models import CourseRun, CourseSession, SessionStatus
from coursehub.enrollment import emails, permissions, sequences
from coursehub.enrollment.errors import EnrollmentError
from coursehub.enrollment.models import ACTIVE, Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.enrollment.services import common
from coursehub.enrollment.services.waitlist import fill_free_seats
from coursehub.errors import NotFoundError
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def cancel_enrollment(enrollment: Enrollment, *, actor: User, now: datetime, reason: str = "") -> Enrollment:
    """Cancel a sign-up (by the family, its municipality or staff); free seats go on."""
    if not permissions.can_cancel_enrollment(actor, enrollment):
        raise NotFoundError(_("Anmälan finns inte."))
    run = common.lock_run(enrollment.run)
    db.session.refresh(enrollment)
    if not enrollment.can_cancel(now):
        raise EnrollmentError(_("Anmälan kan inte avbokas."))
    held = enrollment.holds_seats
    was_confirmed = enrollment.status == EnrollmentStatus.CONFIRMED
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.waitlist_position = enrollment.offer_expires_at = None
    enrollment.cancelled_at = now
    enrollment.cancelled_by_id = actor.id
    enrollment.cancel_reason = (reason or "").strip()[:300]
    db.session.flush()
    common.recount_seats(run)
    withdrawn = emails.queue_cancelled_email(enrollment, now=now, was_confirmed=was_confirmed)
    _advance_offsets(withdrawn, run.id)
    if held:
        fill_free_seats(run, now=now)
    logger.info("cancelled enrollment %s", enrollment.id)
    return enrollment


def cancel_run_enrollments(run: CourseRun, *, now: datetime, actor: User | None = None) -> int:
    """Cancel every active sign-up of a cancelled run and tell everyone; return how many."""
    run = common.lock_run(run)
    rows = list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.run_id == run.id, Enrollment.status.in_(ACTIVE))
            .options(selectinload(Enrollment.persons).selectinload(EnrollmentPerson.user))
        )
    )
    for enrollment in rows:
        was_confirmed = enrollment.status == EnrollmentStatus.CONFIRMED
        enrollment.status = EnrollmentStatus.CANCELLED
        enrollment.waitlist_position = enrollment.offer_expires_at = None
        enrollment.cancelled_at = now
        enrollment.cancelled_by_id = actor.id if actor is not None else None
        enrollment.cancel_reason = "run cancelled"
        db.session.flush()
        withdrawn = emails.queue_cancelled_email(
            enrollment, now=now, was_confirmed=was_confirmed, run_cancelled=True
        )
        _advance_offsets(withdrawn, run.id)
    common.recount_seats(run)
    logger.info("run %s cancelled: %s sign-ups cancelled", run.id, len(rows))
    return len(rows)


def _advance_offsets(users: Iterable[User], run_id: int) -> None:
    """Put each user's next invite for the run above the CANCEL they were just sent."""
    for user in users:
        sequences.advance_after_cancel(user.id, run_id)


def notify_session_changed(session: CourseSession, *, now: datetime) -> int:
    """Send every confirmed participant of `session` its updated (or withdrawn) invite."""
    if session.status != SessionStatus.SCHEDULED:
        # A CANCEL advances calendar offsets, which are written under the run's lock.
        common.lock_run(session.run)
    rows = db.session.scalars(
        select(Enrollment)
        .where(
            Enrollment.run_id == session.run_id,
            Enrollment.status == EnrollmentStatus.CONFIRMED,
            or_(Enrollment.makeup_session_id.is_(None), Enrollment.makeup_session_id == session.id),
        )
        .options(selectinload(Enrollment.persons).selectinload(EnrollmentPerson.user))
    )
    sent = 0
    for enrollment in rows:
        for person in enrollment.persons:
            if emails.queue_session_changed_email(enrollment, session, person.user, now=now):
                sequences.advance_after_cancel(person.user_id, session.run_id)
            sent += 1
    logger.info("session %s changed: %s invites", session.id, sent)
    return sent
