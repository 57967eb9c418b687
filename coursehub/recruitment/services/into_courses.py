"""Into the courses: a matched (or approved) family becomes a household and is signed up for training.

What happens, decided here once (issue 21, point 6):

- The family becomes a household of the municipality that takes it on — the requesting
  municipality on a match, its own municipality on an approval — through the accounts services,
  confirmed by the staff member who acts. Its adults get their invitation (a link to choose a
  password) now, not earlier: until the match nobody outside the resource knows of the family.
- It is **signed up** for the earliest basic-training run open to that municipality that takes
  sign-ups now, all adults, through enrollment's `sign_up` acting as staff: a seat when one is
  free, otherwise a place on the run's waiting list, by the ordinary rules. The family hears of it
  by enrollment's own mail and can cancel or change run from "Mina kurser". A sign-up (rather than
  a mail listing runs) because the resource's promise is that approved and matched families take
  the training during the assessment, and a held seat is what keeps that promise; the family is
  never bound by it.
- When no run is open yet, the household is made all the same and staff sign it up later from
  the case (`bring_into_courses` again): nothing is signed up twice.

COURSEHUB_RECRUITMENT_ENROL_ON chooses the moment: "match" (the default) or "approval".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts import services as account_services
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import Household, Municipality, User
from coursehub.courses.models import CourseKind, CourseRun
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment import services as enrollment_services
from coursehub.enrollment.errors import EnrollmentError
from coursehub.enrollment.models import ACTIVE, Enrollment
from coursehub.extensions import db
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import Case
from coursehub.recruitment.models.households import CaseHousehold

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntoCourses:
    """What bringing a family into the courses did: its household and its sign-up, if any."""

    household: Household
    enrollment: Enrollment | None


def case_household(case: Case) -> CaseHousehold | None:
    """Return the household the case's family became, or None while it is not in the courses."""
    return db.session.get(CaseHousehold, case.id)


def next_basic_runs(municipality: Municipality, now: datetime, *, limit: int = 3) -> list[CourseRun]:
    """Return the next basic-training runs that take sign-ups from `municipality` now."""
    runs = enrollment_queries.open_runs_for(municipality, now)
    return [run for run in runs if run.course_type.kind == CourseKind.BASIC][:limit]


def _household_name(case: Case) -> str:
    last_names = list(dict.fromkeys(adult.last_name for adult in case.adults))
    return str(_("Familjen %(name)s", name=" ".join(last_names)))


def _make_household(case: Case, municipality: Municipality, *, actor: User, now: datetime) -> CaseHousehold:
    adults = [account_services.NewAdult(adult.full_name, adult.email) for adult in case.adults]
    try:
        household = account_services.create_household(
            _household_name(case), municipality, adults, actor=actor, now=now, confirmed=True
        )
    except AccountError as error:
        # An adult who already has an account (a course taken earlier, say): staff join them by hand.
        raise RecruitmentError(error.message) from None
    link = CaseHousehold(
        case_id=case.id,
        household_id=household.id,
        municipality_id=municipality.id,
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(link)
    db.session.flush()
    return link


def _basic_signup(household: Household) -> Enrollment | None:
    """Return the household's active sign-up for a basic-training run, if it has one."""
    return db.session.scalar(
        select(Enrollment)
        .join(CourseRun, CourseRun.id == Enrollment.run_id)
        .where(
            Enrollment.household_id == household.id,
            Enrollment.status.in_(ACTIVE),
            CourseRun.course_type.has(kind=CourseKind.BASIC),
        )
        .order_by(Enrollment.id)
        .limit(1)
    )


def bring_into_courses(case: Case, *, municipality: Municipality, actor: User, now: datetime) -> IntoCourses:
    """Make the family a household of `municipality` (once) and sign it up for basic training.

    A second call (staff trying again when a run has opened) signs up a household that has no
    active basic-training sign-up, and otherwise changes nothing.
    """
    if not actor.is_staff:
        raise RecruitmentError(_("Bara resursens medarbetare för in familjer i kurserna."))
    link = case_household(case) or _make_household(case, municipality, actor=actor, now=now)
    household = link.household
    enrollment = _basic_signup(household)
    if enrollment is None:
        for run in next_basic_runs(link.municipality, now, limit=1):
            try:
                enrollment = enrollment_services.sign_up(
                    run, household, list(household.adults), actor=actor, now=now
                )
            except EnrollmentError as error:
                logger.info(
                    "case %s could not be signed up for run %s: %s", case.id, run.id, type(error).__name__
                )
    logger.info("case %s in the courses: household %s", case.id, household.id)
    return IntoCourses(household, enrollment)


def bring_in_after_approval(case: Case, *, now: datetime) -> IntoCourses | None:
    """The family approved its presentation and the setting says "approval": into the courses now.

    The case's assigned staff member acts (the family itself cannot confirm its household); with
    nobody assigned, nothing happens here and staff bring the family in from the case.
    """
    actor = case.assigned_to
    if actor is None or not actor.is_staff:
        logger.info("case %s approved without an assigned staff member: not in the courses yet", case.id)
        return None
    return bring_into_courses(case, municipality=case.municipality, actor=actor, now=now)
