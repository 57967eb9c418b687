"""The staff's run list with years of runs behind it: a page reads the same with ten times the
history (its count stops COUNT_AHEAD runs past the page, as lib.pagination's does)."""

from __future__ import annotations

import pytest

from coursehub.extensions import db
from tests.factories import CourseTypeFactory, UserFactory
from tests.support.history import add_finished_runs
from tests.support.sql import captured_statements, page_rows

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


@pytest.mark.sqlite_only(reason="SQLite's own plan for the run list's order")
@pytest.mark.parametrize("path", [PAGE, f"{PAGE}?status=published"])
def test_sqlite_lists_the_runs_in_their_order_from_an_index(client, login_as, path):
    """SQLite has no start-order index of its own (migration a5e5c0d2f101): it reads
    ix_course_runs_starts_at or ix_course_runs_status_starts_at backwards for `starts_at DESC
    NULLS LAST, id DESC`, and sorting every run for a page would be what grows with the years."""
    course_type = CourseTypeFactory()
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    add_finished_runs(course_type.id, 0, 30, sessions=0)

    def listing(statement: str) -> bool:
        return "FROM course_runs" in statement and "ORDER BY course_runs.starts_at DESC" in statement

    with captured_statements(db.engine, listing) as seen:
        assert client.get(path).status_code == 200
    assert len(seen) == 1
    statement, parameters = seen[0]
    with db.engine.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    assert not [step for step in plan if "TEMP B-TREE" in step], plan
    assert any(
        "ix_course_runs_starts_at" in step or "ix_course_runs_status_starts_at" in step for step in plan
    ), plan
