"""Years of people and marks written in bulk, for the tests that check a page reads the same
whatever the history beside it (the factories would take minutes for thousands of rows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa

from coursehub import clock
from coursehub.accounts.models import Role, User, UserRole
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.extensions import db

HISTORY_ID = 500_000  # the runs and sessions of other years: clear of any id the factories take


def add_marked_adults(sessions: Sequence, household_ids: Sequence[int], prefix: str) -> list[int]:
    """Insert one family adult for each of `household_ids` (`prefix` makes them unique), marked
    present at each of `sessions`; return their ids."""
    ids = db.session.scalars(
        sa.insert(User).returning(User.id),
        [
            {
                "email": f"{prefix}-{n}@exempel.test",
                "username": f"{prefix}.{n}",
                "full_name": f"{prefix.capitalize()} {n}",
                "session_token": f"{prefix}-{n}",
                "household_id": household_id,
            }
            for n, household_id in enumerate(household_ids)
        ],
    ).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": id_, "role": Role.FAMILY} for id_ in ids])
    db.session.execute(
        sa.insert(AttendanceMark),
        [
            {
                "session_id": session.id,
                "user_id": id_,
                "status": AttendanceStatus.PRESENT,
                "recorded_at": session.ends_at,
            }
            for session in sessions
            for id_ in ids
        ],
    )
    db.session.execute(  # as attendance.services.record_attendance notes a session's first mark
        sa.update(CourseSession)
        .where(CourseSession.id.in_([session.id for session in sessions]))
        .where(CourseSession.attendance_taken_at.is_(None))
        .values(attendance_taken_at=CourseSession.ends_at)
        .execution_options(synchronize_session="fetch")
    )
    return list(ids)


def add_finished_runs(
    course_type_id: int, first: int, runs: int, others: Sequence[int] = (), *, sessions: int = 8
) -> None:
    """Insert `runs` finished runs of earlier years (numbered from `first`, so that a second call
    adds more), `sessions` sessions each (at most 8), with two of `others` (if any) marked present
    at each session. A count that follows settles the statistics (tests/support/sql.settle)."""
    start = clock.now() - timedelta(days=4000)
    numbers = range(first, first + runs)
    db.session.execute(
        sa.insert(CourseRun),
        [
            {
                "id": HISTORY_ID + n,
                "course_type_id": course_type_id,
                "title": f"Tidigare omgång {n}",
                "status": RunStatus.COMPLETED,
                "capacity": 20,
                "seats_taken": 0,
                "signup_opens_at": start - timedelta(weeks=8),
                "signup_closes_at": start - timedelta(weeks=1),
                "is_open_to_all": True,
                "starts_at": start + timedelta(hours=n),
                "ends_at": start + timedelta(hours=n + 3, weeks=7),
                "created_at": start,
            }
            for n in numbers
        ],
    )
    if sessions:
        db.session.execute(
            sa.insert(CourseSession),
            [
                {
                    "id": HISTORY_ID + 8 * n + k,
                    "run_id": HISTORY_ID + n,
                    "title": f"Träff {k + 1}",
                    "status": SessionStatus.SCHEDULED,
                    "starts_at": start + timedelta(hours=n, weeks=k),
                    "ends_at": start + timedelta(hours=n + 3, weeks=k),
                    "revision": 0,
                    "attendance_taken_at": start if others else None,  # marked below
                }
                for n in numbers
                for k in range(sessions)
            ],
        )
    if others and sessions:
        db.session.execute(
            sa.insert(AttendanceMark),
            [
                {
                    "session_id": HISTORY_ID + 8 * n + k,
                    "user_id": others[(n + j) % len(others)],
                    "status": AttendanceStatus.PRESENT,
                    "recorded_at": start,
                }
                for n in numbers
                for k in range(sessions)
                for j in range(2)
            ],
        )
    db.session.commit()
