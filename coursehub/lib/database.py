"""Engine settings that differ by database: SQLite gets WAL, foreign keys and a busy time-out."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 5000


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL lets readers go on while one writer writes; in-memory databases ignore it.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def configure_engine_events(app: Flask) -> None:
    """Attach per-connection settings to the app's engine once it exists."""
    from coursehub.extensions import db

    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _on_sqlite_connect
        ):
            event.listen(engine, "connect", _on_sqlite_connect)


def is_postgres() -> bool:
    """Return True when the app's database is PostgreSQL (row locks are real there)."""
    from coursehub.extensions import db

    return db.engine.dialect.name == "postgresql"
