"""The staff's run list: one page of runs, their count (so far ahead) and their leaders in two
statements."""

from __future__ import annotations

from coursehub.courses import queries
from coursehub.courses.models import RunStatus
from coursehub.extensions import db
from coursehub.lib import pagination
from tests.factories import CourseRunFactory


def _runs(n: int, **kwargs) -> list:
    runs = [CourseRunFactory(**kwargs) for _ in range(n)]
    db.session.flush()
    return runs


def test_a_page_and_its_count_come_in_one_statement_and_the_leaders_in_another(db, count_queries):
    _runs(3)
    _runs(2, draft=True)
    with count_queries() as statements:
        page = queries.admin_runs_page(status=None, page=2, per_page=2)
    assert len(statements) == 2, statements
    assert (page.page, page.total, len(page.items), page.pages) == (2, 5, 2, 3)
    with count_queries() as statements:
        drafts = queries.admin_runs_page(status=RunStatus.DRAFT, page=1, per_page=2)
    assert len(statements) == 2, statements
    assert (drafts.total, {run.status for run in drafts.items}) == (2, {RunStatus.DRAFT})


def test_a_page_past_the_last_shows_the_last(db, count_queries):
    runs = _runs(3)
    last = queries.admin_runs_page(status=None, page=99, per_page=2)
    assert (last.page, last.total, len(last.items)) == (2, 3, 1)
    assert last.items == queries.admin_runs_page(status=None, page=2, per_page=2).items
    far = queries.admin_runs_page(status=None, page=10**30, per_page=2)
    assert (far.page, far.total, far.items) == (2, 3, last.items)
    assert {item.id for item in last.items} <= {run.id for run in runs}


def test_no_runs_is_one_empty_page(db):
    page = queries.admin_runs_page(status=RunStatus.CANCELLED, page=5)
    assert (page.page, page.total, page.items, page.pages) == (1, 0, [], 1)


def test_a_long_list_counts_its_runs_only_so_far_ahead(db, monkeypatch):
    # As lib.pagination's `paginate` counts: COUNT_AHEAD past the page's first run, no further.
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 3)
    _runs(7)
    first = queries.admin_runs_page(status=None, page=1, per_page=2)
    assert (len(first.items), first.total, first.total_known, first.pages) == (2, 3, False, 2)
    assert first.has_next
    third = queries.admin_runs_page(status=None, page=3, per_page=2)  # counts to the 7th and last
    assert (len(third.items), third.total, third.total_known, third.pages) == (2, 7, True, 4)
    listed = [
        item.id
        for number in (1, 2, 3, 4)
        for item in queries.admin_runs_page(status=None, page=number, per_page=2).items
    ]
    assert len(listed) == len(set(listed)) == 7
