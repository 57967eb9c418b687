"""`among(column, ids)`: rows whose key is one of the ids a subquery returns, found by the key's index.

`column IN (SELECT …)` leaves PostgreSQL free to hash the whole table the column belongs to and
probe it with the subquery's rows, and its estimate for a CTE's distinct values (200, whatever
the CTE holds) often makes it do so: a person's 1,300 marks joined to their sessions hashed
every session ever held, a cost that grows with each year of history. `= ANY(ARRAY(SELECT …))`
hands the ids over as one array, which PostgreSQL can only look up in the key's index, one
probe per id: the cost of what was found, not of the table. SQLite looks up an `IN (SELECT …)`
in the index already.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class among(ColumnElement[bool]):  # noqa: N801 - used like a SQL operator
    """True for rows whose `column` is one of the values `ids` (a one-column select, or a union
    of them) returns."""

    type = sa.Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition in itself: no `= 1` after it where booleans are numbers
    # The two parts make the statement's cache key, as a built-in expression's would.
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(
        self, column: sa.ColumnExpressionArgument[Any], ids: sa.Select[Any] | sa.CompoundSelect[Any]
    ) -> None:
        # A mapped attribute (CourseSession.id) becomes its column, as SQLAlchemy's operators do.
        self.column: ColumnElement[Any] = coercions.expect(roles.ExpressionElementRole, column)
        self.ids = ids.scalar_subquery()


@compiles(among, "postgresql")
def _postgresql(element: among, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY{compiler.process(element.ids, **kw)})"


@compiles(among)
def _default(element: among, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.ids, **kw)}"
