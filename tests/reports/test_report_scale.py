"""A municipality's report with the country's marks beside it: the figures of one municipality
read that municipality's people, not every mark of the periods (attendance.queries.figures)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coursehub import clock
from coursehub.accounts.models import Household
from coursehub.attendance.models import AttendanceStatus
from coursehub.extensions import db
from tests.attendance.conftest import enrol, family_member, started_run
from tests.attendance.factories import AttendanceMarkFactory
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.support.history import add_marked_adults
from tests.support.sql import page_buffers

PEOPLE = 40


def _add_elsewhere(course_type, municipality_id: int, runs: int, first: int) -> None:
    """`runs` runs of the last weeks, each with PEOPLE adults of another municipality marked, two
    to a household."""
    for number in range(first, first + runs):
        run = CourseRunFactory(
            course_type=course_type, sessions__start=clock.now() - timedelta(days=60, hours=number)
        )
        households = db.session.scalars(
            sa.insert(Household).returning(Household.id),
            [
                {
                    "name": f"Familjen Annan {number}-{n}",
                    "municipality_id": municipality_id,
                    "created_at": clock.now(),
                }
                for n in range(PEOPLE // 2)
            ],
        ).all()
        add_marked_adults(run.sessions, [id_ for id_ in households for _ in range(2)], f"annan{number}")
    db.session.commit()


def _period_key(moment) -> str:
    return f"{moment.year}h{1 if moment.month <= 6 else 2}"


def test_a_municipalitys_report_reads_its_own_peoples_marks(app, client, login_as, postgres_only):
    # What is measured is counting the figures: none are kept between the two reads.
    app.config["COURSEHUB_REPORT_FRESH_MINUTES"] = 0
    course_type = CourseTypeFactory(themes=3)
    home = MunicipalityFactory(name="Ödeshög")
    run = started_run(course_type, weeks_ago=8)
    person = family_member(household=HouseholdFactory(municipality=home))
    enrol(run, person)
    AttendanceMarkFactory(session=run.sessions[0], user=person, status=AttendanceStatus.PRESENT)
    elsewhere = MunicipalityFactory(name="Annanstans")
    _add_elsewhere(course_type, elsewhere.id, 20, 0)
    login_as(client, UserFactory(staff=True))
    url = f"/rapport?period={_period_key(run.sessions[0].starts_at)}&omrade=kommun-{home.id}"
    small = sum(page_buffers(client, url, db.engine, db.session, table="attendance_marks").values())
    _add_elsewhere(course_type, elsewhere.id, 80, 20)
    big = sum(page_buffers(client, url, db.engine, db.session, table="attendance_marks").values())
    # Ödeshög's one mark, found from its people; summed over every person of the periods and
    # only then joined to their municipality, every mark of the country was read (20 -> 100 runs
    # of forty people elsewhere: 2,400 -> 12,000 marks).
    assert small > 0 and big > 0, "the report did not count (it read kept figures)"
    assert big <= small * 1.2 + 10, (small, big)
    page = client.get(url).get_data(as_text=True)
    assert "Ödeshög" in page
