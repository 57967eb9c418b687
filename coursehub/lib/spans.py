"""Stretches of time counted as one (half-years, years), and how SQL puts a stored moment in one.

Figures over a series of periods run one aggregate query per figure: the period of each row is
chosen in SQL by a CASE over the periods' bounds, the same on SQLite and PostgreSQL, and the rows
are grouped by it. Never one query per period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Integer, and_, any_, bindparam, case, literal
from sqlalchemy.dialects import postgresql

from coursehub.lib.database import is_postgres


@dataclass(frozen=True)
class Span:
    """A stretch of time: from `starts_at` (included) to `ends_at` (excluded), both aware UTC."""

    key: str
    starts_at: datetime
    ends_at: datetime


def bucket(moment: Any, spans: Sequence[Span]) -> ColumnElement[Any]:
    """The key of the span a stored moment falls in; NULL outside them all."""
    return case(
        *[(and_(moment >= span.starts_at, moment < span.ends_at), literal(span.key)) for span in spans],
        else_=sa.null(),
    )


def within(moment: Any, spans: Sequence[Span]) -> ColumnElement[bool]:
    """True for moments from the first span's start to the last one's end (spans in order)."""
    return and_(moment >= spans[0].starts_at, moment < spans[-1].ends_at)


def per_span(spans: Sequence[Span], rows: Any) -> list[int]:
    """Turn (span key, count) rows into one count per span, in the spans' order (0 for none)."""
    counted = {key: int(n) for key, n in rows}
    return [counted.get(span.key, 0) for span in spans]


def of_ids(column: Any, ids: Sequence[int] | None) -> ColumnElement[bool]:
    """True for rows whose `column` is one of `ids`; every row when `ids` is None.

    On PostgreSQL `= ANY(:ids)`, the ids bound as one array: an IN list binds each id on its own
    (290 municipalities at national size), so every run re-renders and re-parses a statement of
    that many parameters, and its text changes with their number. SQLite has no arrays: IN there.
    """
    if ids is None:
        return sa.true()
    if is_postgres():
        return column == any_(bindparam(None, [int(i) for i in ids], type_=postgresql.ARRAY(Integer)))
    return column.in_(list(ids) or [-1])
