"""Households and their adults: a family registering itself, a municipality adding one.

The rows themselves (households, family accounts, invitations) are written by accounts services;
this module adds enrollment's rules: the run's audience, the sign-up, who may act.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts import services as account_services
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import Household, Municipality, Role, User
from coursehub.accounts.services import NewAdult
from coursehub.courses.models import CourseRun
from coursehub.enrollment.errors import EnrollmentError
from coursehub.enrollment.models import RUN_SCOPE, Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.enrollment.services import common
from coursehub.enrollment.services.signup import sign_up
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.lib.checks import known

logger = logging.getLogger(__name__)

__all__ = [
    "NewAdult",
    "confirm_household",
    "create_household",
    "go_on_after_confirmation",
    "lapse_unverified_signups",
    "register_family",
]


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
) -> Enrollment | None:
    """A family without an account signs up from a course page; nothing is held until it confirms.

    The household and its adults' accounts are created (addresses that already have an account
    are left out and their owners told by mail), and the sign-up waits as UNVERIFIED, holding no
    seat, until an adult accepts the invitation (`go_on_after_confirmation`); it lapses after
    COURSEHUB_REGISTER_CONFIRM_HOURS (`lapse_unverified_signups`). Returns None when every address
    already had an account: the caller answers exactly as on success.
    """
    common.check_run_takes_signups(run, now)
    if municipality is None or not common.is_in_audience(run, municipality):
        raise EnrollmentError(
            _("Kursomgången är inte öppen för familjer från den kommunen."), field="municipality"
        )
    try:
        household = account_services.create_unconfirmed_household(
            household_name,
            municipality,
            adults,
            now=now,
            run_title=run.title,
            signup_path=f"/kurser/{run.id}/anmalan",
        )
    except AccountError as error:
        raise EnrollmentError(error.message, field=error.field) from None
    if household is None:
        return None
    enrollment = Enrollment(
        run_id=run.id,
        household_id=household.id,
        scope=RUN_SCOPE,
        status=EnrollmentStatus.UNVERIFIED,
        needs_approval=False,  # decided by sign_up once the address is confirmed
        needs_diet=(diet or "").strip()[:300],
        needs_accessibility=(accessibility or "").strip()[:300],
        needs_interpreter=(interpreter or "").strip()[:100],
        signed_up_by_id=household.adults[0].id,
        created_at=now,
        persons=[EnrollmentPerson(user=adult) for adult in household.adults],
    )
    db.session.add(enrollment)
    db.session.flush()
    logger.info("family registered household=%s, waiting for its address", household.id)
    return enrollment


def _unverified(household_id: int) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.household_id == household_id, Enrollment.status == EnrollmentStatus.UNVERIFIED)
            .order_by(Enrollment.id)
        )
    )


def go_on_after_confirmation(user: User, *, now: datetime) -> list[Enrollment]:
    """An adult confirmed the address: the household's waiting sign-ups go through `sign_up`.

    Each gets a seat, a place on the waiting list or the municipality's approval by the normal
    rules, as if it were made now. One that the run no longer takes (closed, cancelled, started)
    is cancelled with the reason, and the password the person chose stands.
    """
    if user.household_id is None or not user.has_role(Role.FAMILY):
        return []
    household = known(user.household, "a family adult has a household")
    done = []
    for waiting in _unverified(household.id):
        persons = [person.user for person in waiting.persons]
        try:
            done.append(
                sign_up(
                    waiting.run,
                    household,
                    persons,
                    actor=user,
                    now=now,
                    diet=waiting.needs_diet,
                    accessibility=waiting.needs_accessibility,
                    interpreter=waiting.needs_interpreter,
                )
            )
        except EnrollmentError as error:
            # sign_up checks every rule before it writes: nothing of it is half-done here.
            waiting.status = EnrollmentStatus.CANCELLED
            waiting.cancelled_at = now
            waiting.cancel_reason = error.message[:300]
            db.session.flush()
            logger.info("confirmed sign-up %s could not go on", waiting.id)
    return done


def lapse_unverified_signups(*, now: datetime, batch: int = 500) -> int:
    """Remove sign-ups whose address was not confirmed in time, and their households.

    They never held a seat, so no seat is freed. A household a municipal worker has confirmed
    meanwhile (or whose adult has a password) stays; its sign-up is cancelled instead. Reads only
    the sign-ups that are due (the status is indexed), at most `batch` per run.
    """
    deadline = now - timedelta(hours=current_app.config["COURSEHUB_REGISTER_CONFIRM_HOURS"])
    due = list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.status == EnrollmentStatus.UNVERIFIED, Enrollment.created_at <= deadline)
            .order_by(Enrollment.id)
            .limit(batch)
        )
    )
    for enrollment in due:
        # Only a self-registered family's sign-up is ever unverified: it has a household.
        household = known(enrollment.household, "an unverified sign-up is a family's")
        if account_services.may_discard_household(household):
            db.session.delete(enrollment)
            db.session.flush()
            account_services.discard_unconfirmed_household(household, now=now)
        else:
            enrollment.status = EnrollmentStatus.CANCELLED
            enrollment.cancelled_at = now
            enrollment.cancel_reason = _("E-postadressen bekräftades inte i tid.")
            db.session.flush()
    if due:
        logger.info("unconfirmed sign-ups lapsed: %s", len(due))
    return len(due)


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
