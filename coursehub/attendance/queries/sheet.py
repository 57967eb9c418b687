"""The attendance sheet: who takes part in a session, their marks, notices and corrections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import Household, User
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
)
from coursehub.courses.models import CourseRun, CourseSession
from coursehub.enrollment import queries as enrollment_queries
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


@dataclass
class SheetRow:
    user: User
    is_makeup: bool
    mark: AttendanceMark | None = None
    notice: AbsenceNotice | None = None


@dataclass
class SheetHousehold:
    household: Household
    rows: list[SheetRow] = field(default_factory=list)


def attendance_sheet(session: CourseSession) -> list[SheetHousehold]:
    """Return the session's confirmed participants grouped by household, with marks and notices."""
    taking_part = enrollment_queries.session_participants()
    stmt = (
        select(User, Household, taking_part.c.is_makeup)
        .join(taking_part, taking_part.c.user_id == User.id)
        .join(Household, taking_part.c.household_id == Household.id)
        .where(taking_part.c.session_id == session.id)
        .order_by(Household.name, Household.id, User.full_name, User.id)
    )
    rows = db.session.execute(stmt).all()
    marks = {
        m.user_id: m
        for m in db.session.scalars(select(AttendanceMark).where(AttendanceMark.session_id == session.id))
    }
    notices = {
        n.user_id: n
        for n in db.session.scalars(select(AbsenceNotice).where(AbsenceNotice.session_id == session.id))
    }
    groups: dict[int, SheetHousehold] = {}
    seen: set[int] = set()
    for user, household, is_makeup in rows:
        if user.id in seen:  # signed up twice (run and make-up): one row is enough
            continue
        seen.add(user.id)
        group = groups.setdefault(household.id, SheetHousehold(household))
        group.rows.append(SheetRow(user, bool(is_makeup), marks.get(user.id), notices.get(user.id)))
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
    rows: list[tuple[User, Household, dict[int, AttendanceMark]]]
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
        .join(Household, signed_up.c.household_id == Household.id)
        .where(signed_up.c.run_id == run.id, signed_up.c.whole_run)
    )
    shown = paginate(base.order_by(Household.name, User.full_name, User.id), page, per_page, scalars=False)
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
