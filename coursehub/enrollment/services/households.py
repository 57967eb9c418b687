"""Households and their adults: a family registering itself, a municipality adding one.

The rows themselves (households, family accounts, invitations) are written by accounts services;
this module adds enrollment's rules: the run's audience, the sign-up, who may act.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _

from coursehub.accounts import services as account_services
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import Household, Municipality, Role, User
from coursehub.accounts.services import NewAdult
from coursehub.courses.models import CourseRun
from coursehub.enrollment.errors import EnrollmentError
from coursehub.enrollment.models import Enrollment
from coursehub.enrollment.services import common
from coursehub.enrollment.services.signup import sign_up
from coursehub.errors import NotFoundError

logger = logging.getLogger(__name__)

__all__ = ["NewAdult", "confirm_household", "create_household", "register_family"]


def _add_household(
    name: str,
    municipality: Municipality,
    adults: list[NewAdult],
    *,
    actor: User | None,
    now: datetime,
    confirmed: bool,
    run: CourseRun | None = None,
) -> Household:
    try:
        return account_services.create_household(
            name,
            municipality,
            adults,
            actor=actor,
            now=now,
            confirmed=confirmed,
            run_title=run.title if run is not None else None,
        )
    except AccountError as error:
        # Shown by enrollment's pages like every other sign-up rule.
        raise EnrollmentError(error.message, field=error.field) from None


def register_family(
    run: CourseRun,
    *,
    household_name: str,
    municipality: Municipality | None,
    adults: list[NewAdult],
    now: datetime,
    diet: str | None = "",
    accessibility: str | None = "",
    interpreter: str | None = "",
) -> Enrollment:
    """A family without an account signs up from a course page; its municipality confirms it."""
    common.check_run_takes_signups(run, now)
    if municipality is None or not common.is_in_audience(run, municipality):
        raise EnrollmentError(
            _("Kursomgången är inte öppen för familjer från den kommunen."), field="municipality"
        )
    household = _add_household(
        household_name, municipality, adults, actor=None, now=now, confirmed=False, run=run
    )
    first = household.adults[0]
    enrollment = sign_up(
        run,
        household,
        list(household.adults),
        actor=first,
        now=now,
        diet=diet,
        accessibility=accessibility,
        interpreter=interpreter,
    )
    logger.info("family registered household=%s", household.id)
    return enrollment


def create_household(
    *, name: str, municipality: Municipality, adults: list[NewAdult], actor: User, now: datetime
) -> Household:
    """A municipal worker adds a household of their municipality; its adults are invited."""
    if not (actor.is_staff or (actor.has_role(Role.MUNICIPAL) and actor.municipality_id == municipality.id)):
        raise NotFoundError(_("Kommunen finns inte."))
    household = _add_household(name, municipality, adults, actor=actor, now=now, confirmed=True)
    logger.info("household %s created by municipality", household.id)
    return household


def confirm_household(household: Household, *, actor: User, now: datetime) -> Household:
    """Confirm a self-registered household (a municipal worker of its municipality)."""
    if not common.acts_for_municipality(actor, household):
        raise NotFoundError(_("Hushållet finns inte."))
    if household.is_confirmed:
        raise EnrollmentError(_("Hushållet är redan bekräftat."))
    return account_services.confirm_household(household, actor=actor, now=now)
