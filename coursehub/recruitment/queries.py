"""Reads of the recruitment pages, each a fixed number of queries whatever the number of cases."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    Executable,
    FromClause,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import joinedload

from coursehub.accounts.models import STAFF_ROLES, Municipality, User, UserRole
from coursehub.accounts.reference import held_list_beside, marked
from coursehub.extensions import db
from coursehub.lib.database import is_postgres
from coursehub.lib.pagination import Page, paginate
from coursehub.lib.sqlconst import written, written_all
from coursehub.recruitment.models import (
    AssignmentKind,
    BasicRequirement,
    Case,
    CaseAdult,
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

# Cases shown in each column of the board, the oldest first (those that have waited longest);
# the column's count says how many there are in all, and its link leads to the step's full,
# paged list. Ten: the board is an overview of ten steps, read on a phone too, where the columns
# stand one under the other (at 25, a national board was 250 cards long).
BOARD_CASES_PER_STEP = 10
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


class Card(NamedTuple):
    """What a case's card on the board or a step's list shows (open cases only)."""

    id: int
    reference: str | None
    step: Step
    registered_at: datetime
    first_contact_due_on: date
    first_contact_at: datetime | None
    adult_name: str | None  # the first adult's name
    municipality_name: str
    staff_name: str | None  # whom the case is given to

    def is_past_first_contact(self, today: date) -> bool:
        """Whether nobody has contacted the family yet and the deadline has passed."""
        return self.first_contact_at is None and today > self.first_contact_due_on


CARD_FIELDS = len(Card._fields)


@dataclass
class Column:
    """One step's column of the board: its count and the first cases in it."""

    step: Step
    count: int = 0
    cases: list[Card] = field(default_factory=list)
    past_deadline: int = 0


def _case_columns(case: Any) -> tuple[Any, ...]:
    """The case's own columns of a Card, from `case`: the Case entity, or a subquery's `.c` of them."""
    return (
        case.id,
        case.reference,
        case.step,
        case.registered_at,
        case.first_contact_due_on,
        case.first_contact_at,
    )


# The code's constants (step and role names, counts) are written into the board's SQL
# (lib.sqlconst): a statement of the board with no parameters is planned once per connection
# (psycopg prepares it), where a bound constant let PostgreSQL plan it again on every run.


def _card_columns(cases: FromClause | None = None) -> tuple[Any, ...]:
    """The columns of a Card, in its order: from Case, or from `cases`, a subquery of
    _case_columns(Case) (the board's LATERAL join on PostgreSQL); either joined with its
    municipality and (outer) its staff member (_with_card_joins)."""
    case: Any = Case if cases is None else cases.c
    first_adult = (
        select(CaseAdult.first_name + written(" ", String) + CaseAdult.last_name)
        .where(CaseAdult.case_id == case.id)
        .order_by(CaseAdult.position, CaseAdult.id)
        .limit(written(1, Integer))
        .correlate(Case if cases is None else cases)
        .scalar_subquery()
    )
    return (
        *_case_columns(case),
        first_adult.label("adult_name"),
        Municipality.name.label("municipality_name"),
        User.full_name.label("staff_name"),
    )


def _with_card_joins(stmt: Select[Any], cases: FromClause | None = None) -> Select[Any]:
    """Join `stmt` (over Case, or over `cases` as in _card_columns) with what a Card shows besides."""
    case: Any = Case if cases is None else cases.c
    return stmt.join(Municipality, Municipality.id == case.municipality_id).outerjoin(
        User, User.id == case.assigned_to_id
    )


def _open_case_conditions(filters: BoardFilter) -> list[Any]:
    """The conditions on Case of the open cases the filters let through."""
    conditions: list[Any] = [Case.closed_at.is_(None), Case.withdrawn_at.is_(None)]
    if filters.municipality_id is not None:
        conditions.append(Case.municipality_id == filters.municipality_id)
    if filters.staff_id is not None:
        conditions.append(Case.assigned_to_id == filters.staff_id)
    if filters.channel_id is not None:
        conditions.append(Case.channel_id == filters.channel_id)
    if filters.kind is not None:
        conditions.append(exists().where(CaseKind.case_id == Case.id, CaseKind.kind == filters.kind))
    return conditions


# The board's filters as bound parameters: (BoardFilter field, its condition on Case).
_BOARD_FILTERS: tuple[tuple[str, Any], ...] = (
    ("municipality_id", Case.municipality_id == bindparam("municipality_id")),
    ("staff_id", Case.assigned_to_id == bindparam("staff_id")),
    ("channel_id", Case.channel_id == bindparam("channel_id")),
    ("kind", exists().where(CaseKind.case_id == Case.id, CaseKind.kind == bindparam("kind"))),
)


@functools.cache
def _board_statement(used: tuple[bool, ...], postgres: bool) -> Executable:
    """The board's statement for the filters in use (a flag per _BOARD_FILTERS), built once:
    building it cost more than running it, and an unchanged statement reuses its cache key.

    A row per case shown: each step's first cases, each with its step's count of open cases and
    of those past the first-contact deadline. A step with no case gives no row (its counts are
    0), as every case it counts would be among its first. One statement, where the counts were
    a statement of their own (a round trip and SQLAlchemy's execution of it on every view).

    On PostgreSQL the steps are a LATERAL join: for each, its counts from one range of
    ix_recruitment_cases_open_board (the index alone) and its first cases from the start of the
    same range (a union of ten branches, as SQLite needs, cost PostgreSQL more to plan than to
    run). Those 100 cases are then joined once with their municipality, staff member and first
    adult: the subquery's OFFSET 0 keeps PostgreSQL from joining the municipalities again for
    each step (national bench, EXPLAIN (ANALYZE, BUFFERS): 1,133 -> 1,035 buffers, 1.6 -> 1.0 ms).
    On SQLite each step's branch counts with a subquery of its own, which SQLite runs once.
    """
    conditions: list[Any] = [Case.closed_at.is_(None), Case.withdrawn_at.is_(None)]
    conditions += [condition for (_name, condition), on in zip(_BOARD_FILTERS, used, strict=True) if on]
    late = Case.first_contact_at.is_(None) & (Case.first_contact_due_on < bindparam("today", type_=Date))
    if not postgres:
        branches = []
        for step in Step:
            in_step = (Case.step == step, *conditions)
            # Counted by statements of their own inside the branch (no correlation with its row).
            count = select(func.count()).where(*in_step).correlate(None)
            past = count.where(late)
            branch = (
                _with_card_joins(select(*_card_columns(), count.scalar_subquery(), past.scalar_subquery()))
                .where(*in_step)
                .order_by(Case.registered_at, Case.id)
                .limit(written(BOARD_CASES_PER_STEP, Integer))
                .subquery()
            )
            branches.append(select(branch))
        return union_all(*branches)
    # unnest(ARRAY[...]) rather than VALUES: SQLAlchemy caches no statement with VALUES in it.
    steps = (
        func.unnest(postgresql.array(list[Any](written_all(Step, String)), type_=String))
        .table_valued("step")
        .render_derived(name="steps")
    )
    counted = (
        select(func.count().label("count"), func.count().filter(late).label("past"))
        .where(Case.step == steps.c.step, *conditions)
        .lateral("counted")
    )
    cases = (
        select(*_case_columns(Case), Case.municipality_id, Case.assigned_to_id)
        .where(Case.step == steps.c.step, *conditions)
        .order_by(Case.registered_at, Case.id)
        .limit(written(BOARD_CASES_PER_STEP, Integer))
        .lateral("cases")
    )
    found = (
        select(cases, counted.c.count, counted.c.past)
        .select_from(steps)
        .join(counted, true())
        .join(cases, true())
        .offset(written(0, Integer))
        .subquery("firsts")
    )
    return _with_card_joins(select(*_card_columns(found), found.c.count, found.c.past), found)


def board_columns(filters: BoardFilter, *, today: date) -> list[Column]:
    """Return a column per step: the number of open cases, how many are past the first-contact
    deadline, and the first BOARD_CASES_PER_STEP cases (oldest first). One query.

    Each step's first cases are one short index range each (ix_recruitment_cases_open_board),
    so the cost does not grow with the number of open cases; the counts read that index only.
    """
    given = {name: getattr(filters, name) for name, _condition in _BOARD_FILTERS}
    used = tuple(value is not None for value in given.values())
    params: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
    columns = {step: Column(step) for step in Step}
    for row in db.session.execute(_board_statement(used, is_postgres()), {**params, "today": today}):
        card = Card(*row[:CARD_FIELDS])
        column = columns[card.step]
        column.count, column.past_deadline = row[CARD_FIELDS:]
        column.cases.append(card)
    for column in columns.values():
        column.cases.sort(key=lambda card: (card.registered_at, card.id))  # oldest first
    return list(columns.values())


def step_page(step: Step, filters: BoardFilter, *, page: int) -> Page:
    """Return a page of a step's open cases (Cards), oldest first."""
    stmt = (
        _with_card_joins(select(*_card_columns()))
        .where(Case.step == step, *_open_case_conditions(filters))
        .order_by(Case.registered_at, Case.id)
    )
    found = paginate(stmt, page, CASES_PER_PAGE, scalars=False)
    found.items = [Card(*row) for row in found.items]
    return found


def _is_staff() -> Any:
    """Whether the user (User) has a staff role. The roles as literals: as parameters,
    PostgreSQL's generic plan took a third of all users for staff and scanned every user
    (1,857 buffers at national size, against 14), so it planned the statement on every run."""
    roles = [written(role.value, UserRole.role.type) for role in STAFF_ROLES]
    return exists().where(UserRole.user_id == User.id, UserRole.role.in_(roles))


@functools.cache
def _staff_members_statement() -> Executable:
    return (
        select(User.id, User.full_name)
        .where(User.deactivated_at.is_(None), _is_staff())
        .order_by(User.full_name, User.id)
    )


def staff_members() -> list[Row[tuple[int, str]]]:
    """Return the active staff and admins (id, full_name), by name: whom a case can be given to."""
    return list(db.session.execute(_staff_members_statement()))


def channels() -> list[Channel]:
    """Return every channel, in staff's order, those switched off too (the registration reads the
    active ones with its municipalities, `interest_choices`)."""
    return list(db.session.scalars(select(Channel).order_by(Channel.position, Channel.id)))


def requirements(*, active_only: bool = True) -> list[BasicRequirement]:
    """Return the basic requirements, in staff's order."""
    stmt = select(BasicRequirement).order_by(BasicRequirement.position, BasicRequirement.id)
    if active_only:
        stmt = stmt.where(BasicRequirement.is_active.is_(True))
    return list(db.session.scalars(stmt))


class Choice(NamedTuple):
    """One entry of a list to choose from (a filter's, a form's)."""

    id: int
    name: str


# The key of every municipality by name, held by each process while the reference mark stays
# (`accounts.reference`): the family's interest registration offers them all, the case board
# those that have open cases. One list for both, from the same rows (`_every_municipality`).
EVERY_MUNICIPALITY = ("every municipality by name",)
_NO_POSITION, _NO_NAME = written(0, Integer), written("", String)


@functools.cache
def _every_municipality() -> Select[Any]:
    """Every municipality in the columns of the held lists' statements below (list, id, name,
    position, sort_name), ordered by ("position", "sort_name", "id")."""
    return select(
        written("municipality", String).label("list"),
        Municipality.id.label("id"),
        Municipality.name.label("name"),
        _NO_POSITION.label("position"),
        Municipality.name.label("sort_name"),
    )


def _choices_of(rows: list[tuple[Any, ...]]) -> tuple[Choice, ...]:
    return tuple(Choice(ident, name) for _list, ident, name, _position, _sort_name in rows)


@dataclass(frozen=True)
class InterestChoices:
    """What the family's interest registration offers."""

    municipalities: tuple[Choice, ...]  # every municipality of Sweden, by name (held: never change it)
    channels: tuple[Choice, ...]  # the active channels, in staff's order


@functools.cache
def _interest_choices_statement() -> Select[Any]:
    """`interest_choices`' statement, built once: every municipality by name (held by each
    process while the reference mark stays) and, on every view, the active channels.

    Read and sorted on every view, the names cost the public page 0.4-0.7 ms of SQL and the rows
    made into choices besides (the bench sets, in-process: the page 6.4 -> 5.5 ms at county size,
    7.5 -> 5.6 at national size, where it now costs the same); held, the statement reads the mark
    and the channels only.
    """
    channels = select(
        written("channel", String).label("list"),
        Channel.id.label("id"),
        Channel.name.label("name"),
        Channel.position.label("position"),
        _NO_NAME.label("sort_name"),
    ).where(Channel.is_active.is_(True))
    return marked(_every_municipality(), ("position", "sort_name", "id"), beside=channels)


def interest_choices() -> InterestChoices:
    """Return what the interest registration offers, in one query: every municipality of Sweden
    by name (a family may live outside the county) and the active channels in staff's order."""
    every, rows = held_list_beside(EVERY_MUNICIPALITY, _interest_choices_statement(), _choices_of)
    return InterestChoices(municipalities=every, channels=_choices_of(rows))


@dataclass(frozen=True)
class BoardChoices:
    """What the board's filters offer."""

    municipalities: list[Choice]  # those with open cases, by name
    staff: list[Choice]  # the active staff and admins, by name
    channels: list[Choice]  # every channel, in staff's order


@functools.cache
def _board_choices_statement() -> Select[Any]:
    """`board_choices`' statement, built once: every municipality by name, held by each process
    while the reference mark stays (`accounts.reference`), and on every view the municipalities
    with open cases (their ids), the active staff by name and every channel in staff's order.

    The ids come from ix_recruitment_cases_open_municipality alone (DISTINCT), in one row; the
    names and their order from the held list. Each municipality looking for its first open case (a
    LATERAL probe per municipality) and their names sorted under the database's collation on every
    view, 292 rows, cost twice as much at national size (the statement prepared, 300 runs seven
    times, medians, twice: national 0.82 -> 0.40-0.44 ms, county 0.27-0.31 -> 0.20-0.23), and the
    growth from county to national went from 0.51-0.55 ms to 0.20. Open cases only: the years of
    closed ones are not in the index.
    """
    with_open_cases = (
        select(Case.municipality_id)
        .where(Case.closed_at.is_(None), Case.withdrawn_at.is_(None))
        .distinct()
        .subquery("with_open_cases")
    )
    beside = union_all(
        # Their ids in one row ("12,40,311"): as a row each, the 290 were sorted with the rest
        # and read one by one (nationally, the statement prepared: 0.87 ms against 0.38).
        select(
            written("open", String).label("list"),
            null().label("id"),
            func.aggregate_strings(cast(with_open_cases.c.municipality_id, String), ",").label("name"),
            _NO_POSITION.label("position"),
            _NO_NAME.label("sort_name"),
        ),
        select(written("staff", String), User.id, User.full_name, _NO_POSITION, User.full_name).where(
            User.deactivated_at.is_(None), _is_staff()
        ),
        select(written("channel", String), Channel.id, Channel.name, Channel.position, _NO_NAME),
    )
    return marked(_every_municipality(), ("position", "sort_name", "id"), beside=beside)


def board_choices() -> BoardChoices:
    """Return the board's filter lists in one query: the municipalities that have open cases, by
    name, and the active staff by name, and every channel in staff's order (as staff_members and
    channels give them)."""
    every_municipality, rows = held_list_beside(EVERY_MUNICIPALITY, _board_choices_statement(), _choices_of)
    found: dict[str, list[Choice]] = {"staff": [], "channel": []}
    ids = None  # NULL when no case is open
    for list_name, ident, name, _position, _sort_name in rows:
        if list_name == "open":
            ids = name
        else:
            found[list_name].append(Choice(ident, name))
    with_open_cases = {int(ident) for ident in ids.split(",")} if ids else set()
    return BoardChoices(
        municipalities=[choice for choice in every_municipality if choice.id in with_open_cases],
        staff=found["staff"],
        channels=found["channel"],
    )


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


# What the case page shows of the case's own rows, loaded in the case's statement instead of a
# statement each when the page reads them (permissions.load_case's options): the municipality, the
# channel and the adults (the one collection joined, so no row repeats; the adults in their order).
CASE_PAGE_LOADS = (joinedload(Case.municipality), joinedload(Case.channel), joinedload(Case.adults))


def _with_person(relationship: Any) -> Any:
    """Load a row's staff member (who did it) in the same statement, without their roles: the
    page shows the name only (a selectin load cost a statement for the users and one for
    their roles, per list)."""
    return joinedload(relationship).lazyload(User.role_rows)


def case_file(case: Case) -> CaseFile:
    """Return the case's history, checklist, checks, notes, requirements and placements: seven
    statements whatever their number."""
    history = db.session.scalars(
        select(StepChange)
        .where(StepChange.case_id == case.id)
        .order_by(StepChange.at, StepChange.id)
        .options(_with_person(StepChange.actor))
    )
    entries = db.session.scalars(
        select(ChecklistEntry)
        .where(ChecklistEntry.case_id == case.id)
        .order_by(ChecklistEntry.done_on, ChecklistEntry.id)
        .options(_with_person(ChecklistEntry.done_by))
    )
    checks = db.session.scalars(
        select(RegisterCheck)
        .where(RegisterCheck.case_id == case.id)
        .order_by(RegisterCheck.checked_on, RegisterCheck.id)
        .options(_with_person(RegisterCheck.checked_by))
    )
    notes = db.session.scalars(
        select(Note)
        .where(Note.case_id == case.id)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .options(_with_person(Note.author))
    )
    outcomes = db.session.scalars(select(CaseRequirement).where(CaseRequirement.case_id == case.id))
    placements = db.session.scalars(
        select(Placement).where(Placement.case_id == case.id).options(joinedload(Placement.municipality))
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
