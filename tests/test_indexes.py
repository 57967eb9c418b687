"""No two indexes of a table are searched by the same columns on the same database.

An index with the very keys of another index or unique constraint of its table answers nothing the
other does not, and every insert, delete and change of those columns writes it too. (The SQLite
variant of the runs' start order once repeated ix_course_runs_status_starts_at.)

Narrower is another matter: an index on (a) beside a unique constraint on (a, b) stays. On
PostgreSQL its B-tree keeps each value of `a` once with the list of its rows (deduplication), so it
is a fraction of the wide one's size where a value has many rows, and the planner reads it where it
would not read the wide one: with ix_attendance_marks_session_id dropped (13 MB beside the unique
(session_id, user_id), 48 MB, national bench set), the attendance statistics read all 1.9 million
marks in a sequential scan, 37 -> 202 ms, and the participants per municipality 36 -> 74 ms
(benchmarks/HISTORY.md, 6 December).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sqlalchemy as sa

from coursehub.db import NAMING_CONVENTION, Base, include_for_dialect

DIALECTS = ("postgresql", "sqlite")


@dataclass(frozen=True)
class _Keys:
    """The plain columns an index or constraint is searched by, in order, whether those are all
    its keys, and whether it is unique."""

    name: str
    columns: tuple[str, ...]
    plain: bool
    unique: bool


def _is_partial(index: sa.Index) -> bool:
    return any(index.dialect_options[dialect].get("where") is not None for dialect in DIALECTS)


def _leading_columns(expressions) -> tuple[str, ...]:
    """The index's key columns up to the first that is not a plain column (`starts_at NULLS FIRST`,
    `lower(recipient)`): past that point its order is not the plain columns' order."""
    columns: list[str] = []
    for expression in expressions:
        if not isinstance(expression, sa.Column):
            break
        columns.append(expression.name)
    return tuple(columns)


def _index_keys(index: sa.Index) -> _Keys:
    leading = _leading_columns(index.expressions)
    return _Keys(str(index.name), leading, len(leading) == len(index.expressions), bool(index.unique))


def _whole_indexes(table: sa.Table, dialect: str) -> list[_Keys]:
    """Every index and unique constraint of `table` on `dialect` that holds all its rows, with
    its leading columns (an index made for one database only, `ddl_if`, counts on that one)."""
    on_dialect = include_for_dialect(dialect)
    found = [
        _index_keys(index)
        for index in table.indexes
        if not _is_partial(index) and on_dialect(index, index.name, "index", False, None)
    ]
    found += [
        _Keys(str(constraint.name), tuple(column.name for column in constraint.columns), True, True)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint | sa.PrimaryKeyConstraint)
    ]
    return found


def repeated_indexes(metadata: sa.MetaData) -> list[str]:
    """Each plain index with the same key columns as another whole index or unique constraint of
    its table on the same database (of two plain ones, the one named later)."""
    found = []
    for dialect, table in itertools.product(DIALECTS, metadata.sorted_tables):
        whole = sorted(_whole_indexes(table, dialect), key=lambda keys: keys.name)
        for index in whole:
            if index.unique or not index.plain or not index.columns:
                continue
            for other in whole:
                same = other is not index and other.columns == index.columns
                if same and (other.unique or other.name < index.name):
                    found.append(f"{dialect} {table.name}: {index.name} repeats {other.name} {other.columns}")
                    break
    return found


def test_no_index_repeats_the_keys_of_another(app):  # the app imports every model
    assert repeated_indexes(Base.metadata) == []


def test_the_check_finds_an_index_with_the_keys_of_another_on_one_database():
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    table = sa.Table(
        "marks",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, index=True),
        sa.Column("user_id", sa.Integer, index=True),
        sa.Column("status", sa.String(7)),
        sa.Column("starts_at", sa.DateTime),
        sa.UniqueConstraint("session_id", "user_id", name="uq_marks"),
        sa.Index("ix_marks_user", "user_id", postgresql_where=sa.text("status = 'open'")),
        sa.Index("ix_marks_pair", "session_id", "user_id"),
        sa.Index("ix_marks_status_start", "status", "starts_at"),
    )
    # PostgreSQL's variant orders NULL first, another order; SQLite's repeats the plain one.
    sa.Index("ix_marks_order", table.c.status, table.c.starts_at.nulls_first()).ddl_if(dialect="postgresql")
    sa.Index("ix_marks_order", table.c.status, table.c.starts_at).ddl_if(dialect="sqlite")
    pair = "marks: ix_marks_pair repeats uq_marks ('session_id', 'user_id')"
    assert repeated_indexes(metadata) == [
        f"postgresql {pair}",
        f"sqlite {pair}",
        "sqlite marks: ix_marks_status_start repeats ix_marks_order ('status', 'starts_at')",
    ]
