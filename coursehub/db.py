"""The declarative base, naming convention and column type aliases shared by every area."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database (SQLite drops the zone; this puts it back)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use coursehub.clock")
        value = value.astimezone(UTC)
        # SQLite keeps text; store it without an offset so that comparisons sort correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> sa.Enum:
    """Store a StrEnum by value, as a VARCHAR with a CHECK constraint on every database."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


intpk = Annotated[int, mapped_column(primary_key=True)]
utc_datetime = Annotated[datetime, mapped_column(UTCDateTime())]
str80 = Annotated[str, mapped_column(sa.String(80))]
str200 = Annotated[str, mapped_column(sa.String(200))]


class Base(DeclarativeBase):
    """Base of every model."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def created_at_column():
    """Return a `created_at` column filled from the app clock."""
    from coursehub.clock import now

    return mapped_column(UTCDateTime(), default=now, nullable=False)


def include_for_dialect(dialect_name: str) -> Callable[..., bool]:
    """Return an Alembic `include_object` that leaves out what the models make only on other databases.

    An index declared with `Index.ddl_if(dialect=...)` exists on that database alone; Alembic's
    comparison does not read `ddl_if`, so without this it would report it missing everywhere else.
    """

    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        if reflected or condition is None or condition.dialect is None:
            return True
        wanted = condition.dialect
        return dialect_name == wanted if isinstance(wanted, str) else dialect_name in wanted

    return include


def partial_index(
    name: str, *columns: str, where: str, sqlite_where: str | None = None, **kw: Any
) -> sa.Index:
    """Return an index of only the rows `where` holds for, on PostgreSQL and SQLite alike.

    `sqlite_where` is SQLite's own text of the same condition where the two differ (a value
    compared as it is stored there); other keywords go to `sa.Index` (`unique`,
    `postgresql_include`)."""
    return sa.Index(
        name,
        *columns,
        sqlite_where=sa.text(sqlite_where or where),
        postgresql_where=sa.text(where),
        **kw,
    )
