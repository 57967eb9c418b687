"""Reads for enrollment pages, lists and exports; each runs a fixed number of queries."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal, overload

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    case,
    exists,
    func,
    inspect,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import (
    InstrumentedAttribute,
    aliased,
    contains_eager,
    joinedload,
    selectinload,
)
from sqlalchemy.orm.interfaces import LoaderOption

from coursehub.accounts.models import Household, Municipality, Role, User, UserRole
from coursehub.courses.ical import SessionFacts, contact_line
from coursehub.courses.models import (
    CourseRun,
    CourseSession,
    CourseTheme,
    RunStatus,
    SessionSpeaker,
    SessionStatus,
    Venue,
    venue_address,
)
from coursehub.enrollment.models import (
    ACTIVE,
    RUN_SCOPE,
    SEAT_HOLDING,
    CalendarFeed,
    CalendarSequence,
    Enrollment,
    EnrollmentPerson,
    EnrollmentStatus,
    ParticipantKind,
)
from coursehub.extensions import db
from coursehub.lib.pagination import FAR_PAGE, Page, page_number, paginate, paginate_counted
from coursehub.lib.sqlconst import written, written_all
from coursehub.lib.terms import Term
from coursehub.lib.user_facts import loaded_fact

PER_PAGE = 25


# -- who takes part: the one door for other areas (attendance) -----------------------------------


# signup_persons' statuses and scope written into the SQL (lib.sqlconst): bound, they were the
# parameters that made PostgreSQL plan the staff menu's count anew on every request. The active
# statuses are public for the areas above that name them in their own statements (reports).
ACTIVE_WRITTEN = written_all(ACTIVE, Enrollment.status.type)
_CONFIRMED_WRITTEN = written(EnrollmentStatus.CONFIRMED, Enrollment.status.type)
_RUN_SCOPE_WRITTEN = written(RUN_SCOPE, Enrollment.scope.type)


def _taking_part(active: bool) -> ColumnElement[bool]:
    return Enrollment.status.in_(ACTIVE_WRITTEN) if active else Enrollment.status == _CONFIRMED_WRITTEN


def signup_persons(*, active: bool = False) -> Subquery:
    """Return a subquery with one row per person of each confirmed sign-up, for joining against.

    Columns: `enrollment_id`, `user_id`, `household_id`, `run_id` (for a make-up, the run of its
    session), `whole_run` (True for a sign-up to the whole run, False for a make-up of one
    session) and `makeup_session_id` (None for a whole run). With `active`, sign-ups waiting for
    approval, on the waiting list or offered seats count too. A run without sessions still has
    its rows here (unlike session_participants).
    """
    return (
        select(
            Enrollment.id.label("enrollment_id"),
            EnrollmentPerson.user_id,
            Enrollment.household_id,
            Enrollment.run_id,
            (Enrollment.scope == _RUN_SCOPE_WRITTEN).label("whole_run"),
            Enrollment.makeup_session_id,
        )
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(_taking_part(active))
    ).subquery("signup_persons")


def takes_part_in(session_id: ColumnElement[int] | InstrumentedAttribute[int] | int) -> ColumnElement[bool]:
    """Whether a sign-up of the session's own run takes part in the session `session_id`.

    For queries that already have the run's sign-ups (`Enrollment.run_id` = the session's run) and
    want those that come to this session: a whole-run sign-up, or a make-up for this session.
    Narrower than joining `session_participants`, so an index on the run serves it.
    """
    return or_(Enrollment.scope == RUN_SCOPE, Enrollment.makeup_session_id == session_id)


def session_participants(*, active: bool = False) -> Subquery:
    """Return a subquery with one row per person and session they take part in, for joining against.

    Columns: `session_id`, `run_id` (the session's run), `user_id`, `household_id`, `enrollment_id`
    and `is_makeup` (the person comes to this one session as a make-up, from another run). A
    person of a whole-run sign-up takes part in every session of the run, cancelled ones included
    (filter on the session's status where it matters); one signed up both ways has two rows.
    Confirmed sign-ups only, unless `active` (see signup_persons).
    """
    return (
        select(
            CourseSession.id.label("session_id"),
            CourseSession.run_id,
            EnrollmentPerson.user_id,
            Enrollment.household_id,
            Enrollment.id.label("enrollment_id"),
            Enrollment.makeup_session_id.is_not(None).label("is_makeup"),
        )
        .join(
            Enrollment,
            or_(
                and_(Enrollment.scope == RUN_SCOPE, Enrollment.run_id == CourseSession.run_id),
                Enrollment.makeup_session_id == CourseSession.id,
            ),
        )
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(_taking_part(active))
    ).subquery("session_participants")


def _enrollment_options() -> tuple[LoaderOption, ...]:
    return (
        # The persons with their users in one statement; the users' roles only if asked for
        # (lists show names: no statement for roles nobody reads).
        selectinload(Enrollment.persons).joinedload(EnrollmentPerson.user).lazyload(User.role_rows),
        joinedload(Enrollment.household).joinedload(Household.municipality),
        joinedload(Enrollment.professional).joinedload(User.municipality),
        joinedload(Enrollment.makeup_session),
    )


# The column that says whose a sign-up is: a household's, or a professional's own.
Owner = Literal["household_id", "professional_id"]


@functools.cache
def _own_enrollments_statement(owner: Owner, with_sessions: bool, with_persons: bool) -> Select[Enrollment]:
    """The statement of `_own_enrollments` for the bound `owner_id` in the column `owner`
    ("household_id" or "professional_id"): built once for each shape, not on every request."""
    persons = (
        selectinload(Enrollment.persons)
        .joinedload(EnrollmentPerson.user)
        .load_only(User.full_name)
        .lazyload(User.role_rows),
    )
    run = contains_eager(Enrollment.run)
    if with_sessions:
        run = run.selectinload(CourseRun.sessions).joinedload(CourseSession.venue)
    return (
        select(Enrollment)
        .join(CourseRun, CourseRun.id == Enrollment.run_id)
        .where(getattr(Enrollment, owner) == bindparam("owner_id", type_=Integer))
        .order_by(
            case((Enrollment.status.in_(ACTIVE), 0), else_=1),
            CourseRun.starts_at.desc(),
            Enrollment.id.desc(),
        )
        .options(*(persons if with_persons else ()), joinedload(Enrollment.makeup_session), run)
    )


def _own_enrollments(
    owner: Owner,
    owner_id: int,
    page: int,
    per_page: int,
    *,
    with_sessions: bool = True,
    with_persons: bool = True,
) -> Page:
    """Return a page of the sign-ups whose `owner` column ("household_id" or "professional_id")
    is `owner_id`, active ones and newest runs first, runs loaded.

    For the pages of one household or one professional: every row has the same owner, so the
    household and the professional are not joined (a row that asks for them loads them once, from
    the identity map after the first). The run comes from the join that orders the rows; three
    tables in all (the run's venue is not joined: none of these pages shows it), so PostgreSQL
    plans the statement in well under a millisecond (nine before: planning took longer than
    running it). Without `with_sessions` the runs' sessions are not loaded, without
    `with_persons` the sign-ups' persons.
    """
    statement = _own_enrollments_statement(owner, with_sessions, with_persons)
    return paginate_counted(statement, page, per_page, params={"owner_id": owner_id})


def household_enrollments(household_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return a page of a household's sign-ups, newest runs first, runs and sessions loaded."""
    return _own_enrollments("household_id", household_id, page, per_page)


@dataclass(frozen=True)
class Progress:
    """How far a confirmed sign-up has come: meetings held of all, and the next one."""

    held: int
    total: int
    next_session: CourseSession | Meeting | None
    is_finished: bool


def progress_of(enrollment: Enrollment, now: datetime) -> Progress | None:
    """Return the progress of a confirmed sign-up from its loaded sessions (no query), else None."""
    if enrollment.status != EnrollmentStatus.CONFIRMED:
        return None
    if enrollment.makeup_session is not None:
        sessions = [enrollment.makeup_session]
    else:
        sessions = [s for s in enrollment.run.sessions if s.status == SessionStatus.SCHEDULED]
    return _progress(enrollment.run, sorted(sessions, key=lambda s: s.starts_at), now)


@dataclass(frozen=True)
class Place:
    """Where a meeting is held, as the place macro shows it."""

    name: str
    address: str


@dataclass(frozen=True)
class Meeting:
    """A scheduled session of a run as the family courses page shows it (not an ORM object)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    online_url: str | None
    venue: Place | None
    run: CourseRun


def family_courses(household_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return a page of a household's sign-ups, newest runs first, runs loaded but not their
    sessions nor the sign-ups' persons (family_progress and persons_names read what the page
    needs of them as plain rows)."""
    return _own_enrollments(
        "household_id", household_id, page, per_page, with_sessions=False, with_persons=False
    )


@functools.cache
def _persons_names_statement() -> Select[int, str]:
    """`persons_names`'s statement, built once (the ids are bound at execution)."""
    return (
        select(EnrollmentPerson.enrollment_id, User.full_name)
        .join(User, User.id == EnrollmentPerson.user_id)
        .where(EnrollmentPerson.enrollment_id.in_(bindparam("enrollment_ids", expanding=True)))
        .order_by(EnrollmentPerson.id)
    )


def persons_names(enrollment_ids: Iterable[int]) -> dict[int, list[str]]:
    """Return the names of each sign-up's persons, in the order of Enrollment.persons: one
    statement of plain names instead of loading the persons and their users as ORM objects."""
    names: dict[int, list[str]] = {enrollment_id: [] for enrollment_id in enrollment_ids}
    if names:
        rows = db.session.execute(_persons_names_statement(), {"enrollment_ids": list(names)})
        for enrollment_id, name in rows:
            names[enrollment_id].append(name)
    return names


def _meetings_select() -> Select[*tuple[Any, ...]]:
    """The scheduled sessions of the bound runs, with the columns the page shows of each and its
    venue: (key, title, starts_at, ends_at, online_url, venue_id, name, street, postcode, city,
    position), the key being the session's run and the position its id."""
    return (
        select(
            CourseSession.run_id.label("key"),
            CourseSession.title,
            CourseSession.starts_at,
            CourseSession.ends_at,
            CourseSession.online_url,
            CourseSession.venue_id,
            Venue.name,
            Venue.street,
            Venue.postcode,
            Venue.city,
            CourseSession.id.label("position"),
        )
        .outerjoin(Venue, Venue.id == CourseSession.venue_id)
        .where(
            CourseSession.run_id.in_(bindparam("run_ids", expanding=True)),
            CourseSession.status == SessionStatus.SCHEDULED,
        )
    )


@functools.cache
def _meetings_statement() -> Select[*tuple[Any, ...]]:
    """`family_progress`'s statement, built once (the runs are bound at execution)."""
    return _meetings_select().order_by(CourseSession.starts_at, CourseSession.id)


@functools.cache
def _family_rows_statement() -> Any:
    """`family_rows`' statement, built once: the runs' scheduled sessions as in
    `_meetings_statement`, then the bound sign-ups' persons' names (the key the sign-up, the name
    in the title's place), then the household's active adults with their calendar links (the key
    the adult, the name in the title's place, the feed's token in the online link's), the rest
    empty, each part in its order. The sessions come first in the union, so their columns' types
    (the moments in UTC) are the union's."""
    # persons_names' statement, its order given to the union's, padded to the sessions' columns.
    names = (
        _persons_names_statement()
        .order_by(None)
        .add_columns(*(null() for _ in range(8)), EnrollmentPerson.id, written(1, Integer))
    )
    adults = (
        select(User.id, User.full_name, null(), null(), CalendarFeed.token, *(null() for _ in range(5)))
        .add_columns(User.id, written(2, Integer))
        .outerjoin(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(User.household_id == bindparam("household_id"), User.deactivated_at.is_(None))
    )
    rows = union_all(
        _meetings_select().add_columns(written(0, Integer).label("part")),
        names,
        adults,
    ).subquery("family_rows")
    return select(rows).order_by(rows.c.part, rows.c.starts_at, rows.c.position)


def _meeting(row: Any, run: CourseRun) -> Meeting:
    """Return a row of `_meetings_statement` as the Meeting the page shows."""
    _run_id, title, starts_at, ends_at, online_url, venue_id, name, street, postcode, city = row[:10]
    place = Place(name, venue_address(street, postcode, city)) if venue_id is not None else None
    return Meeting(title, starts_at, ends_at, online_url, place, run)


def _counted_runs(enrollments: list[Enrollment]) -> list[int]:
    """The runs whose sessions a page of sign-ups counts: those of its confirmed sign-ups that are
    not make-ups (a make-up's progress is its loaded session, as in progress_of)."""
    return sorted(
        {e.run_id for e in enrollments if e.status == EnrollmentStatus.CONFIRMED and e.makeup_session is None}
    )


def _progress_from(
    enrollments: list[Enrollment], by_run: dict[int, list[Any]], now: datetime
) -> dict[int, Progress | None]:
    """progress_of for every sign-up, from its run's session rows in `by_run`."""
    progress: dict[int, Progress | None] = {}
    for e in enrollments:
        if e.status != EnrollmentStatus.CONFIRMED:
            progress[e.id] = None
        elif e.makeup_session is not None:
            progress[e.id] = progress_of(e, now)
        else:
            found = _progress(e.run, by_run[e.run_id], now)
            if found.next_session is not None:
                found = replace(found, next_session=_meeting(found.next_session, e.run))
            progress[e.id] = found
    return progress


def family_progress(enrollments: Iterable[Enrollment], now: datetime) -> dict[int, Progress | None]:
    """Return progress_of for every sign-up, from one statement of the runs' scheduled sessions.

    For a page of a professional's sign-ups (their runs' sessions need not be loaded); a family's
    page reads its persons' names in the same statement (`family_rows`).

    Only the columns the page shows are read, as plain rows instead of ORM objects with their
    venues (building those cost most of the family courses page's time); only each sign-up's next
    session becomes a Meeting, the one the page shows. A make-up sign-up's progress is its loaded
    make-up session, as in progress_of.
    """
    enrollments = list(enrollments)
    runs = _counted_runs(enrollments)
    by_run: dict[int, list[Any]] = {run_id: [] for run_id in runs}
    if runs:
        for row in db.session.execute(_meetings_statement(), {"run_ids": runs}):
            by_run[row[0]].append(row)
    return _progress_from(enrollments, by_run, now)


@dataclass(frozen=True)
class Adult:
    """An adult of a household, by name, with their calendar feed's token (None without one)."""

    id: int
    full_name: str
    feed_token: str | None

    @property
    def has_feed(self) -> bool:
        """Whether the adult has a calendar link."""
        return self.feed_token is not None


@dataclass(frozen=True)
class FamilyRows:
    """What a family's courses page shows beside its page of sign-ups."""

    progress: dict[int, Progress | None]  # family_progress
    names: dict[int, list[str]]  # persons_names
    adults: list[Adult]  # the household's active adults by id, each with their calendar link's token


def family_rows(household_id: int, enrollments: Iterable[Enrollment], now: datetime) -> FamilyRows:
    """Return, for a page of household `household_id`'s sign-ups, family_progress and
    persons_names, and the household's active adults (by id) with their calendar links: one
    statement, not three (two round trips and two statements' execution saved on the page
    families open most after their start page)."""
    enrollments = list(enrollments)
    runs = _counted_runs(enrollments)
    by_run: dict[int, list[Any]] = {run_id: [] for run_id in runs}
    names: dict[int, list[str]] = {e.id: [] for e in enrollments}
    adults: list[Adult] = []
    values = {"run_ids": runs, "enrollment_ids": list(names), "household_id": household_id}
    for row in db.session.execute(_family_rows_statement(), values):
        if row.part == 0:
            by_run[row[0]].append(row)
        elif row.part == 1:
            names[row[0]].append(row[1])
        else:
            adults.append(Adult(row[0], row[1], row.online_url))
    return FamilyRows(_progress_from(enrollments, by_run, now), names, adults)


def _progress(run: CourseRun, sessions: Sequence[Any], now: datetime) -> Progress:
    """The progress rule, from a run's scheduled sessions (or a make-up's one) in order of start.

    A session is anything with `starts_at` and `ends_at`: an ORM session, a Meeting, a row."""
    held = sum(1 for s in sessions if s.ends_at <= now)
    coming = [s for s in sessions if s.ends_at > now]  # in order of their start
    finished = run.status == RunStatus.COMPLETED or (bool(sessions) and not coming)
    return Progress(held, len(sessions), coming[0] if coming else None, finished)


def next_meeting(progress: Iterable[Progress | None]) -> CourseSession | Meeting | None:
    """Return the soonest next meeting among a household's sign-ups."""
    coming = [p.next_session for p in progress if p is not None and p.next_session is not None]
    return min(coming, key=lambda s: s.starts_at, default=None)


# The aliases of the participant lists, made once: aliased() builds a proxy of every column of the
# table, which cost more than the rest of building the statement (about 20 ms of a loaded
# machine's time per request for three aliases, 2 ms for the rest). An alias holds no state, so
# every statement can share it.
_PROFESSIONAL = aliased(User, name="professional")
_HOME = aliased(Municipality, name="home")
_PROFESSIONALS_HOME = aliased(Municipality, name="professionals_home")


@overload
def participants(run_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page: ...
@overload
def participants(run_id: int, *, page: None, per_page: int = PER_PAGE) -> list[Enrollment]: ...
def participants(run_id: int, *, page: int | None = 1, per_page: int = PER_PAGE) -> Page | list[Enrollment]:
    """Return the run's seat-holding sign-ups (a page, or all when page is None)."""
    # Families by their household's name, professionals by their own name, in one order.
    professional = _PROFESSIONAL
    stmt = (
        select(Enrollment)
        .outerjoin(Household, Household.id == Enrollment.household_id)
        .outerjoin(professional, professional.id == Enrollment.professional_id)
        .where(Enrollment.run_id == run_id, Enrollment.status.in_(SEAT_HOLDING))
        .order_by(func.coalesce(Household.name, professional.full_name), Enrollment.id)
        .options(*_enrollment_options())
    )
    if page is None:
        return list(db.session.scalars(stmt).unique())
    return paginate(stmt, page, per_page)


@dataclass(frozen=True)
class ParticipantRow:
    """One seat-holding sign-up as the participant list shows it (no ORM objects: a page of 25)."""

    id: int
    names: list[str]  # the persons, in the order they were added
    household_name: str | None  # None for a professional
    participant_kind: ParticipantKind
    municipality_name: str | None
    status: EnrollmentStatus
    waitlist_position: int | None
    offer_expires_at: datetime | None
    needs_approval: bool
    makeup_title: str | None
    needs_diet: str
    needs_accessibility: str
    needs_interpreter: str


@functools.cache
def _participants_statement() -> Select[*tuple[Any, ...]]:
    """The rows of `participant_page` for the bound `run_id`, ordered: built once."""
    professional, home, professionals_home = _PROFESSIONAL, _HOME, _PROFESSIONALS_HOME
    return (
        select(
            Enrollment.id,
            Household.name,
            Enrollment.participant_kind,
            # A sign-up has a household or a professional, never both (participant_shape).
            func.coalesce(home.name, professionals_home.name),
            Enrollment.status,
            Enrollment.waitlist_position,
            Enrollment.offer_expires_at,
            Enrollment.needs_approval,
            CourseSession.title,
            Enrollment.needs_diet,
            Enrollment.needs_accessibility,
            Enrollment.needs_interpreter,
        )
        .outerjoin(Household, Household.id == Enrollment.household_id)
        .outerjoin(home, home.id == Household.municipality_id)
        .outerjoin(professional, professional.id == Enrollment.professional_id)
        .outerjoin(professionals_home, professionals_home.id == professional.municipality_id)
        .outerjoin(CourseSession, CourseSession.id == Enrollment.makeup_session_id)
        .where(Enrollment.run_id == bindparam("run_id", type_=Integer), Enrollment.status.in_(SEAT_HOLDING))
        .order_by(func.coalesce(Household.name, professional.full_name), Enrollment.id)
    )


def participant_page(run_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return a page of the run's seat-holding sign-ups as ParticipantRow, in `participants` order.

    Two statements whatever the page holds: the rows with their total, the persons' names.
    """
    rows = paginate_counted(
        _participants_statement(), page, per_page, scalars=False, params={"run_id": run_id}
    )
    names = persons_names(row[0] for row in rows.items)
    rows.items = [ParticipantRow(row[0], names[row[0]], *row[1:]) for row in rows.items]
    return rows


@functools.cache
def _leads_statement() -> Select[bool]:
    """Whether the bound `user_id` leads the bound `run_id`: built once."""
    from coursehub.courses.models import run_leaders

    return select(
        exists().where(
            run_leaders.c.run_id == bindparam("run_id", type_=Integer),
            run_leaders.c.user_id == bindparam("user_id", type_=Integer),
        )
    )


# What the participant pages load with their run: its leaders (without their roles), so that a
# leader's right to the list (`leads_run`) is read from the run, not asked of its own. A constant
# of the module, as lib.work.load_or_404 keeps one statement per tuple of options.
RUN_WITH_LEADERS = (joinedload(CourseRun.leaders).lazyload(User.role_rows),)


def leads_run(run: CourseRun, user: User) -> bool:
    """Return True when `user` leads `run`: from the run's leaders when a page loaded them, else
    one EXISTS query (instead of loading every leader with their roles)."""
    if "leaders" not in inspect(run).unloaded:
        return run.is_led_by(user)
    return bool(db.session.scalar(_leads_statement(), {"run_id": run.id, "user_id": user.id}))


def waitlist(run_id: int) -> list[Enrollment]:
    """Return the run's waiting list in order (bounded: at most one row per household)."""
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.run_id == run_id, Enrollment.status == EnrollmentStatus.WAITLISTED)
            .order_by(Enrollment.waitlist_position, Enrollment.id)
            .options(*_enrollment_options())
        ).unique()
    )


def municipality_households(municipality_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return a page of a municipality's households with their adults."""
    stmt = (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .order_by(Household.is_confirmed, Household.name, Household.id)
        .options(selectinload(Household.adults))
    )
    return paginate(stmt, page, per_page)


def active_enrollment_of(household_id: int, run_id: int) -> Enrollment | None:
    """Return the household's active whole-run sign-up for the run, if any (one query)."""
    return db.session.scalar(
        select(Enrollment)
        .where(
            Enrollment.household_id == household_id,
            Enrollment.run_id == run_id,
            Enrollment.scope == RUN_SCOPE,
            Enrollment.status.in_(ACTIVE),
        )
        .limit(1)
    )


def _waiting_for(municipality_id: Any) -> ColumnElement[bool]:
    """Sign-ups of the municipality's households, or of its professionals, that wait for a decision.

    `municipality_id` may be a value, a bound parameter or the column `users.municipality_id` of
    a statement around it (`pending_approvals_fact`): the professionals are read through an alias,
    so that their `users` is never taken for that statement's.
    """
    professional = aliased(User, name="professionals")
    return and_(
        or_(
            Enrollment.household_id.in_(
                select(Household.id)
                .where(Household.municipality_id == municipality_id)
                .correlate_except(Household)
            ),
            Enrollment.professional_id.in_(
                select(professional.id)
                .where(professional.municipality_id == municipality_id)
                .correlate_except(professional)
            ),
        ),
        # Written as ix_enrollments_awaiting_approval's predicate says it, so that the plan of the
        # prepared statement (bound municipality) can read that index alone.
        Enrollment.needs_approval.is_(True),
        Enrollment.status.in_(ACTIVE_WRITTEN),
    )


@functools.cache
def _count_pending_statement() -> Select[int]:
    """The count of `count_pending_approvals` for the bound `municipality_id`: built once, since
    a municipal member's menu shows it on every page."""
    return select(func.count(Enrollment.id)).where(_waiting_for(bindparam("municipality_id", type_=Integer)))


def count_pending_approvals(municipality_id: int) -> int:
    """Return how many sign-ups of the municipality's households and professionals wait for a decision."""
    return db.session.scalar(_count_pending_statement(), {"municipality_id": municipality_id}) or 0


# The name of `pending_approvals_fact` among the facts loaded with the session's user.
PENDING_APPROVALS = "enrollment_pending_approvals"


def pending_approvals_fact() -> ColumnElement[int | None]:
    """`count_pending_approvals` for the user of the statement that selects it, when that user is
    a municipal worker bound to a municipality, else NULL (nothing is counted for anyone else).

    A municipal worker's menu shows the count on every page ("Godkännanden (3)"): selected with
    the session's user (lib.user_facts), it costs no statement of its own. The count is taken as
    the request begins; a page a request writes and then shows (not redirected) shows it from then.
    """
    is_municipal = exists().where(UserRole.user_id == User.id, UserRole.role == Role.MUNICIPAL)
    counted = (
        select(func.count(Enrollment.id))
        .where(_waiting_for(User.municipality_id))
        .correlate_except(Enrollment)
        .scalar_subquery()
    )
    return case((and_(User.municipality_id.is_not(None), is_municipal), counted), else_=null())


def menu_pending_count(user: Any) -> int:
    """Return the menu's count of sign-ups waiting for `user`'s decision (a municipal worker):
    the one loaded with the session's user, or counted now."""
    loaded = loaded_fact(user, PENDING_APPROVALS)
    return loaded if loaded is not None else count_pending_approvals(user.municipality_id)


def pending_approvals(municipality_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return a page of sign-ups of the municipality's households and professionals waiting for a decision."""
    stmt = (
        select(Enrollment)
        .where(_waiting_for(municipality_id))
        .order_by(Enrollment.created_at, Enrollment.id)
        .options(*_enrollment_options(), joinedload(Enrollment.run))
    )
    return paginate(stmt, page, per_page)


def open_runs_for(municipality: Municipality, now: datetime, *, limit: int = 100) -> list[CourseRun]:
    """Return runs that take sign-ups now and are open to families of `municipality`."""
    from coursehub.accounts.models import county_part_municipalities as in_part
    from coursehub.courses.models import FAMILY_AUDIENCES, CourseType, run_county_parts, run_municipalities

    listed = select(run_municipalities.c.run_id).where(
        run_municipalities.c.municipality_id == municipality.id
    )
    by_part = (
        select(run_county_parts.c.run_id)
        .join(in_part, in_part.c.county_part_id == run_county_parts.c.county_part_id)
        .where(in_part.c.municipality_id == municipality.id)
    )
    conditions = [CourseRun.id.in_(listed), CourseRun.id.in_(by_part)]
    if municipality.is_member:
        conditions.append(CourseRun.is_open_to_all.is_(True))
    audience = or_(*conditions)
    return list(
        db.session.scalars(
            select(CourseRun)
            .where(
                CourseRun.status == RunStatus.PUBLISHED,
                CourseRun.signup_opens_at <= now,
                CourseRun.signup_closes_at > now,
                or_(CourseRun.starts_at.is_(None), CourseRun.starts_at > now),
                audience,
                CourseRun.course_type_id.in_(
                    select(CourseType.id).where(CourseType.intended_for.in_(FAMILY_AUDIENCES))
                ),
            )
            .order_by(CourseRun.starts_at, CourseRun.id)
            .limit(limit)
        )
    )


@functools.cache
def _feed_user_statement() -> Select[int]:
    """The statement of `feed_user_id` for the bound `token`: built once."""
    return (
        select(User.id)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == bindparam("token", type_=String), User.deactivated_at.is_(None))
    )


def feed_user_id(token: str) -> int | None:
    """Return the id of the active user whose private feed address carries `token`."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(_feed_user_statement(), {"token": token})


def confirmed_sessions(user_id: int) -> list[SessionFacts]:
    """Return every scheduled session the user is confirmed for (whole runs and make-ups)."""
    return [session for session, _offset in feed_sessions(user_id)]


def feed_sessions(user_id: int) -> list[tuple[SessionFacts, int]]:
    """Return every scheduled session the user is confirmed for, each with the person's calendar
    SEQUENCE offset for its run (enrollment.sequences; 0 without a row), in order of start.

    Two statements: the sessions' columns with their run's, both places', the theme's and the
    offset joined, then the guests. A feed holds every session a person was ever confirmed for,
    so the rows become plain SessionFacts, not a session, a run, two venues and a theme object each.
    """
    sessions_stmt, guests_stmt = _feed_statements()
    rows = db.session.execute(sessions_stmt, {"feed_user_id": user_id}).all()
    guests = _feed_guests(guests_stmt, user_id) if rows else {}
    contacts: dict[int, str] = {}
    sessions = []
    for row in rows:
        values: tuple[Any, ...] = tuple(row)
        id_, run_id, run_title, title, starts_at, ends_at, venue_id, online_url = values[:8]
        # The session's own place when it has one, else the run's (as SessionFacts.of).
        if venue_id is not None or online_url:
            name, street, postcode, city = values[8:12]
        else:
            online_url, name, street, postcode, city = values[12:17]
        description, note, contact_name, contact_email, revision, offset = values[17:]
        if run_id not in contacts:
            contacts[run_id] = contact_line(contact_name, contact_email)
        facts = SessionFacts(
            id=id_,
            run_id=run_id,
            run_title=run_title,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            venue_name=name,
            venue_address=None if name is None else venue_address(street, postcode, city),
            online_url=online_url,
            theme_description=description or "",
            contents_note=note,
            guests_line=guests.get(id_, ""),
            contact=contacts[run_id],
            revision=revision,
            is_cancelled=False,  # only scheduled sessions
        )
        sessions.append((facts, offset))
    return sessions


@functools.cache
def _feed_statements() -> tuple[Select[*tuple[Any, ...]], Select[SessionSpeaker]]:
    """Return the feed's two statements, built once: the person is a bound parameter, feed_user_id.

    Building a select of two dozen columns, five joins and a subquery cost more calls than
    turning its rows into SessionFacts; the statements do not change from one feed to the next.
    """
    user_id = bindparam("feed_user_id", type_=Integer)
    mine = (
        select(Enrollment.run_id, Enrollment.makeup_session_id)
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(EnrollmentPerson.user_id == user_id, Enrollment.status == EnrollmentStatus.CONFIRMED)
    ).subquery()
    own, runs = _SESSION_VENUE, _RUN_VENUE
    sessions = (
        _feed_selection(
            select(
                CourseSession.id,
                CourseSession.run_id,
                CourseRun.title,
                CourseSession.title,
                CourseSession.starts_at,
                CourseSession.ends_at,
                CourseSession.venue_id,
                CourseSession.online_url,
                own.name,
                own.street,
                own.postcode,
                own.city,
                CourseRun.online_url,
                runs.name,
                runs.street,
                runs.postcode,
                runs.city,
                CourseTheme.description,
                CourseSession.contents_note,
                CourseRun.contact_name,
                CourseRun.contact_email,
                CourseSession.revision,
                func.coalesce(CalendarSequence.sequence_offset, 0),
            ),
            mine,
        )
        .outerjoin(own, own.id == CourseSession.venue_id)
        .outerjoin(runs, runs.id == CourseRun.venue_id)
        .outerjoin(CourseTheme, CourseTheme.id == CourseSession.theme_id)
        .outerjoin(
            CalendarSequence,
            and_(CalendarSequence.user_id == user_id, CalendarSequence.run_id == CourseSession.run_id),
        )
        .order_by(CourseSession.starts_at)
    )
    guests = (
        select(SessionSpeaker)
        .where(SessionSpeaker.session_id.in_(_feed_selection(select(CourseSession.id), mine)))
        .order_by(SessionSpeaker.session_id, SessionSpeaker.position)
    )
    return sessions, guests


# Made once, as the participant lists' aliases are: aliased() is costly to build.
_SESSION_VENUE = aliased(Venue, name="session_venue")
_RUN_VENUE = aliased(Venue, name="run_venue")


def _feed_selection(stmt: Select[*tuple[Any, ...]], mine: Subquery) -> Select[*tuple[Any, ...]]:
    """Return `stmt` (selecting from course_sessions) limited to the sessions of a feed."""
    return (
        stmt.join(mine, mine.c.run_id == CourseSession.run_id)
        .join(CourseRun, CourseRun.id == CourseSession.run_id)
        .where(
            CourseSession.status == SessionStatus.SCHEDULED,
            CourseRun.status != RunStatus.CANCELLED,
            or_(mine.c.makeup_session_id.is_(None), mine.c.makeup_session_id == CourseSession.id),
        )
    )


def _feed_guests(stmt: Select[SessionSpeaker], user_id: int) -> dict[int, str]:
    """Return the guests line of each feed session that has guests, in one statement.

    The sessions are chosen again by the feed's own filter rather than by a list of their ids: a
    statement of a hundred ids is parsed anew for every feed (psycopg caches only short statements),
    one of a fixed text is not.
    """
    speakers: dict[int, list[SessionSpeaker]] = {}
    for speaker in db.session.scalars(stmt, {"feed_user_id": user_id}):
        speakers.setdefault(speaker.session_id, []).append(speaker)
    # As CourseSession.guests_line joins them.
    return {id_: "; ".join(s.label for s in listed) for id_, listed in speakers.items()}


@dataclass(frozen=True)
class MunicipalityCount:
    """Participants of one municipality in one run."""

    run_id: int
    run_title: str
    starts_at: datetime | None
    municipality: str
    persons: int
    households: int


def _term_participants(term: Term) -> Select[*tuple[Any, ...]]:
    """Confirmed participants (persons, households) per run and municipality, runs starting in
    `term`; ordered as the page lists them."""
    return (
        select(
            CourseRun.id,
            CourseRun.title,
            CourseRun.starts_at,
            Municipality.name,
            func.count(EnrollmentPerson.id).label("persons"),
            func.count(func.distinct(Enrollment.household_id)).label("households"),
        )
        .join(Enrollment, Enrollment.run_id == CourseRun.id)
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .join(Household, Household.id == Enrollment.household_id)
        .join(Municipality, Municipality.id == Household.municipality_id)
        .where(
            Enrollment.status == EnrollmentStatus.CONFIRMED,
            CourseRun.starts_at >= term.starts_at,
            CourseRun.starts_at < term.ends_at,
            CourseRun.status != RunStatus.CANCELLED,
        )
        .group_by(CourseRun.id, CourseRun.title, CourseRun.starts_at, Municipality.name)
        .order_by(CourseRun.starts_at, CourseRun.id, Municipality.name)
    )


@dataclass(frozen=True)
class MunicipalityTotal:
    """One municipality's rows of a term summed over its runs (a household in two runs is counted
    in each, as the rows count it)."""

    municipality: str
    persons: int
    households: int


@dataclass(frozen=True)
class TermParticipation:
    """A page of a term's rows (MunicipalityCount) and the whole term's sums per municipality."""

    page: Page
    totals: list[MunicipalityTotal]  # by name


def term_participation(term: Term, *, page: int = 1, per_page: int = 50) -> TermParticipation:
    """Return one page of confirmed participants per run and municipality for runs starting in
    `term`, and the whole term's rows summed per municipality (for the county parts' sums).

    One statement: the term's rows are aggregated once (a materialised CTE) and read three ways,
    the page, the sums and the count; aggregated for the page and again for the sums, a national
    term cost twice its 60-90 ms. A page past the last shows the last (a second statement).
    """
    rows = _term_participants(term).order_by(None).cte("term_rows").prefix_with("MATERIALIZED")
    wanted = min(max(1, page), FAR_PAGE)
    listed = (
        select(literal("row").label("kind"), *rows.c)
        .order_by(rows.c.starts_at, rows.c.id, rows.c.name)
        .limit(per_page)
        .offset((wanted - 1) * per_page)
        .subquery()
    )
    three_ways = union_all(
        select(listed),
        select(
            literal("sum"),
            null(),
            null(),
            null(),
            rows.c.name,
            func.sum(rows.c.persons),
            func.sum(rows.c.households),
        ).group_by(rows.c.name),
        select(literal("count"), null(), null(), null(), null(), func.count(), null()).select_from(rows),
    )
    by = three_ways.selected_columns
    # The page's rows in its order, then the sums by name (a sum's run columns are NULL).
    found = db.session.execute(three_ways.order_by(by.kind, by.starts_at, by.id, by.name)).all()
    total = next(int(row[5]) for row in found if row[0] == "count")
    shown = page_number(wanted, total, per_page)
    if shown != wanted:
        return term_participation(term, page=shown, per_page=per_page)
    # PostgreSQL sums the counts as numeric: the figures are whole numbers.
    items = [
        MunicipalityCount(run, title, starts, municipality, int(persons), int(households))
        for part, run, title, starts, municipality, persons, households in found
        if part == "row"
    ]
    totals = [MunicipalityTotal(row[4], int(row[5]), int(row[6])) for row in found if row[0] == "sum"]
    return TermParticipation(Page(items=items, page=shown, per_page=per_page, total=total), totals)


@dataclass(frozen=True)
class PartSum:
    """The participants of one county part's municipalities in a term, summed over runs."""

    part: str
    persons: int
    households: int


def sums_per_part(totals: Iterable[MunicipalityTotal], parts_of: dict[str, list[str]]) -> list[PartSum]:
    """Sum the per-municipality totals per county part; a municipality in two parts counts in both.

    `parts_of` maps a municipality's name to the names of its parts (`accounts.county.part_membership`).
    """
    persons: dict[str, int] = {}
    households: dict[str, int] = {}
    for row in totals:
        for part in parts_of.get(row.municipality, ()):
            persons[part] = persons.get(part, 0) + row.persons
            households[part] = households.get(part, 0) + row.households
    return [PartSum(part, persons[part], households[part]) for part in sorted(persons)]


def audience_municipalities(run: CourseRun) -> list[Municipality]:
    """Return the municipalities whose families may sign up for `run`, by name."""
    from coursehub.accounts.models import county_part_municipalities as in_part
    from coursehub.courses.models import run_county_parts, run_municipalities

    listed = select(run_municipalities.c.municipality_id).where(run_municipalities.c.run_id == run.id)
    by_part = (
        select(in_part.c.municipality_id)
        .join(run_county_parts, run_county_parts.c.county_part_id == in_part.c.county_part_id)
        .where(run_county_parts.c.run_id == run.id)
    )
    condition: ColumnElement[bool] = or_(Municipality.id.in_(listed), Municipality.id.in_(by_part))
    if run.is_open_to_all:
        condition = or_(condition, Municipality.is_member.is_(True))
    return list(db.session.scalars(select(Municipality).where(condition).order_by(Municipality.name)))


def users_by_ids(ids: Iterable[int | str] | None) -> list[User]:
    """Return the users whose (posted) ids are given, by id; ids that are not numbers are skipped."""
    wanted = [int(i) for i in ids or () if str(i).isdigit()]
    if not wanted:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(User.id)))


@dataclass(frozen=True)
class BusyMunicipality:
    """A municipality with many registrations whose addresses nobody has confirmed."""

    name: str
    unconfirmed: int


def busy_unconfirmed_municipalities(*, now: datetime, more_than: int) -> list[BusyMunicipality]:
    """Return municipalities with more than `more_than` unconfirmed registrations in the last 24 h.

    An unconfirmed registration is a self-registered family's sign-up still waiting for an adult
    to accept the invitation (UNVERIFIED); many of them at once suggest a script. One query.
    """
    count = func.count(Enrollment.id)
    rows = db.session.execute(
        select(Municipality.name, count)
        .join(Household, Household.municipality_id == Municipality.id)
        .join(Enrollment, Enrollment.household_id == Household.id)
        .where(
            Enrollment.status == EnrollmentStatus.UNVERIFIED,
            Enrollment.created_at > now - timedelta(hours=24),
        )
        .group_by(Municipality.id, Municipality.name)
        .having(count > more_than)
        .order_by(count.desc(), Municipality.name)
    )
    return [BusyMunicipality(name, unconfirmed) for name, unconfirmed in rows]


# -- professionals ---------------------------------------------------------------------------


def professional_candidates(user: User, *, limit: int = 200) -> list[User]:
    """Return whom `user` may sign up for a course for professionals: themselves first, then (a
    municipal worker) the active municipal workers of their own municipality, by name."""
    from coursehub.accounts.models import Role, UserRole

    people = [user]
    if user.has_role(Role.MUNICIPAL) and user.municipality_id is not None:
        people.extend(
            db.session.scalars(
                select(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(
                    UserRole.role == Role.MUNICIPAL,
                    User.municipality_id == user.municipality_id,
                    User.deactivated_at.is_(None),
                    User.id != user.id,
                )
                .order_by(User.full_name, User.id)
                .limit(limit)
            )
        )
    return people


def active_user_by_email(email: str) -> User | None:
    """Return the active user with this (normalised) e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == email, User.deactivated_at.is_(None)))


def professional_enrollments(user_id: int, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return a page of a professional's own sign-ups, active ones and newest runs first, runs
    loaded but not their sessions nor the sign-ups' persons (family_progress reads the progress
    from plain rows; the page shows no names)."""
    return _own_enrollments(
        "professional_id", user_id, page, per_page, with_sessions=False, with_persons=False
    )


def active_professional_enrollment_of(user_id: int, run_id: int) -> Enrollment | None:
    """Return the professional's active whole-run sign-up for the run, if any (one query)."""
    return db.session.scalar(
        select(Enrollment)
        .where(
            Enrollment.professional_id == user_id,
            Enrollment.run_id == run_id,
            Enrollment.scope == RUN_SCOPE,
            Enrollment.status.in_(ACTIVE),
        )
        .limit(1)
    )
