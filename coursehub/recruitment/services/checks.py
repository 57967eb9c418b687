"""The per-step checklist and the register checks: dates, who, outcomes — never documents or answers."""

from __future__ import annotations

import logging
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts import audit
from coursehub.accounts.models import User
from coursehub.clock import to_local
from coursehub.extensions import db
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import (
    Case,
    CaseAdult,
    CaseChild,
    ChecklistEntry,
    ChecklistKind,
    CheckOutcome,
    Register,
    RegisterCheck,
)
from coursehub.recruitment.registers import canonical_identity_number, children_to_check

logger = logging.getLogger(__name__)

SUMMARY_MAX = 4000
NAME_MAX = 160
# A check or visit is dated at most this many days back (a typo like 1926 gets a message).
OLDEST_DAYS = 3 * 365


def _date(day: date | None, now: datetime) -> date:
    today = to_local(now).date()
    if day is None:
        raise RecruitmentError(_("Skriv ett datum."), field="done_on")
    if day > today:
        raise RecruitmentError(_("Datumet kan inte ligga i framtiden."), field="done_on")
    if (today - day).days > OLDEST_DAYS:
        raise RecruitmentError(_("Datumet ligger för långt bak i tiden."), field="done_on")
    return day


def _open(case: Case) -> None:
    if not case.is_open:
        raise RecruitmentError(_("Ärendet är avslutat och kan inte ändras."))


def record_checklist_entry(
    case: Case,
    kind: ChecklistKind,
    *,
    done_on: date | None,
    actor: User | None,
    now: datetime,
    adult: CaseAdult | None = None,
    go_on: bool | None = None,
    summary: str = "",
    reference_name: str = "",
    reference_relation: str = "",
) -> ChecklistEntry:
    """Record an interview (with its decision), a BRA-fam received, the home visit or a reference."""
    _open(case)
    day = _date(done_on, now)
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise RecruitmentError(
            _("Sammanfattningen får vara högst %(max)d tecken.", max=SUMMARY_MAX), field="summary"
        )
    if kind == ChecklistKind.QUESTIONNAIRE and (adult is None or adult.case_id != case.id):
        raise RecruitmentError(_("Välj vilken vuxen som har svarat."), field="adult_id")
    if kind == ChecklistKind.INTERVIEW and go_on is None:
        raise RecruitmentError(_("Välj om ni går vidare eller avslutar."), field="go_on")
    if kind == ChecklistKind.REFERENCE and not (reference_name or "").strip():
        raise RecruitmentError(_("Skriv referensens namn."), field="reference_name")
    entry = ChecklistEntry(
        case_id=case.id,
        kind=kind,
        adult_id=adult.id if adult is not None and kind == ChecklistKind.QUESTIONNAIRE else None,
        done_on=day,
        done_by_id=getattr(actor, "id", None),
        go_on=go_on if kind == ChecklistKind.INTERVIEW else None,
        summary=summary,
        reference_name=(reference_name or "").strip()[:NAME_MAX] or None,
        reference_relation=(reference_relation or "").strip()[:80] or None,
        created_at=now,
    )
    db.session.add(entry)
    if kind == ChecklistKind.INTERVIEW and case.first_contact_at is None:
        case.first_contact_at = now
    db.session.flush()
    audit.record(actor, "recruitment.checklist.record", obj=case, detail=kind.value)
    logger.info("checklist %s recorded on case %s", kind.value, case.id)
    return entry


def _open_case_with_number(number: str, case: Case) -> bool:
    found = db.session.scalar(
        select(Case.id)
        .join(CaseAdult, CaseAdult.case_id == Case.id)
        .where(CaseAdult.identity_number == number, Case.id != case.id)
        .where(Case.closed_at.is_(None), Case.withdrawn_at.is_(None))
        .limit(1)
    )
    found = found or db.session.scalar(
        select(Case.id)
        .join(CaseChild, CaseChild.case_id == Case.id)
        .where(CaseChild.identity_number == number, Case.id != case.id)
        .where(Case.closed_at.is_(None), Case.withdrawn_at.is_(None))
        .limit(1)
    )
    return found is not None


def set_identity_number(
    case: Case, person: CaseAdult | CaseChild, value: str, *, actor: User | None, now: datetime
) -> str:
    """Store an adult's or child's identity number in its canonical form, once checked."""
    _open(case)
    if person.case_id != case.id:
        raise RecruitmentError(_("Välj en person i ärendet."), field="person")
    number = canonical_identity_number(value, today=to_local(now).date())
    if number is None:
        raise RecruitmentError(
            _("Personnumret stämmer inte. Skriv det som ÅÅÅÅMMDD-NNNN och kontrollera siffrorna."),
            field="identity_number",
        )
    if _open_case_with_number(number, case):
        raise RecruitmentError(
            _("Personnumret finns redan i ett annat pågående ärende. Kontrollera det ärendet först."),
            field="identity_number",
        )
    person.identity_number = number
    db.session.flush()
    audit.record(actor, "recruitment.identity_number.set", obj=case)
    logger.info("identity number stored on case %s", case.id)
    return number


def record_register_check(
    case: Case,
    person: CaseAdult | CaseChild,
    register: Register,
    outcome: CheckOutcome,
    *,
    checked_on: date | None,
    actor: User | None,
    now: datetime,
) -> RegisterCheck:
    """Record that one register was checked for one person: date, who, outcome."""
    _open(case)
    if person.case_id != case.id:
        raise RecruitmentError(_("Välj en person i ärendet."), field="person")
    if isinstance(person, CaseChild):
        age = int(current_app.config["COURSEHUB_RECRUITMENT_CHECK_AGE"])
        if person not in children_to_check(case, age):
            raise RecruitmentError(_("Barn under %(age)d år kontrolleras inte.", age=age), field="person")
    if person.identity_number is None:
        raise RecruitmentError(_("Skriv in personens personnummer först."), field="identity_number")
    try:
        day = _date(checked_on, now)
    except RecruitmentError as error:
        raise RecruitmentError(error.message, field="checked_on") from None
    check = RegisterCheck(
        case_id=case.id,
        adult_id=person.id if isinstance(person, CaseAdult) else None,
        child_id=person.id if isinstance(person, CaseChild) else None,
        register=register,
        checked_on=day,
        checked_by_id=getattr(actor, "id", None),
        outcome=outcome,
        created_at=now,
    )
    db.session.add(check)
    db.session.flush()
    audit.record(actor, "recruitment.check.record", obj=case, detail=register.value)
    logger.info("register check recorded on case %s", case.id)
    return check
