"""Alembic environment: runs inside the Flask app, against its engine and the models' metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from coursehub.db import UTCDateTime, include_for_dialect

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_db = current_app.extensions["migrate"].db
target_metadata = target_db.metadata


def render_item(type_, obj, autogen_context):
    """Write our UTC type as a plain timezone-aware DateTime, so migrations never import models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _skip_empty(context_, revision, directives):
    # `flask db migrate` with no change in the models writes no empty file.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def _not_search_structure(name, type_, parent_names):
    from coursehub.forum.search_schema import is_search_structure

    return not is_search_structure(name)


def run_migrations_online():
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", _skip_empty)
    options.setdefault("compare_type", True)
    # The forum's search index and FTS5 table are not models: autogenerate must not drop them.
    options.setdefault("include_name", _not_search_structure)
    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        options.setdefault("include_object", include_for_dialect(connection.dialect.name))
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_item=render_item,
            **options,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_sqlite_foreign_keys(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, *, on: bool) -> None:
    """Switch SQLite's foreign keys (outside any transaction: inside one SQLite ignores it).

    Batch mode changes a SQLite table by copying it, dropping the old one and renaming the copy.
    With foreign keys on, that drop would delete (ON DELETE CASCADE) or refuse every row that
    refers to the table, so migrations run with them off and are checked before they commit.
    """
    connection.commit()  # end any transaction first
    # Straight to the DBAPI connection: through SQLAlchemy the PRAGMA would first begin a
    # transaction (coursehub/lib/database.py sends a BEGIN for each) and SQLite would ignore it.
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_sqlite_foreign_keys(connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows with broken foreign keys: {broken[:10]}")


def run_migrations_offline():
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        render_item=render_item,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
