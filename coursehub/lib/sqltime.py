"""Time arithmetic on datetime columns in SQL, written for each database.

PostgreSQL subtracts an interval from a timestamp; SQLite keeps UTC datetimes as text
("YYYY-MM-DD HH:MM:SS.ffffff", coursehub.db.UTCDateTime) and shifts them with strftime, whose
text in the same shape compares correctly with the stored values.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from coursehub.db import UTCDateTime


class seconds_before(FunctionElement[Any]):  # noqa: N801 - used like a SQL function
    """`seconds_before(column, n)`: the moment `n` whole seconds before the datetime `column`."""

    type = UTCDateTime()
    inherit_cache = True
    name = "seconds_before"

    def __init__(self, moment: ColumnElement[Any], seconds: int) -> None:
        super().__init__(moment, sa.literal(int(seconds), sa.Integer))


@compiles(seconds_before, "postgresql")
def _postgresql(element: seconds_before, compiler: Any, **kw: Any) -> str:
    moment, seconds = list(element.clauses)
    return f"({compiler.process(moment, **kw)} - make_interval(secs => {compiler.process(seconds, **kw)}))"


@compiles(seconds_before, "sqlite")
def _sqlite(element: seconds_before, compiler: Any, **kw: Any) -> str:
    moment, seconds = list(element.clauses)
    # strftime's %f is seconds with three decimals; the stored text has six, and compares as later
    # than the shifted value on the same millisecond: "within n seconds" includes its edge.
    return (
        f"strftime('%Y-%m-%d %H:%M:%f', {compiler.process(moment, **kw)}, "
        f"'-' || {compiler.process(seconds, **kw)} || ' seconds')"
    )
