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


def settle(engine: sa.Engine) -> None:
    """VACUUM (ANALYZE) the test database, so that a count that follows is of the rows the test
    holds now, with the statistics and visibility autovacuum would have given them by then.

    Between tests every row is deleted, not truncated (tests/support/postgres.py): the dead rows
    and their index entries stay until autovacuum comes, at a moment no test chooses, and so do
    stale statistics and pages not yet marked all-visible (an index-only scan then fetches rows).
    Settled, all three are as the rows now make them. An index keeps its size, though: the pages
    earlier tests filled stay in it, which is why `page_rows` counts rows, not buffers."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")


def page_buffers(
    client, path: str, engine: sa.Engine, session, *, table: str | None = None, without: Sequence[str] = ()
) -> dict[str, int]:
    """Return the buffers PostgreSQL reads for each statement a GET of `path` runs (its first 60
    characters -> shared buffers hit or read, EXPLAIN ANALYZE BUFFERS), for a check that a page
    reads the same whatever the years of rows behind it. `session` runs the EXPLAINs after.
    With `table`, only the buffers of the scans of that table (and its indexes) are counted.
    The database is settled first (`settle`): the count is of the rows the test made.

    `without` names plans the EXPLAINs may not use ("bitmapscan" sets enable_bitmapscan off),
    for a test database too small to lead PostgreSQL where a large one does; the setting lasts
    until the EXPLAINs' transaction is rolled back, here."""
    return _page_plans(client, path, engine, session, without, lambda top: _measured(top, table, _buffers))


def page_rows(
    client, path: str, engine: sa.Engine, session, *, table: str, without: Sequence[str] = ()
) -> dict[str, int]:
    """Return the rows of `table` each statement a GET of `path` runs looks at (its first 60
    characters -> rows its scans of the table return or filter out, over all their loops).

    Buffers depend on where the rows lie: on a test database that earlier tests filled and
    emptied, an index keeps the pages they left, and one plan reads them where another does not.
    The rows a scan looks at do not: those of the runs asked for through an index, every row of
    the table through a sequential scan. A check that a page does not read history counts these."""
    return _page_plans(client, path, engine, session, without, lambda top: _measured(top, table, _rows))


def _page_plans(client, path, engine, session, without, measure) -> dict[str, int]:
    settle(engine)
    with captured_statements(engine, lambda s: s.lstrip().upper().startswith(("SELECT", "WITH"))) as seen:
        assert client.get(path).status_code == 200
    for plan in without:
        session.execute(sa.text(f"SET LOCAL enable_{plan} = off"))
    read: dict[str, int] = {}
    try:
        for statement, parameters in seen:
            key = " ".join(statement.split())[:60]
            read[key] = read.get(key, 0) + measure(_plan(session, statement, parameters))
    finally:
        if without:
            session.rollback()
    return read


def statement_buffers(session, statement: str, parameters, *, table: str | None = None) -> int:
    """Return the shared buffers PostgreSQL reads running `statement` (EXPLAIN ANALYZE BUFFERS):
    the rows' and indexes' pages, not the planner's catalogue reads; with `table`, only those of
    the scans of that table."""
    return _measured(_plan(session, statement, parameters), table, _buffers)


def _plan(session, statement: str, parameters) -> dict:
    explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement
    plan = session.connection().exec_driver_sql(explain, parameters).scalar_one()
    return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]


def _measured(top: dict, table: str | None, measure: Callable[[dict], int]) -> int:
    return measure(top) if table is None else _scans(top, table, measure)


def _buffers(node: dict) -> int:
    return node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)


def _rows(node: dict) -> int:
    """The rows a scan looked at: those it returned and those its conditions turned away."""
    per_loop = (
        node.get("Actual Rows", 0)
        + node.get("Rows Removed by Filter", 0)
        + node.get("Rows Removed by Index Recheck", 0)
    )
    return round(per_loop * node.get("Actual Loops", 1))


def _scans(node: dict, table: str, measure: Callable[[dict], int]) -> int:
    """The measure of the plan's scans of `table` (a scan's own figures include its index's)."""
    if node.get("Relation Name") == table:
        return measure(node)
    return sum(_scans(child, table, measure) for child in node.get("Plans", []))
