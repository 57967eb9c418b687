"""A family's interest registration becomes a case; the family can withdraw it by its mail's link."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts.models import Municipality
from coursehub.clock import to_local
from coursehub.extensions import db
from coursehub.lib.email_address import InvalidEmailAddress, normalise_email
from coursehub.lib.organisation import organisation_details
from coursehub.recruitment import emails
from coursehub.recruitment.deadlines import add_working_days
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import (
    AssignmentKind,
    Case,
    CaseAdult,
    CaseChild,
    CaseKind,
    Channel,
    Step,
    StepChange,
)

logger = logging.getLogger(__name__)

# The version of the consent text the family agreed to (templates/recruitment/_consent.html).
CONSENT_VERSION = "2026-12"
MAX_ADULTS = 4
MAX_CHILDREN = 10
MAX_CHILD_AGE = 20


@dataclass(frozen=True)
class NewAdult:
    first_name: str
    last_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Registration:
    """What the public form hands over; the service checks every rule again."""

    adults: list[NewAdult]
    street: str
    postal_code: str
    city: str
    municipality: Municipality | None
    children_ages: list[int]
    other_household: str
    housing: str
    experience: str
    kinds: list[AssignmentKind]
    min_child_age: int
    max_child_age: int
    channel: Channel | None
    consent: bool


def token_hash(token: str) -> str:
    """Return the stored form of a link token (the token itself is only in the family's mail)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _checked_adults(adults: list[NewAdult]) -> list[NewAdult]:
    filled = [a for a in adults if a.first_name or a.last_name or a.email or a.phone]
    if not filled:
        raise RecruitmentError(_("Skriv namn och kontaktuppgifter för minst en vuxen."), field="adults")
    if len(filled) > MAX_ADULTS:
        raise RecruitmentError(_("Högst %(n)d vuxna kan anmälas.", n=MAX_ADULTS), field="adults")
    checked = []
    for adult in filled:
        if not (adult.first_name and adult.last_name and adult.email and adult.phone):
            raise RecruitmentError(
                _("Skriv förnamn, efternamn, e-postadress och telefonnummer för varje vuxen."), field="adults"
            )
        try:
            email = normalise_email(adult.email)
        except InvalidEmailAddress as error:
            raise RecruitmentError(str(error), field="adults") from None
        checked.append(NewAdult(adult.first_name, adult.last_name, email, adult.phone))
    if len({a.email for a in checked}) != len(checked):
        raise RecruitmentError(_("Varje vuxen behöver en egen e-postadress."), field="adults")
    return checked


def _check(form: Registration) -> list[NewAdult]:
    if not form.consent:
        raise RecruitmentError(
            _("Ni behöver godkänna hur vi hanterar era uppgifter för att kunna skicka anmälan."),
            field="consent",
        )
    adults = _checked_adults(form.adults)
    if form.municipality is None:
        raise RecruitmentError(_("Välj den kommun ni bor i."), field="municipality_id")
    if not form.kinds:
        raise RecruitmentError(_("Välj minst ett slags uppdrag."), field="kinds")
    if not 0 <= form.min_child_age <= form.max_child_age <= MAX_CHILD_AGE:
        raise RecruitmentError(
            _(
                "Barnens ålder: från och till ska vara mellan 0 och %(max)d år, från först.",
                max=MAX_CHILD_AGE,
            ),
            field="max_child_age",
        )
    if len(form.children_ages) > MAX_CHILDREN or any(not 0 <= age <= 30 for age in form.children_ages):
        raise RecruitmentError(
            _("Skriv barnens åldrar i hela år, högst %(n)d barn.", n=MAX_CHILDREN), field="children"
        )
    return adults


def _open_case_of(emails_: list[str]) -> Case | None:
    return db.session.scalar(
        select(Case)
        .join(CaseAdult, CaseAdult.case_id == Case.id)
        .where(CaseAdult.email.in_(emails_), Case.closed_at.is_(None), Case.withdrawn_at.is_(None))
        .limit(1)
    )


def first_contact_due(now: datetime) -> date:
    """Return the first-contact deadline of a registration at `now` (working days, settings)."""
    config = current_app.config
    return add_working_days(
        to_local(now).date(),
        int(config["COURSEHUB_RECRUITMENT_FIRST_CONTACT_DAYS"]),
        organisation_details(config).closure_weeks,
    )


def receive_interest(form: Registration, *, now: datetime) -> Case | None:
    """Turn a family's interest registration into a case and mail its confirmation.

    Returns None when an adult's address already belongs to an open case: nothing new is made,
    that address is told by mail, and the caller answers exactly as on success (the page must
    not tell a stranger whether a family has registered).
    """
    adults = _check(form)
    existing = _open_case_of([a.email for a in adults])
    if existing is not None:
        for adult in existing.adults:
            if adult.email in {a.email for a in adults}:
                emails.queue_registered_again(adult, now=now)
        logger.info("interest registration for an open case; not made again")
        return None
    token = secrets.token_urlsafe(32)
    case = Case(
        step=Step.REGISTERED,
        step_changed_at=now,
        registered_at=now,
        first_contact_due_on=first_contact_due(now),
        municipality=form.municipality,
        channel=form.channel,
        street=form.street,
        postal_code=form.postal_code,
        city=form.city,
        housing=form.housing,
        experience=form.experience,
        other_household=form.other_household,
        min_child_age=form.min_child_age,
        max_child_age=form.max_child_age,
        consent_at=now,
        consent_version=CONSENT_VERSION,
        withdraw_token_hash=token_hash(token),
        adults=[
            CaseAdult(
                position=n, first_name=a.first_name, last_name=a.last_name, email=a.email, phone=a.phone
            )
            for n, a in enumerate(adults, start=1)
        ],
        children=[CaseChild(position=n, age=age) for n, age in enumerate(form.children_ages, start=1)],
        kinds=[CaseKind(kind=kind) for kind in dict.fromkeys(form.kinds)],
        history=[StepChange(from_step=None, to_step=Step.REGISTERED, at=now, actor_id=None)],
    )
    db.session.add(case)
    db.session.flush()
    case.reference = f"{to_local(now).date().year}-{case.id:04d}"
    for adult in case.adults:
        emails.queue_registration_received(case, adult, token=token, now=now)
    db.session.flush()
    logger.info("interest registration became case %s", case.id)
    return case


def case_of_withdraw_token(token: str) -> Case | None:
    """Return the open case whose withdrawal link this is, or None."""
    if not token or len(token) > 100:
        return None
    case = db.session.scalar(select(Case).where(Case.withdraw_token_hash == token_hash(token)))
    return case if case is not None and case.is_open else None


def withdraw_case(token: str, *, now: datetime) -> Case:
    """The family withdraws its registration by the link in its mail; the link then stops working."""
    case = case_of_withdraw_token(token)
    if case is None:
        raise RecruitmentError(_("Länken gäller inte längre. Ring eller skriv till oss om ni vill avbryta."))
    case.withdrawn_at = now
    case.withdraw_token_hash = None
    case.history.append(StepChange(from_step=case.step, to_step=case.step, at=now, actor_id=None))
    db.session.flush()
    logger.info("case %s withdrawn by the family", case.id)
    return case
