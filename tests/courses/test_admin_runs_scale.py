"""The staff's run list with years of runs behind it: a page reads the same with ten times the
history (its count stops COUNT_AHEAD runs past the page, as lib.pagination's does)."""

from __future__ import annotations

from coursehub.extensions import db
from tests.factories import CourseTypeFactory, UserFactory
from tests.support.history import add_finished_runs
from tests.support.sql import page_rows

PAGE = "/admin/kurser"


def _runs_read(client) -> int:
    return sum(page_rows(client, PAGE, db.engine, db.session, table="course_runs").values())


def test_the_run_list_reads_the_same_with_ten_times_the_runs(client, login_as, postgres_only):
    course_type = CourseTypeFactory()
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)

    add_finished_runs(course_type.id, 0, 1_100, sessions=0)
    small = _runs_read(client)
    add_finished_runs(course_type.id, 1_100, 9_900, sessions=0)
    big = _runs_read(client)

    # 1,100 -> 11,000 runs. Counted whole, each was read from the index on every visit; counted
    # to the thousandth past the page's first, the page looks at as many with ten years as with
    # one. Rows, not buffers: after the progress page's scale test the count was an index-only
    # scan with one year (3 buffers) and a sequential scan with ten (18), 1,001 runs each time.
    assert big <= small * 1.2 + 10, (small, big)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Sida 1 av minst 51" in page
    assert "Tidigare omgång 10999" in page  # the newest run first
