"""The attendance sheet: who takes part in a session, their marks, notices and corrections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import Household, User
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
)
from coursehub.courses.models import CourseRun, CourseSession, SessionStatus
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import Enrollment
from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate


def is_participant(session: CourseSession, user_id: int) -> bool:
    """Return True when `user_id` is a confirmed participant of `session`."""
    taking_part = enrollment_queries.session_participants()
    stmt = (
        select(taking_part.c.enrollment_id)
        .where(taking_part.c.session_id == session.id, taking_part.c.user_id == user_id)
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


@dataclass(frozen=True)
class Needs:
    """What a household told at sign-up that the leader should know (empty strings when none)."""

    diet: str = ""
    accessibility: str = ""
    interpreter: str = ""

    def __bool__(self) -> bool:
        return bool(self.diet or self.accessibility or self.interpreter)


@dataclass
class SheetRow:
    user: User
    is_makeup: bool
    mark: AttendanceMark | None = None
    notice: AbsenceNotice | None = None
    needs: Needs = field(default_factory=Needs)


@dataclass
class SheetHousehold:
    """One group on the sheet: a family's adults, or a professional alone (household None)."""

    household: Household | None
    rows: list[SheetRow] = field(default_factory=list)
    professional: User | None = None

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


def _name_filter(search: str) -> ColumnElement[bool]:
    """Return a condition matching people whose name contains `search` (wildcards taken literally)."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return User.full_name.ilike(f"%{escaped}%", escape="\\")


def attendance_sheet(session: CourseSession, *, search: str = "") -> list[SheetHousehold]:
    """Return the session's confirmed participants grouped by household, with marks and notices.

    With `search`, only the people whose name contains it. Three statements whatever the size.
    """
    taking_part = enrollment_queries.session_participants()
    stmt = (
        select(
            User,
            Household,
            taking_part.c.is_makeup,
            Enrollment.needs_diet,
            Enrollment.needs_accessibility,
            Enrollment.needs_interpreter,
        )
        .join(taking_part, taking_part.c.user_id == User.id)
        # A professional's sign-up has no household: the group is the person.
        .outerjoin(Household, taking_part.c.household_id == Household.id)
        .join(Enrollment, Enrollment.id == taking_part.c.enrollment_id)
        .where(taking_part.c.session_id == session.id)
        .order_by(
            func.coalesce(Household.name, User.full_name),
            Household.id,
            User.full_name,
            User.id,
            taking_part.c.is_makeup,
        )
    )
    search = " ".join(search.split())
    if search:
        stmt = stmt.where(_name_filter(search))
    rows = db.session.execute(stmt).all()
    marks = {
        m.user_id: m
        for m in db.session.scalars(select(AttendanceMark).where(AttendanceMark.session_id == session.id))
    }
    notices = {
        n.user_id: n
        for n in db.session.scalars(select(AbsenceNotice).where(AbsenceNotice.session_id == session.id))
    }
    groups: dict[tuple[str, int], SheetHousehold] = {}
    seen: set[int] = set()
    for user, household, is_makeup, diet, accessibility, interpreter in rows:
        if user.id in seen:  # signed up twice (run and make-up): one row is enough
            continue
        seen.add(user.id)
        if household is not None:
            group = groups.setdefault(("household", household.id), SheetHousehold(household))
        else:
            group = groups.setdefault(("professional", user.id), SheetHousehold(None, professional=user))
        needs = Needs(diet or "", accessibility or "", interpreter or "")
        group.rows.append(SheetRow(user, bool(is_makeup), marks.get(user.id), notices.get(user.id), needs))
    return list(groups.values())


def session_changes(session_id: int, *, limit: int = 30) -> list[AttendanceChange]:
    """Return the latest corrections of marks at a session, newest first."""
    stmt = (
        select(AttendanceChange)
        .join(AttendanceMark, AttendanceChange.mark_id == AttendanceMark.id)
        .where(AttendanceMark.session_id == session_id)
        .options(
            selectinload(AttendanceChange.changed_by),
            selectinload(AttendanceChange.mark).selectinload(AttendanceMark.user),
        )
        .order_by(AttendanceChange.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


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


def sessions_without_attendance(run_ids: list[int], now: datetime) -> dict[int, list[CourseSession]]:
    """Return, per run, its sessions that have ended with participants but not one mark.

    One statement whatever the number of runs; runs with nothing missing are left out.
    """
    if not run_ids:
        return {}
    taking_part = enrollment_queries.session_participants()
    has_mark = select(AttendanceMark.id).where(AttendanceMark.session_id == CourseSession.id).exists()
    has_people = select(taking_part.c.user_id).where(taking_part.c.session_id == CourseSession.id).exists()
    stmt = (
        select(CourseSession)
        .where(
            CourseSession.run_id.in_(run_ids),
            CourseSession.status == SessionStatus.SCHEDULED,
            CourseSession.ends_at <= now,
            ~has_mark,
            has_people,
        )
        .order_by(CourseSession.starts_at, CourseSession.id)
    )
    missing: dict[int, list[CourseSession]] = defaultdict(list)
    for session in db.session.scalars(stmt):
        missing[session.run_id].append(session)
    return dict(missing)
