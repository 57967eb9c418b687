"""A course leader's pages with years of other leaders' runs behind them: the runs a leader leads
are found by an index on the leader (ix_run_leaders_user_id_run_id), not by reading every run's
leaders (the start page "Mina kurser" and the attendance list, on a phone at the door)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coursehub import clock
from coursehub.courses.models import run_leaders
from coursehub.extensions import db
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory
from tests.support.history import HISTORY_ID, add_finished_runs
from tests.support.sql import page_buffers, page_rows

PAGES = ("/kursledare", "/narvaro")


def _add_led_history(course_type_id: int, leader_id: int, first: int, runs: int) -> None:
    add_finished_runs(course_type_id, first, runs, sessions=0)
    db.session.execute(
        sa.insert(run_leaders),
        [{"run_id": HISTORY_ID + n, "user_id": leader_id} for n in range(first, first + runs)],
    )
    db.session.commit()


def _leaders_read(client) -> dict[str, int]:
    return {
        path: sum(page_buffers(client, path, db.engine, db.session, table="run_leaders").values())
        for path in PAGES
    }


def test_a_leaders_pages_read_their_own_runs_whatever_the_other_leaders_history(
    client, login_as, postgres_only
):
    course_type = CourseTypeFactory(themes=2)
    leader, other = UserFactory(leader=True), UserFactory(leader=True)
    own = CourseRunFactory(
        course_type=course_type, leaders=[leader], sessions__start=clock.now() + timedelta(days=3)
    )
    db.session.commit()
    login_as(client, leader)

    _add_led_history(course_type.id, other.id, 0, 1_000)
    small = _leaders_read(client)
    _add_led_history(course_type.id, other.id, 1_000, 9_000)
    big = _leaders_read(client)

    # 1,000 -> 10,000 runs led by someone else. Without an index on the leader, each of the
    # pages' statements read every run's leaders to find this leader's one run.
    for path in PAGES:
        assert big[path] <= small[path] * 1.2 + 10, (path, small, big)
    assert own.title in client.get(PAGES[0]).get_data(as_text=True)


def test_a_leaders_run_list_reads_their_own_runs_whatever_the_runs_of_others(client, login_as, postgres_only):
    # A leader of 60 runs over the years, beside 5,000 runs others led: the list and its count
    # look up the leader's runs by id. Joined to them, the count hashed the leader's runs and read
    # every run in the database to find them (4,789 index entries at national size, 0.9 ms).
    course_type = CourseTypeFactory(themes=2)
    leader, other = UserFactory(leader=True), UserFactory(leader=True)
    db.session.commit()
    login_as(client, leader)
    _add_led_history(course_type.id, leader.id, 0, 60)
    _add_led_history(course_type.id, other.id, 60, 5_000)

    read = page_rows(client, "/kursledare", db.engine, db.session, table="course_runs")
    assert read and max(read.values()) <= 2 * 60, read
    page = client.get("/kursledare").get_data(as_text=True)
    assert "Tidigare omgång 59" in page and "Tidigare omgång 60" not in page
