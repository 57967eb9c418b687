"""Reference lists held by each process while the reference mark stays where it was.

The catalogue's filters (course types, the municipalities with venues, county parts, kinds of
home), the report's areas (the member municipalities and the county parts) and every
municipality by name (the case board's filter and the family's interest registration offer them)
were read on every view of those pages: at national size some 300-570 rows each time, built into
the same lists again. They change once in months. The database moves a mark whenever one of
their tables changes (`ReferenceMark`, coursehub.lib.change_marks); a list's statement returns
the mark and, only when the mark is not the one this process holds the list for, the list's rows
too. One statement either way, and a change made by any process or host is seen by the next
request everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from sqlalchemy import CompoundSelect, Integer, Select, bindparam, func, null, select, true, union_all

from coursehub.accounts.models import ReferenceMark
from coursehub.extensions import db
from coursehub.lib.fragments import Fragments, app_fragments
from coursehub.lib.sqlconst import written

T = TypeVar("T")

HELD_KEY = "coursehub_reference_lists"
# A few lists, each in a few forms (the catalogue's for families and for professionals, the
# report's areas in each language, every municipality by name).
HELD_LISTS = 16
NO_MARK = -1  # what a process that holds nothing asks with: the mark is never negative


def _held() -> Fragments[tuple[int, Any]]:
    found: Fragments[tuple[int, Any]] = app_fragments(HELD_KEY, HELD_LISTS)
    return found


def _mark() -> Any:
    """The newest mark, 0 before any reference list has changed."""
    return select(func.coalesce(func.max(ReferenceMark.id), written(0, Integer))).scalar_subquery()


def marked(
    lists: Select[Any] | CompoundSelect[Any],
    order_by: Sequence[str],
    *,
    beside: Select[Any] | CompoundSelect[Any] | None = None,
) -> Select[Any]:
    """The statement `held_list` runs: the mark, and `lists`' rows (ordered by the columns named
    in `order_by`) only when the mark is not the bound `held_mark`; otherwise one row of the
    mark and NULLs. The first column of `lists` must never be NULL.

    `beside` (in `lists`' columns) is what the page reads on every view along with the held
    list, in the same statement (`held_list_beside`): its rows come with a NULL mark, sorted
    among the others by the same columns.

    The condition on the mark does not depend on any row, so PostgreSQL checks it once before
    reading the lists (a one-time filter) and reads none of their rows when it fails.
    """
    rows = lists.subquery("listed")
    # Written into the text when run (a value of the database's, not typed by anyone): the text
    # changes only when the mark does, and PostgreSQL keeps one prepared plan until then.
    held = bindparam("held_mark", type_=Integer, literal_execute=True)
    # The mark is read twice (an index's last entry each time): a subquery cannot see the row of
    # another one in the same FROM without LATERAL, which SQLite lacks.
    wanted = select(*rows.c).where(_mark() != held).subquery("wanted")
    mark = select(_mark().label("mark")).subquery("mark")
    found = select(mark.c.mark, *wanted.c).select_from(mark.outerjoin(wanted, true()))
    if beside is None:
        return found.order_by(*(wanted.c[name] for name in order_by))
    every = union_all(found, select(null().label("mark"), *beside.subquery("beside").c)).subquery("every")
    return select(*every.c).order_by(*(every.c[name] for name in order_by))


def held_list(key: Hashable, statement: Select[Any], build: Callable[[list[tuple[Any, ...]]], T]) -> T:
    """Return `build(rows)` for the rows of `statement` (made by `marked`), built once per process
    for each mark: while the mark stays, the statement returns no rows and the list held is
    returned. `key` names the list and everything `build` depends on (its language, say). What is
    returned is shared by every request of the process: read it, never change it.
    """
    return held_list_beside(key, statement, build)[0]


def held_list_beside(
    key: Hashable, statement: Select[Any], build: Callable[[list[tuple[Any, ...]]], T]
) -> tuple[T, list[tuple[Any, ...]]]:
    """Return `held_list`'s list for a statement made by `marked` with `beside`, and the rows of
    `beside` (in their order, without the mark): a held list and what changes on every view of
    the page, in one statement."""
    store = _held()
    held = store.find(key)
    found = db.session.execute(statement, {"held_mark": NO_MARK if held is None else held[0]}).all()
    listed = [row for row in found if row[0] is not None]
    beside = [tuple(row)[1:] for row in found if row[0] is None]
    mark = listed[0][0]
    if held is not None and held[0] == mark:
        return held[1], beside
    built = build([tuple(row)[1:] for row in listed if row[1] is not None])
    store.put(key, (mark, built))
    return built, beside
