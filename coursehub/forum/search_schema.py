"""The search structures beside `forum_search_entries` that are not models, for each database.

PostgreSQL: a stored generated column `swedish_vector`, `to_tsvector('swedish', title || ' ' || body)`,
with a GIN index over it: the search matches and ranks on the stored vector, so no row's text is
parsed again while searching, and the planner knows from the column's statistics how common a word
is. SQLite: an FTS5 table over the
stemmed text, with the entries table as its external content, kept in step by triggers. Both are
created after the entries table (tests build the schema from the models) and by the migration
(which writes the same statements out: migrations never import the package); both are left out
when models and migrations are compared (`is_search_structure`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

FTS_TABLE = "forum_search_fts"
PG_INDEX = "ix_forum_search_entries_swedish"
PG_VECTOR = "swedish_vector"

POSTGRESQL_CREATE = (
    "ALTER TABLE forum_search_entries ADD COLUMN swedish_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, title || ' ' || body)) STORED",
    "CREATE INDEX ix_forum_search_entries_swedish ON forum_search_entries USING gin (swedish_vector)",
)
POSTGRESQL_DROP = ("DROP INDEX IF EXISTS ix_forum_search_entries_swedish",)  # the column goes with the table

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE forum_search_fts USING fts5(stemmed, content='forum_search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER forum_search_fts_ai AFTER INSERT ON forum_search_entries BEGIN "
    "INSERT INTO forum_search_fts(rowid, stemmed) VALUES (new.id, new.stemmed); END",
    "CREATE TRIGGER forum_search_fts_ad AFTER DELETE ON forum_search_entries BEGIN "
    "INSERT INTO forum_search_fts(forum_search_fts, rowid, stemmed) "
    "VALUES ('delete', old.id, old.stemmed); END",
    "CREATE TRIGGER forum_search_fts_au AFTER UPDATE ON forum_search_entries BEGIN "
    "INSERT INTO forum_search_fts(forum_search_fts, rowid, stemmed) "
    "VALUES ('delete', old.id, old.stemmed); "
    "INSERT INTO forum_search_fts(rowid, stemmed) VALUES (new.id, new.stemmed); END",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS forum_search_fts",)  # its triggers go with the entries table


def is_search_structure(name: str | None) -> bool:
    """Whether `name` is one of the structures above (or FTS5's own shadow tables, or the column)."""
    return bool(name) and (name in (PG_INDEX, PG_VECTOR) or str(name).startswith(FTS_TABLE))


def attach(table: sa.Table) -> None:
    """Create the structures right after `table` is created, and drop them before it is dropped."""
    for dialect, create, drop in (
        ("postgresql", POSTGRESQL_CREATE, POSTGRESQL_DROP),
        ("sqlite", SQLITE_CREATE, SQLITE_DROP),
    ):
        for statement in create:
            event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect=dialect))
        for statement in drop:
            event.listen(table, "before_drop", sa.DDL(statement).execute_if(dialect=dialect))
