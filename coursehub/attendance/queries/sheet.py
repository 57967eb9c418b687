"""The attendance sheet: who takes part in a session, their marks, notices and corrections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import Household, User
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceChange,
    AttendanceMark,
)
from coursehub.courses.models import CourseRun, CourseSession
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.extensions import db
from coursehub.lib.pagination import paginate


def _participant_filter(session_id: int, run_id: int):
    """Confirmed whole-run sign-ups of the session's run, and confirmed make-ups for the session."""
    return sa.and_(
        Enrollment.status == EnrollmentStatus.CONFIRMED,
        sa.or_(
            sa.and_(Enrollment.run_id == run_id, Enrollment.scope == "run"),
            Enrollment.makeup_session_id == session_id,
        ),
    )


def is_participant(session: CourseSession, user_id: int) -> bool:
    """Return True when `user_id` is a confirmed participant of `session`."""
    stmt = (
        select(EnrollmentPerson.id)
        .join(Enrollment, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(EnrollmentPerson.user_id == user_id, _participant_filter(session.id, session.run_id))
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
    stmt = (
        select(User, Household, Enrollment.makeup_session_id)
        .join(EnrollmentPerson, EnrollmentPerson.user_id == User.id)
        .join(Enrollment, EnrollmentPerson.enrollment_id == Enrollment.id)
        .join(Household, Enrollment.household_id == Household.id)
        .where(_participant_filter(session.id, session.run_id))
        .order_by(Household.name, Household.id, User.full_name, User.id)
    )
    rows = db.session.execute(stmt).all()
    marks = {
        m.user_id: m
        for m in db.session.scalars(
            select(AttendanceMark).where(AttendanceMark.session_id == session.id)
        )
    }
    notices = {
        n.user_id: n
        for n in db.session.scalars(
            select(AbsenceNotice).where(AbsenceNotice.session_id == session.id)
        )
    }
    groups: dict[int, SheetHousehold] = {}
    seen: set[int] = set()
    for user, household, makeup_id in rows:
        if user.id in seen:  # signed up twice (run and make-up): one row is enough
            continue
        seen.add(user.id)
        group = groups.setdefault(household.id, SheetHousehold(household))
        group.rows.append(SheetRow(user, makeup_id is not None, marks.get(user.id),
                                   notices.get(user.id)))
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
    sessions = list(db.session.scalars(
        select(CourseSession).where(CourseSession.run_id == run.id)
        .order_by(CourseSession.starts_at)
    ))
    base = (
        select(User, Household)
        .join(EnrollmentPerson, EnrollmentPerson.user_id == User.id)
        .join(Enrollment, EnrollmentPerson.enrollment_id == Enrollment.id)
        .join(Household, Enrollment.household_id == Household.id)
        .where(Enrollment.run_id == run.id, Enrollment.scope == "run",
               Enrollment.status == EnrollmentStatus.CONFIRMED)
    )
    shown = paginate(base.order_by(Household.name, User.full_name, User.id), page, per_page,
                     scalars=False)
    people = shown.items
    user_ids = [u.id for u, _h in people]
    marks: dict[int, dict[int, AttendanceMark]] = defaultdict(dict)
    if user_ids and sessions:
        for mark in db.session.scalars(select(AttendanceMark).where(
            AttendanceMark.user_id.in_(user_ids),
            AttendanceMark.session_id.in_([s.id for s in sessions]),
        )):
            marks[mark.user_id][mark.session_id] = mark
    return RunMatrix(sessions, [(u, h, marks[u.id]) for u, h in people], shown.total,
                     page=shown.page, pages=shown.pages)


def runs_for_attendance(user, *, is_staff: bool, page: int, per_page: int = 20):
    """Return a page of runs the user may take attendance for (all for staff), newest first."""
    stmt = select(CourseRun).options(selectinload(CourseRun.sessions))
    if not is_staff:
        from coursehub.courses.models import run_leaders

        stmt = stmt.join(run_leaders, run_leaders.c.run_id == CourseRun.id).where(
            run_leaders.c.user_id == user.id
        )
    stmt = stmt.order_by(CourseRun.starts_at.desc().nulls_last(), CourseRun.id.desc())
    return paginate(stmt, page, per_page)
