"""Reads of the recruitment pages, each a fixed number of queries whatever the number of cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import STAFF_ROLES, Municipality, User, UserRole
from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate
from coursehub.recruitment.models import (
    AssignmentKind,
    BasicRequirement,
    Case,
    CaseKind,
    CaseRequirement,
    Channel,
    ChecklistEntry,
    Note,
    Placement,
    RegisterCheck,
    Step,
    StepChange,
)

# Cases shown in each column of the board; the column's count says how many there are in all,
# and its link leads to the step's full, paged list.
BOARD_CASES_PER_STEP = 25
CASES_PER_PAGE = 50


@dataclass(frozen=True)
class BoardFilter:
    """The board's filters; None means "all"."""

    municipality_id: int | None = None
    staff_id: int | None = None
    kind: AssignmentKind | None = None
    channel_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return self == BoardFilter()


@dataclass
class Column:
    """One step's column of the board: its count and the first cases in it."""

    step: Step
    count: int = 0
    cases: list[Case] = field(default_factory=list)
    past_deadline: int = 0


def _open_cases(filters: BoardFilter) -> Select[Any]:
    stmt = select(Case).where(Case.closed_at.is_(None), Case.withdrawn_at.is_(None))
    if filters.municipality_id is not None:
        stmt = stmt.where(Case.municipality_id == filters.municipality_id)
    if filters.staff_id is not None:
        stmt = stmt.where(Case.assigned_to_id == filters.staff_id)
    if filters.channel_id is not None:
        stmt = stmt.where(Case.channel_id == filters.channel_id)
    if filters.kind is not None:
        stmt = stmt.where(exists().where(CaseKind.case_id == Case.id, CaseKind.kind == filters.kind))
    return stmt


def board_columns(filters: BoardFilter, *, today: date) -> list[Column]:
    """Return a column per step: the number of open cases, how many are past the first-contact
    deadline, and the first BOARD_CASES_PER_STEP cases (oldest first). Four queries."""
    base = _open_cases(filters).subquery()
    late = base.c.first_contact_at.is_(None) & (base.c.first_contact_due_on < today)
    counts = db.session.execute(
        select(base.c.step, func.count(), func.count().filter(late)).group_by(base.c.step)
    ).all()
    by_step = {step: (count, past) for step, count, past in counts}
    ranked = (
        _open_cases(filters)
        .add_columns(
            func.row_number()
            .over(partition_by=Case.step, order_by=(Case.registered_at, Case.id))
            .label("rank")
        )
        .subquery()
    )
    shown = (
        select(Case)
        .join(ranked, ranked.c.id == Case.id)
        .where(ranked.c.rank <= BOARD_CASES_PER_STEP)
        .order_by(Case.registered_at, Case.id)
        .options(selectinload(Case.adults), selectinload(Case.assigned_to), selectinload(Case.municipality))
    )
    columns = {}
    for step in Step:
        count, past = by_step.get(step, (0, 0))
        columns[step] = Column(step, count=count, past_deadline=past)
    for case in db.session.scalars(shown):
        columns[case.step].cases.append(case)
    return list(columns.values())


def step_page(step: Step, filters: BoardFilter, *, page: int) -> Page:
    """Return a page of a step's open cases, oldest first."""
    stmt = (
        _open_cases(filters)
        .where(Case.step == step)
        .order_by(Case.registered_at, Case.id)
        .options(selectinload(Case.adults), selectinload(Case.assigned_to), selectinload(Case.municipality))
    )
    return paginate(stmt, page, CASES_PER_PAGE)


def staff_members() -> list[User]:
    """Return the active staff and admins, by name: whom a case can be given to."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.deactivated_at.is_(None),
                exists().where(UserRole.user_id == User.id, UserRole.role.in_(STAFF_ROLES)),
            )
            .order_by(User.full_name, User.id)
        )
    )


def channels(*, active_only: bool = True) -> list[Channel]:
    """Return the channels families choose from, in staff's order."""
    stmt = select(Channel).order_by(Channel.position, Channel.id)
    if active_only:
        stmt = stmt.where(Channel.is_active.is_(True))
    return list(db.session.scalars(stmt))


def requirements(*, active_only: bool = True) -> list[BasicRequirement]:
    """Return the basic requirements, in staff's order."""
    stmt = select(BasicRequirement).order_by(BasicRequirement.position, BasicRequirement.id)
    if active_only:
        stmt = stmt.where(BasicRequirement.is_active.is_(True))
    return list(db.session.scalars(stmt))


def municipalities() -> list[Municipality]:
    """Return every municipality of Sweden, by name (a family may live outside the county)."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def case_municipalities() -> list[Municipality]:
    """Return the municipalities that have open cases: the board's filter offers these."""
    has_case = exists().where(
        Case.municipality_id == Municipality.id, Case.closed_at.is_(None), Case.withdrawn_at.is_(None)
    )
    return list(db.session.scalars(select(Municipality).where(has_case).order_by(Municipality.name)))


@dataclass
class CaseFile:
    """Everything the case page shows, loaded in a fixed number of queries."""

    history: list[StepChange]
    entries: list[ChecklistEntry]
    checks: list[RegisterCheck]
    notes: list[Note]
    requirements: list[BasicRequirement]
    outcomes: dict[int, CaseRequirement]
    placements: list[Placement]


def case_file(case: Case) -> CaseFile:
    """Return the case's history, checklist, checks, notes, requirements and placements."""
    history = db.session.scalars(
        select(StepChange)
        .where(StepChange.case_id == case.id)
        .order_by(StepChange.at, StepChange.id)
        .options(selectinload(StepChange.actor))
    )
    entries = db.session.scalars(
        select(ChecklistEntry)
        .where(ChecklistEntry.case_id == case.id)
        .order_by(ChecklistEntry.done_on, ChecklistEntry.id)
        .options(selectinload(ChecklistEntry.done_by))
    )
    checks = db.session.scalars(
        select(RegisterCheck)
        .where(RegisterCheck.case_id == case.id)
        .order_by(RegisterCheck.checked_on, RegisterCheck.id)
        .options(selectinload(RegisterCheck.checked_by))
    )
    notes = db.session.scalars(
        select(Note)
        .where(Note.case_id == case.id)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .options(selectinload(Note.author))
    )
    outcomes = db.session.scalars(select(CaseRequirement).where(CaseRequirement.case_id == case.id))
    placements = db.session.scalars(
        select(Placement).where(Placement.case_id == case.id).options(selectinload(Placement.municipality))
    )
    return CaseFile(
        history=list(history),
        entries=list(entries),
        checks=list(checks),
        notes=list(notes),
        requirements=requirements(active_only=False),
        outcomes={row.requirement_id: row for row in outcomes},
        placements=list(placements),
    )
