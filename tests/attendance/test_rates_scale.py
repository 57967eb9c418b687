"""Attendance statistics with years of marks: a term's page reads that term's marks, not every
mark ever recorded (attendance.queries.reports)."""

from __future__ import annotations

from datetime import timedelta

from coursehub import clock
from coursehub.attendance.models import AttendanceStatus
from coursehub.extensions import db
from tests.attendance.conftest import enrol, family_member, started_run
from tests.attendance.factories import AttendanceMarkFactory
from tests.factories import CourseRunFactory, HouseholdFactory, UserFactory
from tests.support.history import add_marked_adults
from tests.support.sql import page_buffers

PAGES = [f"/admin/narvaro/statistik?per={per}" for per in ("run", "theme", "municipality")]


def _add_history(course_type, household_id: int, runs: int, first: int) -> None:
    """`runs` runs of earlier years, each with ten adults of one family marked at its meetings.

    Many runs with a few people each, as the years make them: with a few runs of thousands the
    planner rightly scans every mark, since a third of all sessions are then in the term.
    """
    for number in range(first, first + runs):
        old = CourseRunFactory(
            course_type=course_type, sessions__start=clock.now() - timedelta(days=3 * 365 + number)
        )
        add_marked_adults(old.sessions, [household_id] * 10, f"tidigare{number}")
    # Statistics for every table the pages join come from page_buffers' settle, not only the
    # marks': without them for the sessions the plan would be a matter of chance.
    db.session.commit()


def _marks_read(client) -> int:
    """The buffers of attendance marks the three groupings' pages read."""
    return sum(
        sum(page_buffers(client, path, db.engine, db.session, table="attendance_marks").values())
        for path in PAGES
    )


def test_a_terms_statistics_read_the_same_with_five_times_the_years_before(
    client, login_as, course_type, postgres_only
):
    run = started_run(course_type)
    person = family_member()
    enrol(run, person)
    AttendanceMarkFactory(session=run.sessions[0], user=person, status=AttendanceStatus.PRESENT)
    earlier = HouseholdFactory()
    _add_history(course_type, earlier.id, 40, 0)
    login_as(client, UserFactory(staff=True))
    small = _marks_read(client)
    _add_history(course_type, earlier.id, 160, 40)
    big = _marks_read(client)
    # This term's marks, found from the sessions' start index; counted over all of history the
    # three groupings read every mark (40 -> 200 earlier runs, 1,200 -> 6,000 marks).
    assert big <= small * 1.2 + 10, (small, big)

    page = client.get(PAGES[2]).get_data(as_text=True)
    assert person.household.municipality.name in page and earlier.municipality.name not in page
