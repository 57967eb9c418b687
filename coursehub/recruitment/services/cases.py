"""Staff work a case: move it on a step, close it, assign it, write notes, judge requirements."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coursehub.accounts import audit
from coursehub.accounts.models import User
from coursehub.accounts.permissions import is_staff
from coursehub.extensions import db
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import (
    BasicRequirement,
    Case,
    CaseRequirement,
    Channel,
    ChecklistEntry,
    ChecklistKind,
    Note,
    RegisterCheck,
    RequirementOutcome,
    Step,
    StepChange,
)
from coursehub.recruitment.registers import missing_checks

logger = logging.getLogger(__name__)

NOTE_MAX = 4000
REASON_MAX = 300
CHANNEL_MAX = 80
STEPS = list(Step)
# Staff move a case by hand up to the presentation; the later steps follow from what happens
# (the family approves its presentation, a match, the municipality's assessment and decision),
# through services/later_steps.py, so a case never reads "matched" without its match.
LAST_BY_HAND = Step.PRESENTATION


def next_step_by_hand(case: Case) -> Step | None:
    """Return the step staff may move `case` to by hand now, or None."""
    index = STEPS.index(case.step)
    if index >= STEPS.index(LAST_BY_HAND):
        return None
    return STEPS[index + 1]


def _open(case: Case) -> None:
    if not case.is_open:
        raise RecruitmentError(_("Ärendet är avslutat och kan inte ändras."))


def _entries(case: Case, kind: ChecklistKind) -> list[ChecklistEntry]:
    return list(
        db.session.scalars(
            select(ChecklistEntry).where(ChecklistEntry.case_id == case.id, ChecklistEntry.kind == kind)
        )
    )


def _check_step_done(case: Case) -> None:
    """Refuse to leave a step whose checklist is not done."""
    if case.step == Step.INTERVIEW:
        interviews = _entries(case, ChecklistKind.INTERVIEW)
        if not any(entry.go_on for entry in interviews):
            raise RecruitmentError(
                _("Skriv in telefonintervjun med beslutet att gå vidare först."), field="to_step"
            )
    elif case.step == Step.CHECKS:
        checks = list(db.session.scalars(select(RegisterCheck).where(RegisterCheck.case_id == case.id)))
        questionnaires = _entries(case, ChecklistKind.QUESTIONNAIRE)
        age = int(current_app.config["COURSEHUB_RECRUITMENT_CHECK_AGE"])
        if missing_checks(case, checks, questionnaires, check_age=age):
            raise RecruitmentError(
                _("Alla registerkontroller och BRA-fam för varje vuxen och barn måste vara gjorda först."),
                field="to_step",
            )
    elif case.step == Step.HOME_VISIT and not _entries(case, ChecklistKind.HOME_VISIT):
        raise RecruitmentError(_("Skriv in hembesöket först."), field="to_step")


def move_case(case: Case, to_step: Step, *, actor: User | None, now: datetime) -> StepChange:
    """Move an open case to the next step, recording who and when; any other step is refused."""
    _open(case)
    index = STEPS.index(case.step)
    if index >= STEPS.index(LAST_BY_HAND) and index + 1 < len(STEPS) and STEPS[index + 1] == to_step:
        raise RecruitmentError(
            _(
                "Ärendet går vidare härifrån när familjen har godkänt sin presentation och när "
                "en koppling har gjorts, inte genom att flyttas för hand."
            ),
            field="to_step",
        )
    if index + 1 >= len(STEPS) or STEPS[index + 1] != to_step:
        raise RecruitmentError(
            _("Ärendet kan bara flyttas ett steg i taget, till nästa steg i ordningen."), field="to_step"
        )
    _check_step_done(case)
    change = StepChange(from_step=case.step, to_step=to_step, at=now, actor_id=getattr(actor, "id", None))
    case.history.append(change)
    if case.step == Step.REGISTERED and case.first_contact_at is None:
        case.first_contact_at = now
    case.step = to_step
    case.step_changed_at = now
    db.session.flush()
    audit.record(actor, "recruitment.case.move", obj=case, detail=to_step.value)
    logger.info("case %s moved to %s", case.id, to_step.value)
    return change


def close_case(case: Case, reason: str, *, actor: User | None, now: datetime) -> Case:
    """Close an open case at any step; the reason is required."""
    _open(case)
    reason = (reason or "").strip()
    if not reason:
        raise RecruitmentError(_("Skriv varför ärendet avslutas."), field="reason")
    if len(reason) > REASON_MAX:
        raise RecruitmentError(
            _("Anledningen får vara högst %(max)d tecken.", max=REASON_MAX), field="reason"
        )
    case.closed_at = now
    case.close_reason = reason
    case.closed_by_id = getattr(actor, "id", None)
    case.withdraw_token_hash = None
    db.session.flush()
    audit.record(actor, "recruitment.case.close", obj=case)
    logger.info("case %s closed", case.id)
    return case


def assign_case(case: Case, staff: User | None, *, actor: User | None) -> Case:
    """Give a case to a staff member (or to nobody)."""
    _open(case)
    if staff is not None and not (is_staff(staff) and staff.is_active):
        raise RecruitmentError(_("Välj en medarbetare."), field="staff_id")
    case.assigned_to_id = staff.id if staff is not None else None
    db.session.flush()
    audit.record(actor, "recruitment.case.assign", obj=case)
    logger.info("case %s assigned", case.id)
    return case


def add_note(case: Case, body: str, *, actor: User | None, now: datetime) -> Note:
    """Write a staff note on a case."""
    body = (body or "").strip()
    if not body:
        raise RecruitmentError(_("Skriv anteckningen."), field="body")
    if len(body) > NOTE_MAX:
        raise RecruitmentError(_("Anteckningen får vara högst %(max)d tecken.", max=NOTE_MAX), field="body")
    note = Note(case_id=case.id, author_id=getattr(actor, "id", None), body=body, created_at=now)
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "recruitment.note.add", obj=case)
    logger.info("note added to case %s", case.id)
    return note


def record_requirement(
    case: Case,
    requirement: BasicRequirement | None,
    outcome: RequirementOutcome,
    *,
    actor: User | None,
    now: datetime,
) -> CaseRequirement:
    """Record (or change) whether the family meets one basic requirement."""
    _open(case)
    if requirement is None or not requirement.is_active:
        raise RecruitmentError(_("Välj ett av grundkraven."), field="requirement_id")
    row = db.session.scalar(
        select(CaseRequirement).where(
            CaseRequirement.case_id == case.id, CaseRequirement.requirement_id == requirement.id
        )
    )
    if row is None:
        row = CaseRequirement(
            case_id=case.id, requirement_id=requirement.id, outcome=outcome, recorded_at=now
        )
        db.session.add(row)
    row.outcome = outcome
    row.recorded_at = now
    row.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "recruitment.requirement.record", obj=case)
    logger.info("requirement recorded on case %s", case.id)
    return row


def add_channel(name: str, *, actor: User | None) -> Channel:
    """Add a channel to the list families choose from."""
    name = (name or "").strip()
    if not name:
        raise RecruitmentError(_("Skriv kanalens namn."), field="name")
    if len(name) > CHANNEL_MAX:
        raise RecruitmentError(_("Namnet får vara högst %(max)d tecken.", max=CHANNEL_MAX), field="name")
    if db.session.scalar(select(Channel.id).where(Channel.name == name)):
        raise RecruitmentError(_("Den kanalen finns redan."), field="name")
    position = len(list(db.session.scalars(select(Channel.id)))) + 1
    channel = Channel(name=name, position=position)
    db.session.add(channel)
    db.session.flush()
    audit.record(actor, "recruitment.channel.add", obj=channel)
    return channel


def add_requirement(text: str, *, actor: User | None) -> BasicRequirement:
    """Add a basic requirement to the resource's list."""
    text = (text or "").strip()
    if not text:
        raise RecruitmentError(_("Skriv grundkravet."), field="text")
    if db.session.scalar(select(BasicRequirement.id).where(BasicRequirement.text == text)):
        raise RecruitmentError(_("Det grundkravet finns redan."), field="text")
    position = len(list(db.session.scalars(select(BasicRequirement.id)))) + 1
    requirement = BasicRequirement(text=text[:300], position=position)
    db.session.add(requirement)
    db.session.flush()
    audit.record(actor, "recruitment.requirement.add", obj=requirement)
    return requirement
