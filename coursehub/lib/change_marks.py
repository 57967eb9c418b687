"""A mark that moves whenever a watched table changes, kept by the database itself.

Some short lists are read on many pages and change once in months: the municipalities, the county
parts, the venues and course types the catalogue's filters offer. A process may hold such a list
as read, if it can tell cheaply that nothing it was read from has changed since. Triggers on each
watched table replace the one row of a mark table by a new one, whose id comes from a sequence
(PostgreSQL) or AUTOINCREMENT (SQLite) and so never repeats, even after every row is deleted. The
newest id is the mark: a reader reads it in the same statement as the list and reads the list's
rows only when the mark is not the one it holds.

Every change is seen, whoever makes it (a service, a factory, a migration, `bench-seed`): the
triggers fire on INSERT, UPDATE and DELETE (and TRUNCATE on PostgreSQL). Marks follow the order
in which changes commit: each trigger first deletes the mark rows it can see, so on PostgreSQL a
second writer waits on the first one's delete and takes its id from the sequence only once the
first has committed.

The triggers are created with the tables (`watch`, for `create_all`) and by the migration that
adds them, which writes the same statements out (migrations never import the package). SQLite
drops a table's triggers when a batch migration rebuilds the table: tests/test_migrations.py
checks that every watched table has its triggers after every migration.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event

POSTGRESQL_FUNCTION = "note_reference_change"


def postgresql_function(marks: str) -> str:
    """The trigger function that replaces the mark row of table `marks` by a new one."""
    return (
        f"CREATE OR REPLACE FUNCTION {POSTGRESQL_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {_new_mark(marks, 'DEFAULT VALUES')} RETURN NULL; END $$"
    )


def _new_mark(marks: str, values: str) -> str:
    """The statements that replace the mark row (a table name from the models: DDL takes no
    parameters). `values`: how the new row gets its id from the sequence (SQLite allows no
    DEFAULT VALUES in a trigger, PostgreSQL no NULL for a serial id)."""
    return f"DELETE FROM {marks}; INSERT INTO {marks} {values};"  # noqa: S608  # nosec B608


def trigger_name(table: str, event_name: str = "") -> str:
    return f"{table}_mark{'_' + event_name if event_name else ''}"


def postgresql_trigger(table: str) -> str:
    """One statement-level trigger per watched table, for every kind of change."""
    return (
        f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRESQL_FUNCTION}()"
    )


SQLITE_EVENTS = ("insert", "update", "delete")


def sqlite_triggers(table: str, marks: str) -> list[str]:
    """SQLite has row-level triggers with one event each: three per watched table."""
    return [
        f"CREATE TRIGGER {trigger_name(table, name)} AFTER {name.upper()} ON {table} "
        f"BEGIN {_new_mark(marks, '(id) VALUES (NULL)')} END"
        for name in SQLITE_EVENTS
    ]


# The tables watched so far, as `watch` was told: what the migrations must give triggers to.
WATCHED: list[str] = []


def watch(metadata: sa.MetaData, marks: str, tables: Iterable[str]) -> None:
    """Create the triggers that move the mark in table `marks` when any of `tables` changes,
    once `metadata`'s tables are all created (no trigger refers to a table not made yet)."""
    statements = [("postgresql", postgresql_function(marks))]
    for table in tables:
        WATCHED.append(table)
        statements.append(("postgresql", postgresql_trigger(table)))
        statements += [("sqlite", statement) for statement in sqlite_triggers(table, marks)]
    for dialect, statement in statements:
        event.listen(metadata, "after_create", sa.DDL(statement).execute_if(dialect=dialect))
    # The triggers go with their tables; the function would outlive them.
    drop = f"DROP FUNCTION IF EXISTS {POSTGRESQL_FUNCTION}()"
    event.listen(metadata, "after_drop", sa.DDL(drop).execute_if(dialect="postgresql"))


def trigger_names(dialect: str) -> set[str]:
    """The names of the triggers the watched tables have on `dialect` (for a test to compare)."""
    if dialect == "postgresql":
        return {trigger_name(table) for table in WATCHED}
    return {trigger_name(table, name) for table in WATCHED for name in SQLITE_EVENTS}
