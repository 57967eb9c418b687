"""Count what the application asks of the database: statements run, and rows sent back to it."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa


@dataclass
class Traffic:
    """The statements run inside a `count_traffic` block and the rows the database returned."""

    statements: list[str] = field(default_factory=list)
    rows: int = 0


class _CountingCursor:
    """A DBAPI cursor that counts the rows fetched through it (everything else passes through)."""

    def __init__(self, cursor, traffic: Traffic):
        self._cursor = cursor
        self._traffic = traffic

    def fetchone(self):
        row = self._cursor.fetchone()
        if row is not None:
            self._traffic.rows += 1
        return row

    def fetchmany(self, *args, **kwargs):
        rows = self._cursor.fetchmany(*args, **kwargs)
        self._traffic.rows += len(rows)
        return rows

    def fetchall(self):
        rows = self._cursor.fetchall()
        self._traffic.rows += len(rows)
        return rows

    def __iter__(self):
        for row in self._cursor:
            self._traffic.rows += 1
            yield row

    def __getattr__(self, name):
        return getattr(self._cursor, name)


@contextmanager
def count_traffic(engine: sa.Engine):
    """Count the statements `engine` runs in the block, and the rows it fetches for them.

    Each statement's DBAPI cursor is wrapped as soon as it has run, before SQLAlchemy builds its
    result on it, so every row the application reads passes through the count.
    """
    traffic = Traffic()

    def after_execute(conn, cursor, statement, parameters, context, executemany):
        traffic.statements.append(statement)
        if context is not None and context.cursor is cursor:
            context.cursor = _CountingCursor(cursor, traffic)

    sa.event.listen(engine, "after_cursor_execute", after_execute)
    try:
        yield traffic
    finally:
        sa.event.remove(engine, "after_cursor_execute", after_execute)
