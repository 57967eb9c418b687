"""Count what the application asks of the database: statements run, and rows sent back to it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
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


@contextmanager
def captured_statements(engine: sa.Engine, keep: Callable[[str], bool]):
    """Collect (statement, parameters) of each statement `engine` runs in the block that `keep`
    accepts, for running them again under EXPLAIN after the block."""
    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if keep(statement):
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def page_buffers(
    client, path: str, engine: sa.Engine, session, *, table: str | None = None, without: Sequence[str] = ()
) -> dict[str, int]:
    """Return the buffers PostgreSQL reads for each statement a GET of `path` runs (its first 60
    characters -> shared buffers hit or read, EXPLAIN ANALYZE BUFFERS), for a check that a page
    reads the same whatever the years of rows behind it. `session` runs the EXPLAINs after.
    With `table`, only the buffers of the scans of that table (and its indexes) are counted.

    `without` names plans the EXPLAINs may not use ("bitmapscan" sets enable_bitmapscan off),
    for a test database too small to lead PostgreSQL where a large one does; the setting lasts
    until the EXPLAINs' transaction is rolled back, here."""
    with captured_statements(engine, lambda s: s.lstrip().upper().startswith(("SELECT", "WITH"))) as seen:
        assert client.get(path).status_code == 200
    for plan in without:
        session.execute(sa.text(f"SET LOCAL enable_{plan} = off"))
    read: dict[str, int] = {}
    try:
        for statement, parameters in seen:
            key = " ".join(statement.split())[:60]
            read[key] = read.get(key, 0) + statement_buffers(session, statement, parameters, table=table)
    finally:
        if without:
            session.rollback()
    return read


def statement_buffers(session, statement: str, parameters, *, table: str | None = None) -> int:
    """Return the shared buffers PostgreSQL reads running `statement` (EXPLAIN ANALYZE BUFFERS):
    the rows' and indexes' pages, not the planner's catalogue reads; with `table`, only those of
    the scans of that table."""
    explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement
    plan = session.connection().exec_driver_sql(explain, parameters).scalar_one()
    top = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]
    return _buffers(top) if table is None else _scan_buffers(top, table)


def _buffers(node: dict) -> int:
    return node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)


def _scan_buffers(node: dict, table: str) -> int:
    """The buffers of the plan's scans of `table` (a scan's own figures include its index's)."""
    if node.get("Relation Name") == table:
        return _buffers(node)
    return sum(_scan_buffers(child, table) for child in node.get("Plans", []))
