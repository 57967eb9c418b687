"""Count a series of time spans in one query: which span a stored moment falls in, as SQL.

The reports count per half-year or year over a whole series; an area's queries take the spans as
plain (start, end) pairs of UTC moments (start inclusive, end exclusive), so that no area below
the reports needs to know what a report period is, and group by `bucket_index` instead of asking
once per span.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

Bounds = Sequence[tuple[datetime, datetime]]


def bucket_index(column: Any, bounds: Bounds) -> sa.ColumnElement[Any]:
    """Return SQL giving the index in `bounds` of the span holding `column`, NULL outside them all."""
    if not bounds:
        return sa.null()
    return sa.case(
        *(((column >= start) & (column < end), index) for index, (start, end) in enumerate(bounds)),
        else_=sa.null(),
    )


def within(column: Any, bounds: Bounds) -> sa.ColumnElement[bool]:
    """Return SQL true when `column` lies between the first span's start and the last span's end.

    A range the database can use an index for, beside the CASE of `bucket_index`.
    """
    if not bounds:
        return sa.false()
    return (column >= min(start for start, _ in bounds)) & (column < max(end for _, end in bounds))
