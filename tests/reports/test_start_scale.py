"""Staff's start page with years of history: the sessions that ended without attendance are
looked for among the sessions of the runs now running, not among every session ever held (the
menu's count on every staff page, and the page's rows)."""

from __future__ import annotations

from datetime import timedelta

from coursehub import clock
from coursehub.extensions import db
from tests.attendance.factories import AttendanceMarkFactory
from tests.factories import CourseRunFactory, CourseTypeFactory, EnrollmentFactory, UserFactory
from tests.support.history import add_finished_runs
from tests.support.sql import page_rows

PAGE = "/att-gora"
UPCOMING = 30  # published runs still to come, as a county's catalogue holds them


def _run_to_mark(course_type):
    """A running run with a family signed up, whose first meeting ended an hour ago, unmarked."""
    run = CourseRunFactory(course_type=course_type, sessions__start=clock.now() - timedelta(weeks=1, hours=1))
    EnrollmentFactory(run=run)
    return run


def _sessions_read(client) -> dict[str, int]:
    """The page's statements (their first 60 characters) -> the sessions each looks at."""
    return page_rows(client, PAGE, db.engine, db.session, table="course_sessions")


def test_the_unmarked_sessions_are_found_among_the_running_runs_whatever_the_history(
    client, login_as, postgres_only
):
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
    client, login_as, postgres_only
):
    course_type = CourseTypeFactory(themes=3)
    waiting = _run_to_mark(course_type)
    login_as(client, UserFactory(staff=True))

    def marks_read() -> int:
        return sum(page_rows(client, PAGE, db.engine, db.session, table="attendance_marks").values())

    _running_runs_marked(course_type, 2)
    small = marks_read()
    _running_runs_marked(course_type, 18)
    big = marks_read()

    # 6 -> 60 ended meetings of running runs with families, all marked. Each was looked up among
    # the marks (national bench: 169 meetings, 629 buffers, 0.5 ms on every staff page; here 12
    # -> 120 marks looked at); the note on the session says it. Which sessions are read is the
    # planner's choice: the unmarked ones from ix_course_sessions_unmarked on the national set,
    # on this small database sometimes every session of the running runs through their run
    # index; either way those of the runs now running (the test above: never other years').
    assert small == big == 0, (small, big)
    page = client.get(PAGE).get_data(as_text=True)
    assert waiting.title in page and waiting.sessions[0].title in page
