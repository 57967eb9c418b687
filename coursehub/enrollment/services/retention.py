"""Retention of enrollment's data (SECURITY.md, Privacy; the periods are settings in config.py).

- Ended sign-ups (declined by the municipality, cancelled, lapsed) are deleted once they ended
  longer ago than COURSEHUB_RETENTION_ENDED_SIGNUP_DAYS: no figure counts them (the steering
  group's figures count confirmed sign-ups, attendance and completions, which stay).
- A self-registered household that nobody vouched for (its municipality did not confirm it and no
  adult chose a password) is removed COURSEHUB_RETENTION_UNCONFIRMED_DAYS after it registered:
  its sign-ups here, its adults through every area's erasure (coursehub.lib.personal_data: the
  mail to them, anything else an area holds), then the household itself (accounts). Usually the
  lapse job has removed it after two days already; this takes the ones it left (a sign-up that
  was cancelled before it lapsed).

Both read only what is due, through indexes (the sign-up's status; the household's confirmation
and registration time), at most `batch` rows per run; a second run finds nothing left.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, func, select

from coursehub.accounts import services as account_services
from coursehub.accounts.models import Household, User
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.extensions import db
from coursehub.lib.personal_data import ErasureContext, erase_person

logger = logging.getLogger(__name__)

ENDED = (EnrollmentStatus.CANCELLED, EnrollmentStatus.DECLINED)
# What an unconfirmed household's sign-ups may be for it to go: none holds or waits for a seat.
GONE = (*ENDED, EnrollmentStatus.UNVERIFIED)
UNCONFIRMED_REASON = "Gallring: självregistrerad familj som aldrig bekräftades."


def _days(key: str) -> timedelta:
    return timedelta(days=int(current_app.config[key]))


def remove_ended_signups(*, now: datetime, batch: int) -> int:
    """Delete sign-ups that were declined, cancelled or lapsed before the retention period."""
    cutoff = now - _days("COURSEHUB_RETENTION_ENDED_SIGNUP_DAYS")
    ended_at = func.coalesce(Enrollment.cancelled_at, Enrollment.decided_at, Enrollment.created_at)
    due = list(
        db.session.scalars(
            select(Enrollment.id)
            .where(Enrollment.status.in_(ENDED), ended_at < cutoff)
            .order_by(Enrollment.id)
            .limit(batch)
        )
    )
    if not due:
        return 0
    db.session.execute(
        delete(EnrollmentPerson)
        .where(EnrollmentPerson.enrollment_id.in_(due))
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        delete(Enrollment).where(Enrollment.id.in_(due)).execution_options(synchronize_session=False)
    )
    removed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    logger.info("enrollment retention: %s ended sign-ups deleted", removed)
    return removed


def remove_unconfirmed_households(*, now: datetime, batch: int) -> int:
    """Remove self-registered households nobody vouched for, registered before the period."""
    cutoff = now - _days("COURSEHUB_RETENTION_UNCONFIRMED_DAYS")
    with_password = exists().where(User.household_id == Household.id, User.password_hash.is_not(None))
    still_going = exists().where(Enrollment.household_id == Household.id, Enrollment.status.not_in(GONE))
    households = list(
        db.session.scalars(
            select(Household)
            .where(
                Household.is_confirmed.is_(False),
                Household.created_at < cutoff,
                ~with_password,
                ~still_going,
            )
            .order_by(Household.id)
            .limit(batch)
        )
    )
    context = ErasureContext(actor_id=None, reason=UNCONFIRMED_REASON, now=now)
    for household in households:
        _remove_household(household, context)
    if households:
        logger.info("enrollment retention: %s unconfirmed households removed", len(households))
    return len(households)


def _remove_household(household: Household, context: ErasureContext) -> None:
    signups = select(Enrollment.id).where(Enrollment.household_id == household.id).scalar_subquery()
    db.session.execute(
        delete(EnrollmentPerson)
        .where(EnrollmentPerson.enrollment_id.in_(signups))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(Enrollment)
        .where(Enrollment.household_id == household.id)
        .execution_options(synchronize_session=False)
    )
    adults = list(household.adults)
    for number, adult in enumerate(adults, start=1):
        # The last adult takes the household's own rows with them (the provider contract).
        erase_person(current_app, adult, replace(context, whole_household=number == len(adults)))
    db.session.flush()
    # An area's erasure may have changed the adults, or taken the household already.
    db.session.expire(household)
    if db.session.get(Household, household.id) is not None:
        account_services.discard_unconfirmed_household(household, now=context.now)
