"""One page of a listing: the `Page` object every paged list returns, and `paginate` and
`paginate_counted` that fill it.

`paginate` counts at most COUNT_AHEAD rows past the first row of the page asked for: a list that
grows with the years (the audit log, users, sent mail) costs the same to page through with ten
years of history as with one. Beyond that the page says "Sida 3 av minst 43" and offers the next
page; going on moves the counted window along.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select

from coursehub.extensions import db

# How many rows past the page's first `paginate` counts: 40 pages of 25.
COUNT_AHEAD = 1000
# A page number beyond this is past the last page of any list here (and too big for an OFFSET).
FAR_PAGE = 10**6


@dataclass
class Page:
    """One page of a list, shaped for the `pagination` macro (templates/macros/forms.html)."""

    items: list
    page: int
    per_page: int
    total: int
    # False when the list holds more than `total` rows, which is then where the count stopped.
    total_known: bool = True

    @property
    def pages(self) -> int:
        """The number of pages; with `total_known` false, the least it can be."""
        counted = self.total if self.total_known else self.total + 1
        return max(1, math.ceil(counted / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_number(page: int, total: int, per_page: int) -> int:
    """Return `page` within 1..last page (a hand-typed page=0 or page=10**20 gets a real page)."""
    return min(max(1, page), max(1, math.ceil(total / per_page)))


def count_limit(page: int, per_page: int) -> int:
    """Return how many rows a count for `page` reads at most: COUNT_AHEAD past the page's first.
    A count that finds more than this stops there, and the total is not known."""
    return (min(max(1, page), FAR_PAGE) - 1) * per_page + COUNT_AHEAD


def shown_page(page: int, total: int, per_page: int, *, total_known: bool) -> int:
    """Return the page to show: within the pages when the total is known, else the page asked
    for (the counted rows reach past it)."""
    return page_number(page, total, per_page) if total_known else min(max(1, page), FAR_PAGE)


def paginate(
    stmt: Select[*tuple[Any, ...]],
    page: int,
    per_page: int,
    *,
    scalars: bool = True,
    params: Mapping[str, Any] | None = None,
) -> Page:
    """Return one page of `stmt`'s results in two queries: a COUNT, then LIMIT/OFFSET.

    The COUNT stops COUNT_AHEAD rows past the page's first row (`total_known` is false when there
    are more), so it reads no further into a long list than the next forty pages. A page beyond
    the last shows the last page. `stmt` must be ordered, so that pages do not overlap; with
    `scalars` (one entity per row) the items are the entities, otherwise the rows. `params` are
    the values of the statement's bound parameters.
    """
    enough = count_limit(page, per_page)
    count, rows = _paged(stmt)
    counted = db.session.scalar(count, {**(params or {}), _COUNT_LIMIT: enough + 1})
    total, total_known = (enough, False) if counted and counted > enough else (counted or 0, True)
    page = shown_page(page, total, per_page, total_known=total_known)
    result = db.session.execute(rows, _bounds(params, page, per_page))
    # unique(): a joined eager load of a collection repeats the parent row.
    items = list(result.unique().scalars()) if scalars else list(result.all())
    return Page(items=items, page=page, per_page=per_page, total=total, total_known=total_known)


def paginate_counted(
    stmt: Select[*tuple[Any, ...]],
    page: int,
    per_page: int,
    *,
    scalars: bool = True,
    params: Mapping[str, Any] | None = None,
) -> Page:
    """Return a page as `paginate` does, the total counted in the same statement as the rows.

    For lists bounded by their owner (a family's sign-ups, a run's participants): the total is
    every row's count, however many there are, so a list that grows with the years uses `paginate`.

    `COUNT(*) OVER ()` rides along with the page's rows, so one statement does what paginate's
    COUNT and LIMIT/OFFSET do in two (and the COUNT does not plan every join of the row query
    again). Only a page past the last has no rows to carry the total: then `paginate` clamps it to
    the last page. `stmt` must be ordered and must not eager-join a collection (the count would
    count the collection's rows, and a page would hold fewer parents than `per_page`). `params`
    are the values of its bound parameters (a statement built once, bound on each call).
    """
    page = max(1, page)
    if page < FAR_PAGE:  # a hand-typed page=10**20 goes straight to paginate's clamping
        rows = db.session.execute(_counted(stmt), _bounds(params, page, per_page)).all()
        if rows or page == 1:
            total = rows[0][-1] if rows else 0
            items = [row[0] if scalars else row[:-1] for row in rows]
            return Page(items=items, page=page, per_page=per_page, total=total)
    return paginate(stmt, page, per_page, scalars=scalars, params=params)


# The statements `paginate` and `paginate_counted` make of a list's statement, kept as long as that
# statement lives. Most lists' statements are built once per process, and making their paged forms
# again on every request (building them and their cache keys) cost each paged list some 0.1 ms.
# The page's bounds are parameters, so one paged form serves every page; the SQL is the same as
# with the numbers written in (SQLAlchemy sends a LIMIT as a parameter either way).
_LIMIT, _OFFSET, _COUNT_LIMIT = "coursehub_page_limit", "coursehub_page_offset", "coursehub_count_limit"
_PAGED: weakref.WeakKeyDictionary[Select[Any], tuple[Select[Any], Select[Any]]] = weakref.WeakKeyDictionary()
_COUNTED: weakref.WeakKeyDictionary[Select[Any], Select[Any]] = weakref.WeakKeyDictionary()


def _limited(stmt: Select[Any]) -> Select[Any]:
    return stmt.limit(bindparam(_LIMIT, type_=Integer)).offset(bindparam(_OFFSET, type_=Integer))


def _paged(stmt: Select[Any]) -> tuple[Select[Any], Select[Any]]:
    """`paginate`'s COUNT of `stmt` (at most the bound number of rows) and its page of rows."""
    found = _PAGED.get(stmt)
    if found is None:
        window = stmt.order_by(None).limit(bindparam(_COUNT_LIMIT, type_=Integer)).subquery()
        found = _PAGED[stmt] = (select(func.count()).select_from(window), _limited(stmt))
    return found


def _counted(stmt: Select[Any]) -> Select[Any]:
    """`paginate_counted`'s page of `stmt`, each row with the count of all."""
    found = _COUNTED.get(stmt)
    if found is None:
        found = _COUNTED[stmt] = _limited(stmt.add_columns(func.count().over()))
    return found


def _bounds(params: Mapping[str, Any] | None, page: int, per_page: int) -> dict[str, Any]:
    """`params` with the bounds of page `page`."""
    return {**(params or {}), _LIMIT: per_page, _OFFSET: (page - 1) * per_page}
