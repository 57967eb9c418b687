"""Demo data of the enrollment area: the demo family signed up for the first open basic training."""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from coursehub.accounts.models import Household, User
from coursehub.courses.models import CourseKind, CourseRun, CourseType, IntendedFor, RunStatus
from coursehub.enrollment import services
from coursehub.enrollment.errors import EnrollmentError
from coursehub.enrollment.models import Enrollment
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def seed(now: datetime) -> None:
    """Sign up the demo family (by its municipal worker) unless it has a sign-up already, and the
    municipal worker herself for the evening for new social workers."""
    household = db.session.scalar(select(Household).where(Household.name == "Familjen Andersson"))
    worker = db.session.scalar(select(User).where(User.username == "maria.ek"))
    if household is None or worker is None:
        return
    _sign_up_worker(worker, now)
    if db.session.scalar(select(Enrollment.id).where(Enrollment.household_id == household.id)):
        return
    run = db.session.scalar(
        select(CourseRun)
        .join(CourseType, CourseType.id == CourseRun.course_type_id)
        .where(
            CourseType.kind == CourseKind.BASIC,
            CourseRun.status == RunStatus.PUBLISHED,
            CourseRun.signup_opens_at <= now,
            CourseRun.signup_closes_at > now,
        )
        .order_by(CourseRun.starts_at)
        .limit(1)
    )
    if run is None:
        return
    try:
        with force_locale("sv"):  # the command runs outside any request
            services.sign_up(run, household, list(household.adults), actor=worker, now=now, diet="Vegetarisk")
    except EnrollmentError as error:  # demo data must never stop the seeding of the rest
        logger.warning("demo sign-up skipped: %s", error.message)


def _sign_up_worker(worker: User, now: datetime) -> None:
    """Sign the demo municipal worker up for the first open run for professionals only."""
    if db.session.scalar(select(Enrollment.id).where(Enrollment.professional_id == worker.id)):
        return
    run = db.session.scalar(
        select(CourseRun)
        .join(CourseType, CourseType.id == CourseRun.course_type_id)
        .where(
            CourseType.intended_for == IntendedFor.PROFESSIONALS,
            CourseRun.status == RunStatus.PUBLISHED,
            CourseRun.signup_opens_at <= now,
            CourseRun.signup_closes_at > now,
        )
        .order_by(CourseRun.starts_at)
        .limit(1)
    )
    if run is None:
        return
    try:
        with force_locale("sv"):
            services.sign_up_professional(run, worker, actor=worker, now=now)
    except EnrollmentError as error:
        logger.warning("demo sign-up of a professional skipped: %s", error.message)
