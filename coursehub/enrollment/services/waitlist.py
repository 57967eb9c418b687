"""The waiting list: offers when seats free up, accepting, lapsing, reordering, capacity checks."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts import audit
from coursehub.accounts.models import User
from coursehub.courses.models import CourseRun, RunStatus
from coursehub.enrollment import emails, permissions
from coursehub.enrollment.errors import CapacityError, EnrollmentError, OfferExpiredError
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.enrollment.services import common
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.lib.checks import known

logger = logging.getLogger(__name__)


def waitlist(run_id: int) -> list[Enrollment]:
    """Return the run's waiting list in order."""
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.run_id == run_id, Enrollment.status == EnrollmentStatus.WAITLISTED)
            .order_by(Enrollment.waitlist_position, Enrollment.id)
            .execution_options(populate_existing=True)
        )
    )


def _offer_deadline(run: CourseRun, now: datetime) -> datetime:
    deadline = now + timedelta(hours=current_app.config["COURSEHUB_OFFER_HOURS"])
    if run.starts_at is not None and run.starts_at < deadline:
        deadline = run.starts_at
    return deadline


def fill_free_seats(run: CourseRun, *, now: datetime) -> list[Enrollment]:
    """Offer free seats to waiting households in order, each only when all its persons fit."""
    run = common.lock_run(run)
    if run.status != RunStatus.PUBLISHED or (run.starts_at is not None and run.starts_at <= now):
        return []
    free = run.capacity - common.seats_taken(run.id)
    offered = []
    deadline = _offer_deadline(run, now)
    for enrollment in waitlist(run.id):
        if free <= 0:
            break
        if enrollment.seats > free:
            continue  # a household is promoted together or not at all
        enrollment.status = EnrollmentStatus.OFFERED
        enrollment.waitlist_position = None
        enrollment.offer_expires_at = deadline
        free -= enrollment.seats
        offered.append(enrollment)
    db.session.flush()
    if offered:
        common.recount_seats(run)
    for enrollment in offered:
        emails.queue_status_email(enrollment, "offer", now=now)
        logger.info("offered seats enrollment=%s run=%s", enrollment.id, run.id)
    return offered


def accept_offer(enrollment: Enrollment, *, actor: User, now: datetime) -> Enrollment:
    """Take the offered seats: confirmed, or pending where the municipality must approve."""
    common.check_may_act_for_enrollment(actor, enrollment)
    run = common.lock_run(enrollment.run)
    db.session.refresh(enrollment)
    if enrollment.status != EnrollmentStatus.OFFERED:
        raise OfferExpiredError(_("Erbjudandet gäller inte längre."))
    # An offered row has its deadline (check constraint offer_deadline_iff_offered).
    deadline = known(enrollment.offer_expires_at, "an offered sign-up has a deadline")
    if now >= deadline:
        raise OfferExpiredError(_("Tiden för att tacka ja till platserna har gått ut."))
    enrollment.offer_expires_at = None
    if enrollment.needs_approval:
        enrollment.status = EnrollmentStatus.PENDING
        common.recount_seats(run)  # an offer held its seats already: the count stays
        emails.queue_status_email(enrollment, "pending", now=now)
        for worker in common.municipal_workers(enrollment.municipality_id or 0):
            emails.queue_approval_request_email(enrollment, worker, now=now)
    else:
        enrollment.status = EnrollmentStatus.CONFIRMED
        enrollment.confirmed_at = now
        common.recount_seats(run)
        emails.queue_confirmed_email(enrollment, now=now)
    logger.info("offer accepted enrollment=%s", enrollment.id)
    return enrollment


def expire_offers(*, now: datetime) -> int:
    """Let offers past their deadline lapse and pass the seats on; return how many lapsed."""
    due = list(
        db.session.scalars(
            select(Enrollment.id).where(
                Enrollment.status == EnrollmentStatus.OFFERED, Enrollment.offer_expires_at <= now
            )
        )
    )
    lapsed = 0
    for enrollment_id in due:
        enrollment = db.session.get_one(Enrollment, enrollment_id)  # just selected: it exists
        run = common.lock_run(enrollment.run)
        db.session.refresh(enrollment)
        deadline = enrollment.offer_expires_at  # None exactly when not offered (check constraint)
        if enrollment.status != EnrollmentStatus.OFFERED or deadline is None or deadline > now:
            continue  # another run of the job got there first
        enrollment.status = EnrollmentStatus.CANCELLED
        enrollment.offer_expires_at = None
        enrollment.cancelled_at = now
        enrollment.cancel_reason = "offer lapsed"
        db.session.flush()
        common.recount_seats(run)
        emails.queue_status_email(enrollment, "offer_lapsed", now=now)
        fill_free_seats(run, now=now)
        lapsed += 1
    logger.info("offers lapsed: %s", lapsed)
    return lapsed


def reorder_waitlist(
    enrollment: Enrollment, position: int, *, actor: User, now: datetime, reason: str
) -> list[Enrollment]:
    """Move a waiting household to `position` (1 = first); staff only, with a reason."""
    if not permissions.can_manage_waitlist(actor):
        raise NotFoundError(_("Anmälan finns inte."))
    reason = (reason or "").strip()
    if not reason:
        raise EnrollmentError(_("Skriv varför ordningen ändras."), field="reason")
    run = common.lock_run(enrollment.run)
    queue = waitlist(run.id)
    if enrollment not in queue:
        raise EnrollmentError(_("Hushållet står inte på reservlistan."))
    if not 1 <= position <= len(queue):
        raise EnrollmentError(_("Välj ett nummer i kön mellan 1 och %(n)d.", n=len(queue)), field="position")
    queue.remove(enrollment)
    queue.insert(position - 1, enrollment)
    for number, row in enumerate(queue, start=1):
        row.waitlist_position = number
    db.session.flush()
    audit.record(
        actor, "enrollment.waitlist_reorder", obj=enrollment, detail=f"position {position}: {reason}"
    )
    fill_free_seats(run, now=now)
    logger.info("waitlist reordered run=%s", run.id)
    return queue


def check_capacity_change(run: CourseRun, new_capacity: int) -> None:
    """Raise CapacityError when `new_capacity` is below the persons already holding seats."""
    # Under the run's lock: a sign-up in flight holds it, and its seats must be counted too.
    # (Called before the course area applies the new values, so the reload loses nothing.)
    common.lock_run(run)
    taken = common.seats_taken(run.id)
    if new_capacity < taken:
        raise CapacityError(
            _("Antalet platser kan inte bli lägre än antalet anmälda som redan har plats (%(n)d).", n=taken),
            field="capacity",
        )
