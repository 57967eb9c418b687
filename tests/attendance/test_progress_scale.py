"""A municipality's progress page with years of history: it reads its own families' sessions and
runs, not every session ever held (attendance.queries.progress, lib.sqlfind.among)."""

from __future__ import annotations

import sqlalchemy as sa

from coursehub import clock
from coursehub.accounts.models import Household
from coursehub.extensions import db
from tests.attendance.conftest import started_run
from tests.factories import CourseTypeFactory, MunicipalityFactory, UserFactory
from tests.support.history import add_finished_runs, add_marked_adults
from tests.support.sql import page_buffers

FAMILIES = 10  # two adults each, on the page
PAGE = "/kommun/framsteg"


def _read_of(client, table: str) -> int:
    return sum(page_buffers(client, PAGE, db.engine, db.session, table=table).values())


def test_a_municipalitys_progress_reads_its_own_sessions_with_ten_times_the_history(
    client, login_as, postgres_only
):
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

    add_finished_runs(course_type.id, 0, 150, others)
    small = {table: _read_of(client, table) for table in ("course_sessions", "course_runs")}
    add_finished_runs(course_type.id, 150, 1350, others)
    big = {table: _read_of(client, table) for table in ("course_sessions", "course_runs")}

    # 1,200 -> 12,000 sessions (150 -> 1,500 runs) of other years. Hashed whole to place the
    # page's 480 marks, every one of them was read; found by their keys, the page's own 24
    # sessions and 3 runs are, as many with any history.
    for table in small:
        assert big[table] <= small[table] * 1.2 + 10, (table, small, big)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Familjen Hemma 00" in page and "Familjen Borta" not in page
