"""Attendance statistics with years of marks: a term's page reads that term's marks, not every
mark ever recorded (attendance.queries.reports)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coursehub import clock
from coursehub.accounts.models import Role, User, UserRole
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.extensions import db
from tests.attendance.conftest import enrol, family_member, started_run
from tests.attendance.factories import AttendanceMarkFactory
from tests.factories import CourseRunFactory, HouseholdFactory, UserFactory
from tests.support.sql import page_buffers

PAGES = [f"/admin/narvaro/statistik?per={per}" for per in ("run", "theme", "municipality")]


def _add_history(course_type, household_id: int, people: int, first: int) -> None:
    """`people` adults of one family marked at the three meetings of a run three years back."""
    old = CourseRunFactory(
        course_type=course_type, sessions__start=clock.now() - timedelta(days=3 * 365 + first)
    )
    ids = db.session.scalars(
        sa.insert(User).returning(User.id),
        [
            {
                "email": f"tidigare{n}@exempel.test",
                "username": f"tidigare.{n}",
                "full_name": f"Tidigare {n}",
                "session_token": f"tidigare-{n}",
                "household_id": household_id,
            }
            for n in range(first, first + people)
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
            for session in old.sessions
            for id_ in ids
        ],
    )
    db.session.execute(sa.text("ANALYZE attendance_marks"))
    db.session.execute(sa.text("ANALYZE users"))
    db.session.commit()


def _marks_read(client) -> int:
    """The buffers of attendance marks the three groupings' pages read."""
    return sum(
        sum(page_buffers(client, path, db.engine, db.session, table="attendance_marks").values())
        for path in PAGES
    )


def test_a_terms_statistics_read_the_same_with_five_times_the_years_before(
    client, login_as, course_type, db_engine_name
):
    if db_engine_name != "postgresql":
        pytest.skip("buffers read are PostgreSQL's to count (EXPLAIN ANALYZE, BUFFERS)")
    run = started_run(course_type)
    person = family_member()
    enrol(run, person)
    AttendanceMarkFactory(session=run.sessions[0], user=person, status=AttendanceStatus.PRESENT)
    earlier = HouseholdFactory()
    _add_history(course_type, earlier.id, 1_000, 0)
    login_as(client, UserFactory(staff=True))
    small = _marks_read(client)
    _add_history(course_type, earlier.id, 4_000, 1_000)
    big = _marks_read(client)
    # This term's marks, found from the sessions' start index; counted over all of history the
    # three groupings read every mark (3,000 -> 15,000 marks: some 130 buffers more).
    assert big <= small * 1.2 + 10, (small, big)

    page = client.get(PAGES[2]).get_data(as_text=True)
    assert person.household.municipality.name in page and earlier.municipality.name not in page
