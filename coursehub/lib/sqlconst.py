"""The code's own constants written into a statement's SQL, rather than bound as parameters.

psycopg prepares a statement once it has run five times, and PostgreSQL may then plan it once for
any parameters (a generic plan). A bound status or role hides from that plan what the statistics
know: the staff start page read every session ever held for `status = $1` where `'published'`
reads only the running runs' (national bench, 1,173 -> 704 buffers); the case board's roles as
parameters made it scan every user; a partial index whose predicate names the statuses can only
be used when the query names them too. Written in, the statement's text stays the same from run
to run, so SQLAlchemy's statement cache and the prepared statement still serve it.

Only for constants of the code (enum values, names, counts), never for what a user typed: those
are bound, or, where their plan matters, passed with `literal_execute` so SQLAlchemy quotes them.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import literal_column
from sqlalchemy.sql.expression import ColumnElement


def written(value: str | int | float | Enum, type_: Any) -> ColumnElement[Any]:
    """Return `value` (an enum's value, a text, a whole or a finite decimal number) as SQL text of
    `type_`."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"not a constant to write into SQL: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError(f"not a finite number: {value!r}")
    text = repr(value) if isinstance(value, int | float) else "'" + value.replace("'", "''") + "'"
    return literal_column(text, type_)


def written_all(values: Any, type_: Any) -> tuple[ColumnElement[Any], ...]:
    """Return each of `values` written into the SQL (for an IN list of statuses or roles)."""
    return tuple(written(value, type_) for value in values)


def start_of_minute(moment: datetime) -> datetime:
    """Return `moment` rounded down to its minute: a moment written into a statement (with
    `literal_execute`) then gives the same SQL text, and the same prepared plan, for a minute."""
    return moment.replace(second=0, microsecond=0)
