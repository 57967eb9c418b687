"""Households and their adults: a family registering itself, a municipality adding one, invites."""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from coursehub.accounts import services as account_services
from coursehub.accounts.models import (
    AccountToken,
    Household,
    Municipality,
    Role,
    TokenPurpose,
    User,
    UserRole,
)
from coursehub.courses.models import CourseRun
from coursehub.enrollment import emails
from coursehub.enrollment.errors import EnrollmentError
from coursehub.enrollment.models import Enrollment
from coursehub.enrollment.services import common
from coursehub.enrollment.services.signup import confirm_household_row, sign_up
from coursehub.errors import NotFoundError
from coursehub.extensions import db

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class NewAdult:
    """An adult to add to a household: name and e-mail address."""

    full_name: str
    email: str


def _check_adults(adults: list[NewAdult]) -> list[NewAdult]:
    cleaned = []
    seen = set()
    for adult in adults:
        name = " ".join(unicodedata.normalize("NFC", adult.full_name or "").split())
        email = unicodedata.normalize("NFC", adult.email or "").strip().lower()
        if not name and not email:
            continue
        if not name:
            raise EnrollmentError(_("Skriv namnet på den vuxna."), field="adults")
        if not _EMAIL.fullmatch(email) or len(email) > 254:
            raise EnrollmentError(_("Skriv en giltig e-postadress för %(name)s.", name=name),
                                  field="adults")
        if email in seen:
            raise EnrollmentError(_("Varje vuxen behöver en egen e-postadress."), field="adults")
        seen.add(email)
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            raise EnrollmentError(
                _("Det finns redan ett konto med e-postadressen %(email)s. Logga in i stället.",
                  email=email), field="adults")
        cleaned.append(NewAdult(name[:120], email))
    if not cleaned:
        raise EnrollmentError(_("Skriv namn och e-postadress för minst en vuxen."), field="adults")
    return cleaned


def invite_user(user: User, *, actor, now: datetime, household: Household,
                run: CourseRun | None = None) -> None:
    """Send a new adult a single-use link to choose a password (an account invitation)."""
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(
        user=user, purpose=TokenPurpose.INVITATION, token_hash=account_services.hash_token(token),
        expires_at=now + timedelta(days=current_app.config["COURSEHUB_INVITATION_DAYS"]),
        created_by_id=getattr(actor, "id", None), created_at=now,
    ))
    db.session.flush()
    emails.queue_invitation_email(user, token, household=household, run=run)


def _add_household(name: str, municipality: Municipality, adults: list[NewAdult], *, actor,
                   now: datetime, confirmed: bool, run: CourseRun | None = None) -> Household:
    adults = _check_adults(adults)
    name = " ".join((name or "").split())[:120] or _("Familjen %(name)s",
                                                     name=adults[0].full_name.split()[-1])
    household = Household(name=name, municipality=municipality, is_confirmed=False, created_at=now)
    db.session.add(household)
    db.session.flush()
    if confirmed:
        confirm_household_row(household, actor=actor, now=now)
    for adult in adults:
        user = User(full_name=adult.full_name, email=adult.email,
                    username=account_services.free_username(
                        account_services.suggest_username(adult.full_name) or "familj"), household=household,
                    password_hash=None, created_at=now, role_rows=[UserRole(role=Role.FAMILY)])
        db.session.add(user)
        db.session.flush()
        invite_user(user, actor=actor, now=now, household=household, run=run)
    db.session.refresh(household)
    return household


def register_family(run: CourseRun, *, household_name: str, municipality: Municipality,
                    adults: list[NewAdult], now: datetime, diet: str = "",
                    accessibility: str = "", interpreter: str = "") -> Enrollment:
    """A family without an account signs up from a course page; its municipality confirms it."""
    common.check_run_takes_signups(run, now)
    if municipality is None or not common.is_in_audience(run, municipality):
        raise EnrollmentError(_("Kursomgången är inte öppen för familjer från den kommunen."),
                              field="municipality")
    household = _add_household(household_name, municipality, adults, actor=None, now=now,
                               confirmed=False, run=run)
    first = household.adults[0]
    enrollment = sign_up(run, household, list(household.adults), actor=first, now=now, diet=diet,
                         accessibility=accessibility, interpreter=interpreter)
    logger.info("family registered household=%s", household.id)
    return enrollment


def create_household(*, name: str, municipality: Municipality, adults: list[NewAdult], actor,
                     now: datetime) -> Household:
    """A municipal worker adds a household of their municipality; its adults are invited."""
    if not (actor.is_staff or (actor.has_role(Role.MUNICIPAL)
                               and actor.municipality_id == municipality.id)):
        raise NotFoundError(_("Kommunen finns inte."))
    household = _add_household(name, municipality, adults, actor=actor, now=now, confirmed=True)
    logger.info("household %s created by municipality", household.id)
    return household


def confirm_household(household: Household, *, actor, now: datetime) -> Household:
    """Confirm a self-registered household (a municipal worker of its municipality)."""
    if not common.acts_for_municipality(actor, household):
        raise NotFoundError(_("Hushållet finns inte."))
    if household.is_confirmed:
        raise EnrollmentError(_("Hushållet är redan bekräftat."))
    return confirm_household_row(household, actor=actor, now=now)
