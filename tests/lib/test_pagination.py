"""The one page object, `paginate` (a COUNT and a LIMIT/OFFSET query, the page clamped) and
`paginate_counted` (the rows and their total in one statement)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import Household, Municipality
from coursehub.lib.pagination import Page, page_number, paginate, paginate_counted
from tests.factories import HouseholdFactory, MunicipalityFactory


@pytest.mark.parametrize(
    ("asked", "total", "shown"),
    [
        (1, 0, 1),
        (0, 30, 1),
        (-5, 30, 1),
        (2, 30, 2),
        (3, 30, 3),
        (4, 30, 3),
        (10**20, 30, 3),
        (2, 20, 2),
        (3, 20, 2),
    ],
)
def test_the_page_number_stays_within_the_pages(asked, total, shown):
    assert page_number(asked, total, 10) == shown


def test_a_page_knows_its_neighbours():
    first, middle, last = (Page(items=[], page=n, per_page=10, total=25) for n in (1, 2, 3))
    assert first.pages == 3 and not first.has_prev and first.has_next and first.next_num == 2
    assert middle.has_prev and middle.has_next and middle.prev_num == 1
    assert last.has_prev and not last.has_next
    assert Page(items=[], page=1, per_page=10, total=0).pages == 1


def _names(municipality_id):
    return (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .order_by(Household.name)
        .options(selectinload(Household.adults))
    )


def test_paginate_reads_one_page_in_a_count_and_a_limited_query(db, count_queries):
    home = MunicipalityFactory()
    other = MunicipalityFactory()
    for n in range(7):
        HouseholdFactory(name=f"Familj {n:02d}", municipality=home)
    HouseholdFactory(name="Familj 00 annan", municipality=other)
    db.session.flush()
    db.session.expunge_all()

    with count_queries() as statements:
        page = paginate(_names(home.id), 2, 3)
    assert [h.name for h in page.items] == ["Familj 03", "Familj 04", "Familj 05"]
    assert (page.page, page.pages, page.total) == (2, 3, 7)
    selects = [s for s in statements if "households" in s]
    assert len(selects) == 2
    assert "count(*)" in selects[0].lower()
    assert "LIMIT" in selects[1] and "OFFSET" in selects[1]

    beyond = paginate(_names(home.id), 99, 3)
    assert (beyond.page, [h.name for h in beyond.items]) == (3, ["Familj 06"])
    empty = paginate(_names(home.id + other.id + 1000), 5, 3)
    assert (empty.page, empty.items, empty.total, empty.pages) == (1, [], 0, 1)


def test_paginate_can_return_rows_of_several_columns(db):
    municipality = MunicipalityFactory(name="Gnosjö")
    HouseholdFactory(name="Ek", municipality=municipality)
    db.session.flush()
    stmt = (
        select(Household.name, Municipality.name)
        .join(Municipality)
        .where(Municipality.id == municipality.id)
        .order_by(Household.name)
    )
    page = paginate(stmt, 1, 10, scalars=False)
    assert [tuple(row) for row in page.items] == [("Ek", "Gnosjö")]


def _seven_households():
    home = MunicipalityFactory()
    other = MunicipalityFactory()
    for n in range(7):
        HouseholdFactory(name=f"Familj {n:02d}", municipality=home)
    HouseholdFactory(name="Familj 00 annan", municipality=other)
    return home, other


def _household_names(municipality_id):
    return select(Household).where(Household.municipality_id == municipality_id).order_by(Household.name)


def test_paginate_counted_reads_a_middle_page_and_its_total_in_one_statement(db, count_queries):
    home, _ = _seven_households()
    db.session.flush()
    db.session.expunge_all()

    with count_queries() as statements:
        page = paginate_counted(_household_names(home.id), 2, 3)
    assert [h.name for h in page.items] == ["Familj 03", "Familj 04", "Familj 05"]
    assert (page.page, page.pages, page.total) == (2, 3, 7)
    assert (page.has_prev, page.has_next) == (True, True)
    selects = [s for s in statements if "households" in s]
    assert len(selects) == 1
    assert "count(*) over ()" in selects[0].lower()


def test_paginate_counted_reads_the_last_page_in_one_statement(db, count_queries):
    home, _ = _seven_households()
    db.session.flush()

    with count_queries() as statements:
        page = paginate_counted(_household_names(home.id), 3, 3)
    assert ([h.name for h in page.items], page.page, page.total) == (["Familj 06"], 3, 7)
    assert not page.has_next
    assert len([s for s in statements if "households" in s]) == 1


def test_paginate_counted_shows_the_last_page_for_a_page_past_it(db, count_queries):
    home, _ = _seven_households()
    db.session.flush()

    for asked in (4, 99, 10**20):
        page = paginate_counted(_household_names(home.id), asked, 3)
        assert ([h.name for h in page.items], page.page, page.total) == (["Familj 06"], 3, 7)
    # Past the last page no row carries the total: paginate's COUNT and its clamped page follow.
    with count_queries() as statements:
        paginate_counted(_household_names(home.id), 4, 3)
    assert len([s for s in statements if "households" in s]) == 3


def test_paginate_counted_gives_an_empty_first_page_for_no_rows(db, count_queries):
    home, other = _seven_households()
    db.session.flush()
    nowhere = home.id + other.id + 1000

    with count_queries() as statements:
        first = paginate_counted(_household_names(nowhere), 1, 3)
    assert (first.page, first.items, first.total, first.pages) == (1, [], 0, 1)
    assert len([s for s in statements if "households" in s]) == 1
    for asked in (0, 5):
        page = paginate_counted(_household_names(nowhere), asked, 3)
        assert (page.page, page.items, page.total, page.pages) == (1, [], 0, 1)


def test_paginate_counted_can_return_rows_of_several_columns(db):
    municipality = MunicipalityFactory(name="Gnosjö")
    HouseholdFactory(name="Ek", municipality=municipality)
    HouseholdFactory(name="Al", municipality=municipality)
    db.session.flush()
    stmt = (
        select(Household.name, Municipality.name)
        .join(Municipality)
        .where(Municipality.id == municipality.id)
        .order_by(Household.name)
    )
    page = paginate_counted(stmt, 1, 10, scalars=False)
    assert [tuple(row) for row in page.items] == [("Al", "Gnosjö"), ("Ek", "Gnosjö")]
    assert page.total == 2
    beyond = paginate_counted(stmt, 2, 1, scalars=False)
    assert ([tuple(row) for row in beyond.items], beyond.page) == ([("Ek", "Gnosjö")], 2)


def test_paginate_counts_no_further_than_count_ahead_past_the_page(db, count_queries, monkeypatch):
    monkeypatch.setattr("coursehub.lib.pagination.COUNT_AHEAD", 5)
    home = MunicipalityFactory()
    for n in range(20):
        HouseholdFactory(name=f"Familj {n:02d}", municipality=home)
    db.session.flush()

    with count_queries() as statements:
        first = paginate(_household_names(home.id), 1, 3)
    # Rows 1-6 counted: more than 5, so at least 2 pages, and a next one to go to.
    assert (first.total, first.total_known, first.pages, first.has_next) == (5, False, 2, True)
    assert [h.name for h in first.items] == ["Familj 00", "Familj 01", "Familj 02"]
    assert "LIMIT" in next(s for s in statements if "count(*)" in s.lower())

    further = paginate(_household_names(home.id), 4, 3)  # rows 10-12; counted up to row 15
    assert ([h.name for h in further.items], further.total, further.total_known) == (
        ["Familj 09", "Familj 10", "Familj 11"],
        14,
        False,
    )
    near_end = paginate(_household_names(home.id), 6, 3)  # the count reaches the end: all 20
    assert (near_end.total, near_end.total_known, near_end.pages, near_end.has_next) == (20, True, 7, True)
    assert paginate(_household_names(home.id), 10**20, 3).page == 7  # past the end: the last page


def test_a_page_of_a_list_counted_in_part_says_at_least(app):
    macro = app.jinja_env.get_template("macros/forms.html").module.pagination
    with app.test_request_context("/"):
        partly = str(
            macro(Page(items=[], page=3, per_page=25, total=1050, total_known=False), "courses.catalogue")
        )
        whole = str(macro(Page(items=[], page=3, per_page=25, total=1050), "courses.catalogue"))
    assert "Sida 3 av minst 43" in partly and "Nästa" in partly
    assert "Sida 3 av 42" in whole


def test_a_list_built_once_is_paged_by_the_same_statements_on_every_page(db, count_queries):
    """The paged forms of a list's statement are kept beside it (lib.pagination), so each page's
    bounds must come with each call: every page shows its own rows, read by the same SQL text."""
    home, _ = _seven_households()
    db.session.flush()
    listed = _household_names(home.id)

    seen = []
    for number in (1, 2, 3):
        with count_queries() as counted:
            page = paginate_counted(listed, number, 3)
        seen.append([h.name for h in page.items])
        with count_queries() as both:
            again = paginate(listed, number, 3)
        assert [h.name for h in again.items] == seen[-1]
        assert (again.total, page.total) == (7, 7)
        texts = [s for s in counted + both if "households" in s]
        if number == 1:
            first = texts
        assert texts == first  # one text per form: the bounds are parameters
    assert seen == [
        ["Familj 00", "Familj 01", "Familj 02"],
        ["Familj 03", "Familj 04", "Familj 05"],
        ["Familj 06"],
    ]
