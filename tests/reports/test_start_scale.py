"""Staff's start page with years of history: the sessions that ended without attendance are
looked for among the sessions of the runs now running, not among every session ever held (the
menu's count on every staff page, and the page's rows)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coursehub import clock
from coursehub.extensions import db
from tests.attendance.factories import AttendanceMarkFactory
from tests.factories import CourseRunFactory, CourseTypeFactory, EnrollmentFactory, UserFactory
from tests.support.history import add_finished_runs
from tests.support.sql import page_rows

PAGE = "/att-gora"
UPCOMING = 30  # published runs still to come, as a county's catalogue holds them
SMALL = ("seqscan", "bitmapscan")  # see rows_read


def _run_to_mark(course_type):
    """A running run with a family signed up, whose first meeting ended an hour ago, unmarked."""
    run = CourseRunFactory(course_type=course_type, sessions__start=clock.now() - timedelta(weeks=1, hours=1))
    EnrollmentFactory(run=run)
    return run


def _sessions_read(client) -> dict[str, int]:
    """The page's statements (their first 60 characters) -> the sessions each looks at."""
    return page_rows(client, PAGE, db.engine, db.session, table="course_sessions")


def test_the_unmarked_sessions_are_found_among_the_running_runs_whatever_the_history(
    client, login_as, db_engine_name
):
    if db_engine_name != "postgresql":
        pytest.skip("buffers read are PostgreSQL's to count (EXPLAIN ANALYZE, BUFFERS)")
    course_type = CourseTypeFactory(themes=3)
    running = _run_to_mark(course_type)
    for weeks in range(2, 2 + UPCOMING):
        CourseRunFactory(course_type=course_type, sessions__start=clock.now() + timedelta(weeks=weeks))
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)

    add_finished_runs(course_type.id, 0, 60)
    small = _sessions_read(client)
    add_finished_runs(course_type.id, 60, 440)
    big = _sessions_read(client)

    # 480 -> 4,000 sessions of earlier years, all ended and none of them to mark. Hashed whole
    # to find those of the one running run, each was read on every staff page (the county's
    # ten years: 4,051 sessions, 0.9 ms); found through the running runs, the same few are.
    # Rows, not buffers: the buffers followed what the tests before this one left in the index
    # (18 against 34 in one full run, 29 against 6 in another), the rows looked at do not.
    # Each statement's rows beside the sums: a failure says which statement's plan changed.
    assert sum(big.values()) <= sum(small.values()) * 1.2 + 10, (small, big)
    page = client.get(PAGE).get_data(as_text=True)
    assert running.title in page and running.sessions[0].title in page


def _running_runs_marked(course_type, count: int) -> None:
    """`count` running runs with a family signed up, whose three meetings have all ended and
    been marked."""
    for _ in range(count):
        run = CourseRunFactory(
            course_type=course_type, sessions__start=clock.now() - timedelta(weeks=3, hours=1)
        )
        enrollment = EnrollmentFactory(run=run)
        for session in run.sessions:
            for signed_up in enrollment.persons:
                AttendanceMarkFactory(session=session, user=signed_up.user)
    db.session.commit()


def test_the_unmarked_sessions_are_found_without_reading_the_marks_of_those_marked(
    client, login_as, db_engine_name
):
    if db_engine_name != "postgresql":
        pytest.skip("rows read are PostgreSQL's to count (EXPLAIN ANALYZE)")
    course_type = CourseTypeFactory(themes=3)
    waiting = _run_to_mark(course_type)
    login_as(client, UserFactory(staff=True))

    def rows_read() -> dict[str, int]:
        # The test database is too small to lead PostgreSQL where the bench's does: here it reads
        # a 1-page table whole, or a bitmap of the runs' whole index; on the national set it reads
        # ix_course_sessions_unmarked, as it does here without those two.
        return {
            table: sum(page_rows(client, PAGE, db.engine, db.session, table=table, without=SMALL).values())
            for table in ("course_sessions", "attendance_marks")
        }

    _running_runs_marked(course_type, 2)
    small = rows_read()
    _running_runs_marked(course_type, 18)
    big = rows_read()

    # 6 -> 60 ended meetings of running runs, all marked. Each was read and looked up among the
    # marks (national bench: 169 meetings, 629 buffers, 0.5 ms on every staff page); the index of
    # the unmarked meetings (ix_course_sessions_unmarked) holds none of them.
    assert big["attendance_marks"] == 0, big
    assert big["course_sessions"] <= small["course_sessions"] * 1.2 + 10, (small, big)
    page = client.get(PAGE).get_data(as_text=True)
    assert waiting.title in page and waiting.sessions[0].title in page
