"""The attendance sheet: who takes part in a session, their marks, notices and corrections."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Select,
    Subquery,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased, joinedload, selectinload

from coursehub.accounts.models import Household, User
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
    AttendanceStatus,
)
from coursehub.courses.models import CourseRun, CourseSession, SessionStatus
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate
from coursehub.lib.sqlconst import written

# The sheet's session with what the permission check and the page read of it, in one statement:
# its run and the run's leaders (their roles only when asked), and the session's speakers.
SHEET_SESSION_OPTIONS = (
    joinedload(CourseSession.run).joinedload(CourseRun.leaders).lazyload(User.role_rows),
    joinedload(CourseSession.speakers),
)


def _signed_up_for() -> Subquery:
    """Return one row per person confirmed for the session of the bound `session_id` (of the run
    `run_id`): its run's whole-run sign-ups and the make-ups of this one session.

    A make-up sign-up belongs to the run of its session (enrollment.services.signup), so both are
    found through the run's sign-ups (`ix_enrollments_run_id`): the same rows as
    `enrollment_queries.session_participants()` for this session, without its `OR` across the
    session and sign-up tables that made PostgreSQL read every confirmed sign-up.
    Columns: `user_id`, `household_id`, `enrollment_id`, `is_makeup` and the household's needs.
    """
    return (
        select(
            EnrollmentPerson.user_id,
            Enrollment.household_id,
            Enrollment.id.label("enrollment_id"),
            Enrollment.makeup_session_id.is_not(None).label("is_makeup"),
            Enrollment.needs_diet,
            Enrollment.needs_accessibility,
            Enrollment.needs_interpreter,
        )
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(
            Enrollment.run_id == bindparam("run_id"),
            Enrollment.status == EnrollmentStatus.CONFIRMED,
            enrollment_queries.takes_part_in(bindparam("session_id")),
        )
    ).subquery("signed_up")


def _session_values(session: CourseSession) -> dict[str, int]:
    return {"run_id": session.run_id, "session_id": session.id}


@functools.cache
def _participant_statement() -> Select[Any]:
    """`is_participant`'s statement, built once (building it cost more than running it)."""
    signed_up = _signed_up_for()
    return select(signed_up.c.enrollment_id).where(signed_up.c.user_id == bindparam("user_id")).limit(1)


def is_participant(session: CourseSession, user_id: int) -> bool:
    """Return True when `user_id` is a confirmed participant of `session`."""
    values = _session_values(session) | {"user_id": user_id}
    return db.session.scalar(_participant_statement(), values) is not None


@dataclass(frozen=True)
class Needs:
    """What a household told at sign-up that the leader should know (empty strings when none)."""

    diet: str = ""
    accessibility: str = ""
    interpreter: str = ""

    def __bool__(self) -> bool:
        return bool(self.diet or self.accessibility or self.interpreter)


class SheetPerson(NamedTuple):
    """A participant as the sheet shows them."""

    id: int
    full_name: str


class SheetFamily(NamedTuple):
    """A household as the sheet shows it."""

    id: int
    name: str


class SheetMark(NamedTuple):
    """The mark a person has at the session."""

    status: AttendanceStatus
    remark: str


class SheetNotice(NamedTuple):
    """A person's advance notice of absence from the session."""

    reported_at: datetime
    reason: str


@dataclass
class SheetRow:
    user: SheetPerson
    is_makeup: bool
    mark: SheetMark | None = None
    notice: SheetNotice | None = None
    needs: Needs = field(default_factory=Needs)


@dataclass
class SheetHousehold:
    """One group on the sheet: a family's adults, or a professional alone (household None)."""

    household: SheetFamily | None
    rows: list[SheetRow] = field(default_factory=list)
    professional: SheetPerson | None = None

    @property
    def name(self) -> str:
        if self.household is not None:
            return self.household.name
        return self.professional.full_name if self.professional is not None else ""

    @property
    def anchor(self) -> str:
        """Return the group's id on the page (a family's keeps the form `household-<id>`)."""
        if self.household is not None:
            return f"household-{self.household.id}"
        return f"professional-{self.professional.id if self.professional is not None else 0}"

    @property
    def has_unmarked(self) -> bool:
        return any(row.mark is None for row in self.rows)


@functools.cache
def _sheet_statement(searching: bool) -> Select[Any]:
    """The sheet's statement (`searching`: with the bound name filter `pattern`), built once:
    building it cost more than running it, and an unchanged statement reuses its cache key."""
    signed_up = _signed_up_for()
    session_id: BindParameter[int] = bindparam("session_id")
    stmt = (
        select(
            User.id,
            User.full_name,
            Household.id,
            Household.name,
            signed_up.c.is_makeup,
            signed_up.c.needs_diet,
            signed_up.c.needs_accessibility,
            signed_up.c.needs_interpreter,
            AttendanceMark.status,
            AttendanceMark.remark,
            AbsenceNotice.reported_at,
            AbsenceNotice.reason,
        )
        .join(signed_up, signed_up.c.user_id == User.id)
        # A professional's sign-up has no household: the group is the person.
        .outerjoin(Household, signed_up.c.household_id == Household.id)
        .outerjoin(
            AttendanceMark,
            and_(AttendanceMark.session_id == session_id, AttendanceMark.user_id == User.id),
        )
        .outerjoin(
            AbsenceNotice,
            and_(AbsenceNotice.session_id == session_id, AbsenceNotice.user_id == User.id),
        )
        .order_by(
            func.coalesce(Household.name, User.full_name),
            Household.id,
            User.full_name,
            User.id,
            signed_up.c.is_makeup,
        )
    )
    if searching:
        stmt = stmt.where(User.full_name.ilike(bindparam("pattern"), escape="\\"))
    return stmt


def _name_pattern(search: str) -> str:
    """Return the LIKE pattern for names that contain `search` (wildcards taken literally)."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def attendance_sheet(session: CourseSession, *, search: str = "") -> list[SheetHousehold]:
    """Return the session's confirmed participants grouped by household, with marks and notices.

    With `search`, only the people whose name contains it. One statement whatever the size: the
    columns the sheet shows, the mark and the notice joined to each person.
    """
    search = " ".join(search.split())
    values: dict[str, Any] = _session_values(session)
    if search:
        values["pattern"] = _name_pattern(search)
    rows = db.session.execute(_sheet_statement(bool(search)), values)
    groups: dict[tuple[str, int], SheetHousehold] = {}
    seen: set[int] = set()
    for row in rows:
        (user_id, full_name, household_id, household_name, is_makeup, diet, accessibility, interpreter) = row[
            :8
        ]
        mark_status, mark_remark, reported_at, reason = row[8:]
        if user_id in seen:  # signed up twice (run and make-up): one row is enough
            continue
        seen.add(user_id)
        person = SheetPerson(user_id, full_name)
        if household_id is not None:
            group = groups.setdefault(
                ("household", household_id), SheetHousehold(SheetFamily(household_id, household_name))
            )
        else:
            group = groups.setdefault(("professional", user_id), SheetHousehold(None, professional=person))
        group.rows.append(
            SheetRow(
                person,
                bool(is_makeup),
                SheetMark(mark_status, mark_remark or "") if mark_status is not None else None,
                SheetNotice(reported_at, reason or "") if reported_at is not None else None,
                Needs(diet or "", accessibility or "", interpreter or ""),
            )
        )
    return list(groups.values())


class SheetChange(NamedTuple):
    """A correction of a mark as the sheet lists it."""

    changed_at: datetime
    person_name: str
    from_status: AttendanceStatus
    from_remark: str
    to_status: AttendanceStatus
    to_remark: str
    changed_by_name: str | None


@functools.cache
def _changes_statement() -> Executable:
    """`session_changes`' statement, built once: its two aliases of users cost more to build than
    the statement costs to run."""
    person = aliased(User)
    changer = aliased(User)
    return (
        select(
            AttendanceChange.changed_at,
            person.full_name,
            AttendanceChange.from_status,
            AttendanceChange.from_remark,
            AttendanceChange.to_status,
            AttendanceChange.to_remark,
            changer.full_name,
        )
        .join(AttendanceMark, AttendanceChange.mark_id == AttendanceMark.id)
        .join(person, person.id == AttendanceMark.user_id)
        .outerjoin(changer, changer.id == AttendanceChange.changed_by_id)
        .where(AttendanceMark.session_id == bindparam("session_id"))
        .order_by(AttendanceChange.id.desc())
        .limit(bindparam("limit"))
    )


def session_changes(session_id: int, *, limit: int = 30) -> list[SheetChange]:
    """Return the latest corrections of marks at a session, newest first (one statement)."""
    rows = db.session.execute(_changes_statement(), {"session_id": session_id, "limit": limit})
    return [SheetChange(*row) for row in rows]


# -- per run -----------------------------------------------------------------------------------


@dataclass
class RunMatrix:
    sessions: list[CourseSession]
    rows: list[tuple[User, Household | None, dict[int, AttendanceMark]]]
    total: int
    page: int = 1
    pages: int = 1


def run_matrix(run: CourseRun, *, page: int = 1, per_page: int = 50) -> RunMatrix:
    """Return the run's sessions and a page of its whole-run participants with their marks."""
    sessions = list(
        db.session.scalars(
            select(CourseSession).where(CourseSession.run_id == run.id).order_by(CourseSession.starts_at)
        )
    )
    signed_up = enrollment_queries.signup_persons()
    base = (
        select(User, Household)
        .join(signed_up, signed_up.c.user_id == User.id)
        .outerjoin(Household, signed_up.c.household_id == Household.id)
        .where(signed_up.c.run_id == run.id, signed_up.c.whole_run)
    )
    order = (func.coalesce(Household.name, User.full_name), User.full_name, User.id)
    shown = paginate(base.order_by(*order), page, per_page, scalars=False)
    people = shown.items
    user_ids = [u.id for u, _h in people]
    marks: dict[int, dict[int, AttendanceMark]] = defaultdict(dict)
    if user_ids and sessions:
        for mark in db.session.scalars(
            select(AttendanceMark).where(
                AttendanceMark.user_id.in_(user_ids),
                AttendanceMark.session_id.in_([s.id for s in sessions]),
            )
        ):
            marks[mark.user_id][mark.session_id] = mark
    return RunMatrix(
        sessions, [(u, h, marks[u.id]) for u, h in people], shown.total, page=shown.page, pages=shown.pages
    )


def runs_for_attendance(user: User, *, is_staff: bool, page: int, per_page: int = 20) -> Page:
    """Return a page of runs the user may take attendance for (all for staff), newest first."""
    stmt = select(CourseRun).options(selectinload(CourseRun.sessions))
    if not is_staff:
        from coursehub.courses.models import run_leaders

        stmt = stmt.join(run_leaders, run_leaders.c.run_id == CourseRun.id).where(
            run_leaders.c.user_id == user.id
        )
    stmt = stmt.order_by(CourseRun.starts_at.desc().nulls_last(), CourseRun.id.desc())
    return paginate(stmt, page, per_page)


# Written into the SQL, not bound: PostgreSQL's generic plan for a prepared statement then sees
# the condition of the partial index ix_course_sessions_unmarked (courses.models.UNMARKED).
_SCHEDULED = written(SessionStatus.SCHEDULED, CourseSession.status.type)


def waits_for_attendance(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """Whether a course session still waits for its attendance at `now`: it has been held
    (scheduled, and ended by `now`), someone confirmed comes to it, and not one mark has been
    recorded at it (`attendance_taken_at`, set by services.record_attendance).

    The one definition of an unmarked meeting: a leader's and staff's run lists and the door page
    (`sessions_without_attendance`) and the staff's start page and menu count (reports) read it.
    Someone comes to a session through a confirmed sign-up for its whole run or a make-up of this
    one session; both are sign-ups of the session's run, so the run's index finds them
    (`enrollment.queries.signup_persons`), with no `OR` across the session and sign-up tables.
    The sessions are read from ix_course_sessions_unmarked, whose condition is the first two terms.
    """
    persons = enrollment_queries.signup_persons()
    has_people = (
        select(persons.c.user_id)
        .where(
            persons.c.run_id == CourseSession.run_id,
            or_(persons.c.whole_run.is_(True), persons.c.makeup_session_id == CourseSession.id),
        )
        .exists()
    )
    return and_(
        CourseSession.status == _SCHEDULED,
        CourseSession.attendance_taken_at.is_(None),
        CourseSession.ends_at <= now,
        has_people,
    )


@functools.cache
def _without_attendance() -> Select[CourseSession]:
    # Built once (signup_persons costs more to build than the statement to run), run with the
    # runs and the moment bound.
    return (
        select(CourseSession)
        .where(
            CourseSession.run_id.in_(bindparam("run_ids", expanding=True)),
            waits_for_attendance(bindparam("now", type_=CourseSession.ends_at.type)),
        )
        .order_by(CourseSession.starts_at, CourseSession.id)
    )


def sessions_without_attendance(run_ids: list[int], now: datetime) -> dict[int, list[CourseSession]]:
    """Return, per run, its sessions that wait for their attendance at `now`
    (`waits_for_attendance`): held, with participants, and not one mark recorded.

    One statement whatever the number of runs; runs with nothing missing are left out.
    """
    if not run_ids:
        return {}
    rows = db.session.scalars(_without_attendance(), {"run_ids": run_ids, "now": now})
    missing: dict[int, list[CourseSession]] = defaultdict(list)
    for session in rows:
        missing[session.run_id].append(session)
    return dict(missing)
