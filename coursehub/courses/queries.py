"""Reads of the courses area: the catalogue, run lists, leaders' sessions, staff warnings.

Seats taken are a column of the run (`CourseRun.seats_taken`), kept by enrollment under the run's
row lock; this area only reads it, so the catalogue filters "seats left" and pages in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from types import MappingProxyType
from typing import Any

import holidays
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from coursehub.accounts.models import (
    LEADER_ROLES,
    CountyPart,
    HomeKind,
    Municipality,
    User,
    UserRole,
    county_part_municipalities,
)
from coursehub.accounts.reference import held_list, marked
from coursehub.clock import to_local
from coursehub.courses.models import (
    FAMILY_AUDIENCES,
    CourseRun,
    CourseSession,
    CourseType,
    RunStatus,
    SessionStatus,
    Venue,
    course_type_home_kinds,
    run_county_parts,
    run_leaders,
    run_municipalities,
    venue_address,
)
from coursehub.extensions import db
from coursehub.lib.localtime import local_moment
from coursehub.lib.pagination import Page, count_limit, page_number, paginate
from coursehub.lib.sqlconst import start_of_minute, written, written_all
from coursehub.lib.sqlfind import among

PER_PAGE = 20
# Past this page number a list's OFFSET would overflow PostgreSQL's bigint; no list is that long.
_FAR_PAGE = 10**12


@dataclass(frozen=True)
class CatalogueFilters:
    course_type_id: int | None = None
    municipality_id: int | None = None
    month: date | None = None  # first day of a month
    mode: str = ""  # "online", "onsite" or ""
    with_seats: bool = False
    # Runs that families of this county part may come to (the whole county's included).
    county_part_id: int | None = None
    # Runs of course types aimed at this kind of home.
    home_kind_id: int | None = None
    # False for families and visitors: runs of course types for professionals only are left out.
    for_professionals: bool = False


@dataclass(frozen=True)
class CatalogueVenue:
    """The venue's name and address, as a catalogue card shows them (the `place` macro)."""

    name: str
    address: str


@dataclass(frozen=True)
class CatalogueRow:
    """One card of the catalogue: only the columns it shows, read in the page's one statement."""

    id: int
    title: str
    course_type_id: int
    type_name: str
    starts_at: datetime | None
    online_url: str | None
    venue: CatalogueVenue | None
    municipality: str | None
    seats_left: int
    sessions: int  # scheduled sessions


def catalogue_page(
    filters: CatalogueFilters, *, now: datetime, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """Return one page of upcoming or running published runs, in one statement.

    The runs' ids are paged in a subquery, then joined to what the cards show, with the scheduled
    sessions counted for those twenty runs only, and the count of all the runs beside them. A
    page past the last, with no row to carry the count, counts on its own and shows the last page
    (two more statements; only a hand-typed address asks for one). The statements are built once
    per set of filters in use, their values written in per request.
    """
    values = _catalogue_values(filters, now)
    count, page_rows = _catalogue_statements(tuple(sorted(values)))
    page = max(1, page)
    # A hand-typed page number too large for an OFFSET is past the last page anyway.
    rows = _catalogue_rows(page_rows, values, page, per_page) if page < _FAR_PAGE else []
    if rows:
        total = rows[0][-1]
    else:
        total = db.session.execute(count, values).scalar_one()
        last = page_number(page, total, per_page)
        if total and last != page:
            rows = _catalogue_rows(page_rows, values, last, per_page)
        page = last
    items = [
        CatalogueRow(
            id=run_id,
            title=title,
            course_type_id=type_id,
            type_name=type_name,
            starts_at=starts_at,
            online_url=online_url,
            venue=None
            if venue_id is None
            else CatalogueVenue(venue_name, venue_address(street, postcode, city)),
            municipality=municipality,
            seats_left=max(free, 0),
            sessions=sessions,
        )
        for (
            run_id,
            title,
            type_id,
            type_name,
            starts_at,
            online_url,
            free,
            sessions,
            venue_id,
            venue_name,
            street,
            postcode,
            city,
            municipality,
            _total,
        ) in rows
    ]
    return Page(items=items, page=page, per_page=per_page, total=total)


def _catalogue_rows(
    page_rows: Select[*tuple[Any, ...]], values: dict[str, object], page: int, per_page: int
) -> list[Any]:
    """The rows of the catalogue's `page`, each with the count of all the runs found."""
    paged = {**values, "per_page": per_page, "skip": (page - 1) * per_page}
    return list(db.session.execute(page_rows, paged))


def _catalogue_values(filters: CatalogueFilters, now: datetime) -> dict[str, object]:
    """Return the bound values of the catalogue's statements for `filters`: one per filter in use
    (flags without a value, such as "online" or "with seats", are a key with the value True)."""
    # The start of the minute: the statements' text then stays the same for a minute (see
    # _catalogue_conditions), and a run over less than a minute ago shows until the next.
    values: dict[str, object] = {"now": start_of_minute(now)}
    if filters.course_type_id:
        values["course_type_id"] = filters.course_type_id
    if not filters.for_professionals:
        values["families_only"] = True
    if filters.municipality_id:
        values["municipality_id"] = filters.municipality_id
    if filters.mode == "online":
        values["online"] = True
    elif filters.mode == "onsite":
        values["onsite"] = True
    if filters.month:
        following = (filters.month.replace(day=28) + timedelta(days=4)).replace(day=1)
        values["month_start"] = local_moment(filters.month, datetime.min.time())
        values["month_end"] = local_moment(following, datetime.min.time())
    if filters.with_seats:
        values["with_seats"] = True
    if filters.county_part_id:
        values["county_part_id"] = filters.county_part_id
    if filters.home_kind_id:
        values["home_kind_id"] = filters.home_kind_id
    return values


# Flags of _catalogue_values: they choose a condition, they are no parameter of the statement.
_FLAGS = frozenset({"families_only", "online", "onsite", "with_seats"})


_PUBLISHED = written(RunStatus.PUBLISHED, CourseRun.status.type)
_SCHEDULED = written(SessionStatus.SCHEDULED, CourseSession.status.type)
_FAMILY_AUDIENCES = written_all(FAMILY_AUDIENCES, CourseType.intended_for.type)


def _value(name: str, type_: Any) -> BindParameter[Any]:
    """The catalogue's parameter `name`, its value written into the SQL when the statement runs
    (numbers and moments the view has checked; SQLAlchemy writes them as their type's literals)."""
    return bindparam(name, type_=type_, literal_execute=True)


@cache
def _catalogue_statements(keys: tuple[str, ...]) -> tuple[Select[int], Select[*tuple[Any, ...]]]:
    """Return the count and the page statement for the filters in `keys` (sorted names of
    _catalogue_values), with bound parameters: built once per combination (at most 2**9).

    The page statement carries the count as its last column: an uncorrelated subquery, counted
    once for the statement (PostgreSQL's InitPlan, SQLite's once-only subquery). As a statement
    of its own, the count cost a round trip of about 0.2 ms on every visit, a twentieth of the
    catalogue's time in the process.
    """
    conditions = _catalogue_conditions(frozenset(keys))
    count = select(func.count(CourseRun.id)).where(*conditions)
    total = count.correlate(None).scalar_subquery()
    chosen = (
        select(CourseRun.id)
        .where(*conditions)
        .order_by(CourseRun.starts_at, CourseRun.id)
        .limit(bindparam("per_page", type_=Integer, literal_execute=True))
        .offset(bindparam("skip", type_=Integer, literal_execute=True))
        .subquery()
    )
    scheduled = (
        select(func.count(CourseSession.id))
        .where(CourseSession.run_id == CourseRun.id, CourseSession.status == _SCHEDULED)
        .scalar_subquery()
    )
    page_rows = (
        select(
            CourseRun.id,
            CourseRun.title,
            CourseRun.course_type_id,
            CourseType.name,
            CourseRun.starts_at,
            CourseRun.online_url,
            CourseRun.capacity - CourseRun.seats_taken,
            scheduled,
            Venue.id,
            Venue.name,
            Venue.street,
            Venue.postcode,
            Venue.city,
            Municipality.name,
            total,
        )
        .join(chosen, chosen.c.id == CourseRun.id)
        .join(CourseType, CourseType.id == CourseRun.course_type_id)
        .outerjoin(Venue, Venue.id == CourseRun.venue_id)
        .outerjoin(Municipality, Municipality.id == Venue.municipality_id)
        .order_by(CourseRun.starts_at, CourseRun.id)
    )
    return count, page_rows


def _catalogue_conditions(keys: frozenset[str]) -> list[ColumnElement[bool]]:
    """Return the WHERE clauses of the catalogue for the filters named in `keys` (those of
    _catalogue_values), their values as parameters of the same names: all run in SQL.

    The values are written into the SQL when the statement runs (`_value`), the code's constants
    when it is built: with any of them bound, PostgreSQL planned the page's statements anew on
    every visit (0.6-1.0 ms of bind for the page, 0.3 for the count at national scale). Written,
    with the moment a whole minute, the prepared statements are planned once a minute.
    """
    conditions: list[ColumnElement[bool]] = [
        CourseRun.status == _PUBLISHED,
        # Not over yet: the run's stored last end (courses services keep it), no session scan.
        CourseRun.ends_at > _value("now", CourseRun.ends_at.type),
    ]
    if "course_type_id" in keys:
        conditions.append(CourseRun.course_type_id == _value("course_type_id", Integer))
    if "families_only" in keys:
        # A subquery, not a join: the count and the page stay one statement each.
        conditions.append(CourseRun.course_type_id.in_(_family_type_ids()))
    if "municipality_id" in keys:
        conditions.append(
            exists().where(
                Venue.id == CourseRun.venue_id,
                Venue.municipality_id == _value("municipality_id", Integer),
            )
        )
    if "online" in keys:
        conditions.append(CourseRun.venue_id.is_(None))
    elif "onsite" in keys:
        conditions.append(CourseRun.venue_id.is_not(None))
    if "month_start" in keys:
        conditions.append(
            exists().where(
                CourseSession.run_id == CourseRun.id,
                CourseSession.status == _SCHEDULED,
                CourseSession.starts_at >= _value("month_start", CourseSession.starts_at.type),
                CourseSession.starts_at < _value("month_end", CourseSession.starts_at.type),
            )
        )
    if "with_seats" in keys:
        conditions.append(CourseRun.capacity > CourseRun.seats_taken)
    if "county_part_id" in keys:
        conditions.append(_open_to_part(_value("county_part_id", Integer)))
    if "home_kind_id" in keys:
        conditions.append(
            exists().where(
                course_type_home_kinds.c.course_type_id == CourseRun.course_type_id,
                course_type_home_kinds.c.home_kind_id == _value("home_kind_id", Integer),
            )
        )
    return conditions


def _family_type_ids() -> Select[int]:
    return select(CourseType.id).where(CourseType.intended_for.in_(_FAMILY_AUDIENCES))


def _open_to_part(part_id: int | BindParameter[int]) -> ColumnElement[bool]:
    """Return the runs open to the families of a county part: the whole county's, the part's own,
    and those for a municipality in it."""
    return or_(
        CourseRun.is_open_to_all.is_(True),
        exists().where(
            run_county_parts.c.run_id == CourseRun.id, run_county_parts.c.county_part_id == part_id
        ),
        exists().where(
            run_municipalities.c.run_id == CourseRun.id,
            county_part_municipalities.c.municipality_id == run_municipalities.c.municipality_id,
            county_part_municipalities.c.county_part_id == part_id,
        ),
    )


@dataclass(frozen=True)
class CatalogueChoices:
    """What the catalogue's filters offer, and the kinds of home each course type is aimed at
    (held by the process and shared by its requests: nothing in it can be changed)."""

    types: tuple[tuple[int, str], ...]  # course types by name
    municipalities: tuple[tuple[int, str], ...]  # those with venues
    county_parts: tuple[tuple[int, str], ...]
    home_kinds: tuple[tuple[int, str], ...]
    aimed_at: Mapping[int, tuple[str, ...]]  # course type id -> names of the kinds of home


def _tag(name: str) -> ColumnElement[str]:
    """Return a constant naming which list a row of the choices' UNION belongs to."""
    return written(name, String)


@cache
def _choices_statement(for_professionals: bool) -> Select[Any]:
    """The UNION of `catalogue_choices`, built once for each audience; its rows only when this
    process does not hold them (accounts.reference)."""
    types = select(_tag("type").label("list"), CourseType.id.label("id"), CourseType.name.label("name"))
    if not for_professionals:
        types = types.where(CourseType.intended_for.in_(_FAMILY_AUDIENCES))
    lists = union_all(
        types,
        select(_tag("municipality"), Municipality.id, Municipality.name).where(
            exists().where(Venue.municipality_id == Municipality.id)
        ),
        select(_tag("part"), CountyPart.id, CountyPart.name),
        select(_tag("kind"), HomeKind.id, HomeKind.name),
        select(_tag("aim"), course_type_home_kinds.c.course_type_id, HomeKind.name).join(
            HomeKind, HomeKind.id == course_type_home_kinds.c.home_kind_id
        ),
    )
    return marked(lists, ("name", "id"))


def catalogue_choices(*, for_professionals: bool = False) -> CatalogueChoices:
    """Return the catalogue's filter choices in one query, whatever the number of runs.

    One UNION of the short lists (course types, municipalities with venues, county parts, kinds
    of home, and which kinds each type is aimed at): new filters add no statement. Without
    `for_professionals` (families, visitors) the types for professionals only are left out.
    Each process holds the choices it built until a list's table changes (`held_list`): at
    national size the 290 municipalities were read and built again on every view.
    """
    return held_list(
        ("catalogue choices", for_professionals), _choices_statement(for_professionals), _choices
    )


def _choices(rows: list[tuple[Any, ...]]) -> CatalogueChoices:
    found: dict[str, list[tuple[int, str]]] = {
        "type": [],
        "municipality": [],
        "part": [],
        "kind": [],
        "aim": [],
    }
    for list_name, ident, name in rows:
        found[list_name].append((ident, name))
    aimed_at: dict[int, list[str]] = {}
    for type_id, kind_name in found["aim"]:
        aimed_at.setdefault(type_id, []).append(kind_name)
    return CatalogueChoices(
        types=tuple(found["type"]),
        municipalities=tuple(found["municipality"]),
        county_parts=tuple(found["part"]),
        home_kinds=tuple(found["kind"]),
        aimed_at=MappingProxyType({type_id: tuple(names) for type_id, names in aimed_at.items()}),
    )


def load_public_run(run_id: int) -> CourseRun | None:
    """Return a run with what its public page shows, loaded in a fixed number of queries."""
    return db.session.scalar(
        select(CourseRun)
        .where(CourseRun.id == run_id)
        .options(
            joinedload(CourseRun.course_type).selectinload(CourseType.home_kinds),
            joinedload(CourseRun.venue),
            selectinload(CourseRun.leaders),
            selectinload(CourseRun.county_parts),
            selectinload(CourseRun.municipalities),
            selectinload(CourseRun.sessions).joinedload(CourseSession.venue),
            selectinload(CourseRun.sessions).selectinload(CourseSession.speakers),
        )
    )


@cache
def _run_page_statement() -> Select[CourseRun]:
    """The run for its page, by the bound `run_id`: built once, not on every request (building
    it with its loader options cost more Python than running it).

    The sessions are joined too: a run has a dozen at most, each with a speaker or two, so the
    run's columns repeat on a few rows, where loading the sessions by a statement of their own
    (selectinload) cost a round trip of about 0.2 ms on every view of the page."""
    return (
        select(CourseRun)
        .where(CourseRun.id == bindparam("run_id", type_=Integer))
        .options(
            joinedload(CourseRun.course_type),
            joinedload(CourseRun.venue),
            joinedload(CourseRun.sessions).options(
                joinedload(CourseSession.venue), joinedload(CourseSession.speakers)
            ),
        )
    )


def load_run_page(run_id: int) -> CourseRun | None:
    """Return a run for its public page: the run with its type and venue, and its sessions with
    their venues and speakers, in one statement. The page's names come from `run_page_names`."""
    return db.session.execute(_run_page_statement(), {"run_id": run_id}).unique().scalar_one_or_none()


@dataclass(frozen=True)
class RunPageNames:
    """The short lists of names a run's page shows."""

    leaders: list[str]  # by name
    county_parts: list[str]  # by name
    municipalities: list[str]  # by name
    home_kinds: list[str]  # the course type's, by name


@cache
def _run_page_names_statement() -> Select[str, str]:
    """The names of `run_page_names`, for the bound `run_id` and `type_id`: built once."""
    run_id = bindparam("run_id", type_=Integer)
    lists = union_all(
        select(_tag("leader").label("list"), User.full_name.label("name"))
        .join(run_leaders, run_leaders.c.user_id == User.id)
        .where(run_leaders.c.run_id == run_id),
        select(_tag("part"), CountyPart.name)
        .join(run_county_parts, run_county_parts.c.county_part_id == CountyPart.id)
        .where(run_county_parts.c.run_id == run_id),
        select(_tag("municipality"), Municipality.name)
        .join(run_municipalities, run_municipalities.c.municipality_id == Municipality.id)
        .where(run_municipalities.c.run_id == run_id),
        select(_tag("kind"), HomeKind.name)
        .join(course_type_home_kinds, course_type_home_kinds.c.home_kind_id == HomeKind.id)
        .where(course_type_home_kinds.c.course_type_id == bindparam("type_id", type_=Integer)),
    ).subquery()
    return select(lists.c.list, lists.c.name).order_by(lists.c.name)


def run_page_names(run: CourseRun) -> RunPageNames:
    """Return the names of the run's leaders, audience and the kinds of home its type is aimed
    at in one UNION, instead of a statement (and full rows: users with their roles) for each."""
    found: dict[str, list[str]] = {"leader": [], "part": [], "municipality": [], "kind": []}
    rows = db.session.execute(_run_page_names_statement(), {"run_id": run.id, "type_id": run.course_type_id})
    for list_name, name in rows:
        found[list_name].append(name)
    return RunPageNames(
        leaders=found["leader"],
        county_parts=found["part"],
        municipalities=found["municipality"],
        home_kinds=found["kind"],
    )


@dataclass(frozen=True)
class AdminRunRow:
    """One row of the staff's run list: only the columns it shows."""

    id: int
    title: str
    type_name: str
    starts_at: datetime | None
    status: RunStatus
    leaders: list[str]  # by name


@cache
def _admin_runs_statements(
    status: RunStatus | None, per_page: int
) -> tuple[Select[*tuple[Any, ...]], Select[int]]:
    """The page statement (its offset bound as `skip`) and the count of `admin_runs_page`, built
    once for each status filter and page size."""
    # The status, the page size and the offset are written into the SQL: bound, a LIMIT and an
    # OFFSET of unknown size made the plan kept for any values look costlier than planning each
    # request anew, which PostgreSQL then did (0.9 ms of 1.1 at national scale). Written, each
    # page's statement is planned once per connection.
    conditions = [] if status is None else [CourseRun.status == written(status, CourseRun.status.type)]
    # The count reads the runs' index alone (no join: every run has its type). Uncorrelated, it
    # is counted once for the statement, not per row. It stops `upto` runs in, COUNT_AHEAD past
    # the page's first (lib.pagination.count_limit), written in as the offset is: counted whole,
    # every run ever held was read on every visit (5,000 index entries at national scale, 0.49
    # of the statement's 0.55 ms, and more each year).
    upto = bindparam("upto", type_=Integer, literal_execute=True)
    within = select(CourseRun.id).where(*conditions).limit(upto).subquery("counted")
    total = select(func.count()).select_from(within).correlate(None).scalar_subquery()
    listed = (
        select(CourseRun.id, CourseRun.title, CourseType.name, CourseRun.starts_at, CourseRun.status, total)
        .join(CourseType, CourseType.id == CourseRun.course_type_id)
        .where(*conditions)
        .order_by(CourseRun.starts_at.desc().nulls_last(), CourseRun.id.desc())
        .limit(written(per_page, Integer()))
        .offset(bindparam("skip", type_=Integer, literal_execute=True))
    )
    return listed, select(func.count(CourseRun.id)).where(*conditions)


@cache
def _leaders_statement() -> Select[int, str]:
    """The leaders' names of the bound `run_ids`, by name: built once."""
    return (
        select(run_leaders.c.run_id, User.full_name)
        .join(User, User.id == run_leaders.c.user_id)
        .where(run_leaders.c.run_id.in_(bindparam("run_ids", expanding=True)))
        .order_by(User.full_name)
    )


def admin_runs_page(*, status: RunStatus | None, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return one page of every run for staff, newest first by start, as AdminRunRow.

    Two statements: the page's columns with the count of the runs beside them (counted up to
    COUNT_AHEAD past the page's first, as `paginate` counts), and the leaders' names of its runs.
    A page past the last, with no row to carry the count, counts on its own and shows the last
    page (two more).
    """
    listed, count = _admin_runs_statements(status, per_page)
    page = max(1, page)
    # A hand-typed page number too large for an OFFSET is past the last page anyway.
    rows = _admin_rows(listed, page, per_page) if page < _FAR_PAGE else []
    total_known = True
    if rows:
        counted, enough = rows[0][5], count_limit(page, per_page)
        if counted > enough:  # more runs than were counted: "Sida 1 av minst 51"
            counted, total_known = enough, False
    else:
        counted = db.session.execute(count).scalar_one()
        last = page_number(page, counted, per_page)
        if counted and last != page:
            rows = _admin_rows(listed, last, per_page)
        page = last
    leaders: dict[int, list[str]] = {}
    if rows:
        for run_id, name in db.session.execute(_leaders_statement(), {"run_ids": [row[0] for row in rows]}):
            leaders.setdefault(run_id, []).append(name)
    items = [
        AdminRunRow(
            id=run_id,
            title=title,
            type_name=type_name,
            starts_at=starts_at,
            status=run_status,
            leaders=leaders.get(run_id, []),
        )
        for run_id, title, type_name, starts_at, run_status, _total in rows
    ]
    return Page(items=items, page=page, per_page=per_page, total=counted, total_known=total_known)


def _admin_rows(listed: Select[*tuple[Any, ...]], page: int, per_page: int) -> list[Any]:
    """The rows of `page` of the run list, each with the runs counted up to COUNT_AHEAD past it."""
    values = {"skip": (page - 1) * per_page, "upto": count_limit(page, per_page) + 1}
    return list(db.session.execute(listed, values).all())


def leader_runs_page(user: User, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return one page of the runs `user` leads, upcoming first.

    The leader's runs are looked up by id (`among`): joined to them, the page's count hashed the
    leader's runs and read every run ever held to find them (nationally, for a leader of 59
    runs, 4,789 index entries; EXPLAIN ANALYZE 0.99 ms, by id 0.46 ms). By id it reads more
    pages (177 buffers against 65), one key lookup per run, but only the leader's own runs.
    """
    led = select(run_leaders.c.run_id).where(run_leaders.c.user_id == user.id)
    base = select(CourseRun).where(among(CourseRun.id, led), CourseRun.status != RunStatus.CANCELLED)
    return paginate(
        # Leaders too: the run links on the page check "leads this run" without a query each.
        base.options(
            joinedload(CourseRun.course_type), joinedload(CourseRun.venue), selectinload(CourseRun.leaders)
        ).order_by(CourseRun.starts_at.desc().nulls_last(), CourseRun.id),
        page,
        per_page,
    )


def next_sessions_for_leader(user: User, *, now: datetime, limit: int = 10) -> list[CourseSession]:
    """Return the leader's next scheduled sessions across their runs."""
    return list(
        db.session.scalars(
            select(CourseSession)
            .join(CourseRun, CourseRun.id == CourseSession.run_id)
            .join(run_leaders, run_leaders.c.run_id == CourseRun.id)
            .where(
                run_leaders.c.user_id == user.id,
                CourseRun.status.in_((RunStatus.PUBLISHED, RunStatus.DRAFT)),
                CourseSession.status == SessionStatus.SCHEDULED,
                CourseSession.ends_at > now,
            )
            .options(joinedload(CourseSession.run), joinedload(CourseSession.venue))
            .order_by(CourseSession.starts_at)
            .limit(limit)
        )
    )


def leader_candidates() -> list[User]:
    """Return active users who may lead a run (role leader, staff or admin)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.deactivated_at.is_(None),
                exists().where(UserRole.user_id == User.id, UserRole.role.in_(LEADER_ROLES)),
            )
            .order_by(User.full_name)
        )
    )


def swedish_holidays(days: Iterable[date]) -> dict[date, str]:
    """Return the Swedish public holidays among `days`, with their Swedish names."""
    days = set(days)
    if not days:
        return {}
    calendar = holidays.country_holidays("SE", years=sorted({d.year for d in days}), language="sv")
    return {d: calendar[d] for d in days if d in calendar}


def session_warnings(run: CourseRun) -> dict[int, list[str]]:
    """Return warnings (not errors) per session id: public holidays and leaders double-booked."""
    from flask_babel import gettext as _

    sessions = [s for s in run.sessions if s.status == SessionStatus.SCHEDULED and s.id]
    warnings: dict[int, list[str]] = {s.id: [] for s in sessions}
    if not sessions:
        return warnings
    local_days = {s.id: to_local(s.starts_at).date() for s in sessions}
    named = swedish_holidays(local_days.values())
    for session in sessions:
        if local_days[session.id] in named:
            warnings[session.id].append(
                _("Träffen ligger på en helgdag: %(name)s.", name=named[local_days[session.id]])
            )
    for session, leader, other in _overlaps(run, sessions):
        warnings[session.id].append(
            _(
                "%(name)s leder också %(title)s samtidigt (%(when)s).",
                name=leader.full_name,
                title=other.run.title,
                when=to_local(other.starts_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return warnings


# (a session of the run, one of its leaders, that leader's session in another run at the same time)
_Overlap = tuple[CourseSession, User, CourseSession]


def _overlaps(run: CourseRun, sessions: list[CourseSession]) -> list[_Overlap]:
    leader_ids = [leader.id for leader in run.leaders]
    if not leader_ids:
        return []
    rows = db.session.execute(
        select(CourseSession, run_leaders.c.user_id)
        .join(CourseRun, CourseRun.id == CourseSession.run_id)
        .join(run_leaders, run_leaders.c.run_id == CourseRun.id)
        .where(
            run_leaders.c.user_id.in_(leader_ids),
            CourseSession.run_id != run.id,
            CourseSession.status == SessionStatus.SCHEDULED,
            CourseRun.status.in_((RunStatus.DRAFT, RunStatus.PUBLISHED)),
            and_(
                CourseSession.starts_at < max(s.ends_at for s in sessions),
                CourseSession.ends_at > min(s.starts_at for s in sessions),
            ),
        )
        .options(joinedload(CourseSession.run))
    ).all()
    leaders = {leader.id: leader for leader in run.leaders}
    found: list[_Overlap] = []
    for session in sessions:
        for other, user_id in rows:
            if other.starts_at < session.ends_at and other.ends_at > session.starts_at:
                found.append((session, leaders[user_id], other))
    return found


def all_venues() -> list[Venue]:
    """Return every venue by name (a short list: the resource's own rooms)."""
    return list(
        db.session.scalars(select(Venue).options(joinedload(Venue.municipality)).order_by(Venue.name))
    )


def member_municipalities() -> list[Municipality]:
    """Return the member municipalities by name."""
    return list(
        db.session.scalars(
            select(Municipality).where(Municipality.is_member.is_(True)).order_by(Municipality.name)
        )
    )


def all_county_parts() -> list[CountyPart]:
    """Return every county part by name (a short list the resource's staff define)."""
    return list(db.session.scalars(select(CountyPart).order_by(CountyPart.name)))


def all_home_kinds() -> list[HomeKind]:
    """Return every kind of home by name."""
    return list(db.session.scalars(select(HomeKind).order_by(HomeKind.name)))


def all_municipalities() -> list[Municipality]:
    """Return every municipality by name."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def all_course_types() -> list[CourseType]:
    """Return every course type by name, with its themes."""
    return list(
        db.session.scalars(
            select(CourseType).options(selectinload(CourseType.themes)).order_by(CourseType.name)
        )
    )


def load_run_for_staff(run_id: int) -> CourseRun | None:
    """Return a run with its sessions, leaders and places loaded."""
    return db.session.scalar(
        select(CourseRun)
        .where(CourseRun.id == run_id)
        .options(
            joinedload(CourseRun.course_type).selectinload(CourseType.themes),
            joinedload(CourseRun.venue),
            selectinload(CourseRun.leaders),
            selectinload(CourseRun.municipalities),
            selectinload(CourseRun.county_parts),
            selectinload(CourseRun.sessions).joinedload(CourseSession.venue),
        )
    )


def runs_using_type(course_type_id: int) -> int:
    """Return how many runs were made from a course type."""
    return db.session.execute(
        select(func.count(CourseRun.id)).where(CourseRun.course_type_id == course_type_id)
    ).scalar_one()
