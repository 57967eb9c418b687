"""A municipality's progress page with years of history: it reads its own families' sessions and
runs, not every session ever held (attendance.queries.progress, lib.sqlfind.among)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coursehub import clock
from coursehub.accounts.models import Household
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.extensions import db
from tests.attendance.conftest import started_run
from tests.factories import CourseTypeFactory, MunicipalityFactory, UserFactory
from tests.support.history import add_marked_adults
from tests.support.sql import page_buffers

FAMILIES = 10  # two adults each, on the page
HISTORY_ID = 500_000  # the runs and sessions of other years: clear of any id the factories take
PAGE = "/kommun/framsteg"


def _add_history(course_type_id: int, first: int, runs: int, others: list[int]) -> None:
    """`runs` finished runs of earlier years, eight sessions each, with two of `others` (nobody
    on the page) marked at each session. Written in bulk: the factories would take minutes."""
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
            }
            for n in numbers
            for k in range(8)
        ],
    )
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
            for k in range(8)
            for j in range(2)
        ],
    )
    db.session.commit()
    # As autovacuum keeps a table that has grown: its statistics.
    db.session.execute(sa.text("ANALYZE course_sessions, course_runs, attendance_marks"))
    db.session.commit()


def _read_of(client, table: str) -> int:
    return sum(page_buffers(client, PAGE, db.engine, db.session, table=table).values())


def test_a_municipalitys_progress_reads_its_own_sessions_with_ten_times_the_history(
    client, login_as, db_engine_name
):
    if db_engine_name != "postgresql":
        pytest.skip("buffers read are PostgreSQL's to count (EXPLAIN ANALYZE, BUFFERS)")
    course_type = CourseTypeFactory(themes=8)
    home = MunicipalityFactory(name="Ödeshög")
    households = db.session.scalars(
        sa.insert(Household).returning(Household.id),
        [
            {"name": f"Familjen Hemma {n:02d}", "municipality_id": home.id, "created_at": clock.now()}
            for n in range(FAMILIES)
        ],
    ).all()
    # Three runs' worth of marks for each adult on the page: 20 adults, 480 marks.
    sessions = [
        session for weeks in (30, 20, 10) for session in started_run(course_type, weeks_ago=weeks).sessions
    ]
    add_marked_adults(sessions, [id_ for id_ in households for _ in range(2)], "hemma")
    elsewhere = db.session.scalars(
        sa.insert(Household).returning(Household.id),
        [
            {
                "name": f"Familjen Borta {n:02d}",
                "municipality_id": MunicipalityFactory().id,
                "created_at": clock.now(),
            }
            for n in range(20)
        ],
    ).all()
    others = add_marked_adults(sessions[:1], [id_ for id_ in elsewhere for _ in range(2)], "borta")
    login_as(client, UserFactory(municipal=True, municipality=home))

    _add_history(course_type.id, 0, 150, others)
    small = {table: _read_of(client, table) for table in ("course_sessions", "course_runs")}
    _add_history(course_type.id, 150, 1350, others)
    big = {table: _read_of(client, table) for table in ("course_sessions", "course_runs")}

    # 1,200 -> 12,000 sessions (150 -> 1,500 runs) of other years. Hashed whole to place the
    # page's 480 marks, every one of them was read; found by their keys, the page's own 24
    # sessions and 3 runs are, as many with any history.
    for table in small:
        assert big[table] <= small[table] * 1.2 + 10, (table, small, big)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Familjen Hemma 00" in page and "Familjen Borta" not in page
