"""Engine settings that differ by database, and the one row-lock helper: `lock_for_update`.

SQLite gets WAL, foreign keys and a busy time-out. It also gets real transactions that serialise
writers the way PostgreSQL's row locks do, because the embedded default must never oversell:

- pysqlite's own transaction handling is switched off (`isolation_level = None`): left on, it
  runs SELECTs outside any transaction and sends a deferred BEGIN only before the first write, so
  a sign-up counted the seats before it held any lock and two sign-ups could take the last seat.
- SQLAlchemy's `begin` event sends the BEGIN instead. Every transaction starts `BEGIN IMMEDIATE`,
  which takes SQLite's one write lock at once (waiting up to the busy time-out for it), so
  whatever the transaction reads next (seats, waiting lists, marks) cannot change under it until
  it commits: sign-up, approval, offer acceptance, cancellation, capacity changes, attendance
  marks, jobs and CLI commands run one after the other. WAL keeps readers going meanwhile.
- The exception is a request with a safe method (GET, HEAD, OPTIONS), which never changes data
  (SECURITY.md): it starts a plain deferred `BEGIN`, a read snapshot, so that pages render in
  parallel instead of queueing behind each other and behind every write. So does what a request
  reads after its commit or rollback (the redirect's flash, a form shown again with its error):
  a request's work is its one transaction (commit at the edge), and holding the write lock
  while a page renders would only make the next sign-up wait.
- `lock_for_update` is what services call before they count or change seats (`lock_run`) or
  marks (the person's lock in attendance). On PostgreSQL it is `SELECT ... FOR UPDATE`. On SQLite
  the transaction already holds the write lock, except in a read transaction (a GET, a test
  after one, or `read_without_write_lock`): there a no-op write takes the lock. Should another
  writer have committed since that transaction's first read, SQLite refuses the upgrade
  ("database is locked") instead of letting it count from a stale snapshot: an error, never an
  oversold seat.

PostgreSQL locks rows, so there transactions begin as psycopg begins them, with one exception
that saves two round trips on nearly every page: a request with a safe method reads in autocommit
(as Django does by default), without the BEGIN before its first statement and the COMMIT after its
last. At PostgreSQL's READ COMMITTED each statement reads from a snapshot of its own either way,
and a plain SELECT holds no lock worth keeping, so a page reads the same. The first statement
that needs a transaction (a write, a `SELECT ... FOR UPDATE`, a `SET LOCAL`, a SAVEPOINT: see
`_needs_transaction`) switches the connection back before it is sent: psycopg then sends BEGIN,
and what the page writes from there (a sensitive read's audit row) is one transaction, committed
or rolled back at the edge. No connection goes back to the pool in autocommit (`_on_pg_checkin`).

Why not a no-op write alone, in every transaction? Views read (the user, the run) before the
service locks, and under WAL a transaction that has read cannot become a writer once another
writer has committed: most of a burst of sign-ups would fail instead of waiting their turn.
The price of BEGIN IMMEDIATE is that writers queue for up to the busy time-out (15 s): fine for
the embedded default's traffic; larger deployments run PostgreSQL, where only a run's own
sign-ups wait for each other. Tests that read while a live server writes must end their own
transaction first (commit or roll back), as a second writer would have to.
"""

from __future__ import annotations

import functools
import re
from typing import Any, TypeVar

import psycopg
from flask import Flask, g, has_app_context, has_request_context, request
from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

# Long enough for a burst of sign-ups to queue (55 at once take about 4-5 s on a loaded 2-core
# machine); a writer waits its turn rather than getting an error page.
SQLITE_BUSY_TIMEOUT_MS = 15000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# In `Connection.info`: whether the current SQLite transaction holds the write lock.
_WRITE_LOCK = "coursehub_sqlite_write_lock"
# In a request's WSGI environ (set before its first query), or in `g` for a whole app context
# (`read_without_write_lock`): transactions there read from a snapshot, without the lock.
_READS_ONLY = "coursehub_reads_only"

M = TypeVar("M")


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL lets readers go on while one writer writes; in-memory databases ignore it.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    # No implicit BEGIN from pysqlite: _on_sqlite_begin sends ours (and SAVEPOINTs work).
    dbapi_connection.isolation_level = None


def _reads_only() -> bool:
    """Return whether the transaction about to begin may read from a snapshot, without the lock."""
    if has_request_context():
        marked = request.environ.get(_READS_ONLY)  # set by the hooks below, for this request only
        if marked is not None:
            return bool(marked)
    return has_app_context() and bool(g.get(_READS_ONLY, False))


def _on_sqlite_begin(connection: Connection) -> None:
    immediate = not _reads_only()
    # On the DBAPI connection, like psycopg's own BEGIN: not a statement of the app's to count.
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        "BEGIN IMMEDIATE" if immediate else "BEGIN"
    )
    connection.info[_WRITE_LOCK] = immediate


def _note_request_method() -> None:
    # Only a request the app really dispatches reads deferred (SQLite) or in autocommit
    # (PostgreSQL); `test_request_context()` (a GET by default, used by tests' service calls)
    # keeps the safe default: the write lock, a transaction from the first statement.
    request.environ[_READS_ONLY] = request.method in SAFE_METHODS


def _on_sqlite_end(_connection: Connection) -> None:
    if has_request_context():
        request.environ[_READS_ONLY] = True  # the request's work is done: what follows only reads


# In `Connection.info` on PostgreSQL: whether the current transaction has sent anything but a SELECT.
_WROTE = "coursehub_wrote"


# In `Connection.info` on PostgreSQL: set while a safe-method request's transaction reads in
# autocommit, before it has sent anything that needs a transaction (`_needs_transaction`).
_AUTOCOMMIT = "coursehub_autocommit"


def _on_pg_begin(connection: Connection) -> None:
    connection.info[_WROTE] = False
    # Set for a request the app dispatches only (`_note_request_method`): a test's
    # `test_request_context()`, every command and every job keep transactions from the start.
    if has_request_context() and request.environ.get(_READS_ONLY):
        # Nothing has been sent in this transaction yet, so psycopg lets the mode change.
        connection.connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        connection.info[_AUTOCOMMIT] = True


def _end_autocommit(connection: Connection) -> None:
    """Switch a reading connection back to transactions: before a statement that needs one (psycopg
    then sends BEGIN first), and when the transaction ends (a commit or rollback has nothing to do)."""
    if connection.info.pop(_AUTOCOMMIT, False):
        connection.connection.driver_connection.autocommit = False  # type: ignore[union-attr]


def _on_pg_checkin(dbapi_connection: Any, record: Any) -> None:
    """Whatever path a connection took back to the pool, the next one to use it gets transactions."""
    record.info.pop(_AUTOCOMMIT, None)
    if dbapi_connection is not None and dbapi_connection.autocommit:
        dbapi_connection.autocommit = False


# A word that makes a statement beginning with WITH a write: a data-modifying CTE, or the
# INSERT/UPDATE/DELETE/MERGE the CTEs lead into. Anywhere in the text, quoted or not: a false
# alarm (a column or a literal of that name) only ends the transaction as before, with ROLLBACK.
_WRITING_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def cannot_write(statement: str) -> bool:
    """Return whether `statement` cannot write: a SELECT, a WITH without a writing word anywhere
    (the report's figures are queries with CTEs), or a SET LOCAL, which ends with its transaction."""
    head = statement.lstrip()[:9].upper()
    if head.startswith("SELECT"):
        return True
    if head.startswith("WITH"):
        return _has_no_writing_word(statement)
    return head == "SET LOCAL"


# Remembered per statement text: the search reads the whole text (~40 us for the statement that
# loads the session's user, ~80 us for a family's progress, on every request), and the texts that
# begin with WITH are the few the compiled-statement cache keeps handing out again. Only those are
# kept: a SELECT is answered from its first word, and a search's SELECT holds the words searched.
@functools.lru_cache(maxsize=256)
def _has_no_writing_word(statement: str) -> bool:
    return _WRITING_WORD.search(statement) is None


# A row lock a SELECT takes: it lasts until the transaction ends, so it needs one.
_LOCKING = re.compile(r"\bFOR\s+(?:UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def _needs_transaction(statement: str) -> bool:
    """Return whether `statement` needs a transaction around it: anything that might write
    (`cannot_write`), a SET LOCAL (without a transaction it sets nothing) and a row lock. A false
    alarm (the words in a column's name) only costs the BEGIN and COMMIT saved otherwise."""
    if not cannot_write(statement) or statement.lstrip()[:9].upper() == "SET LOCAL":
        return True
    return _LOCKING.search(statement) is not None


# An execution option for a write that is a transaction of its own. Sent while a page still reads
# in autocommit, it commits as it runs, without a BEGIN before it and a COMMIT after it: the audit
# row of a sensitive read (accounts.audit.record), which the page commits at once anyway
# (lib.work.commit_audit_now). Anywhere else (a form's post, a job, a page that has written) it is
# part of the transaction it is sent in, as any statement.
OWN_TRANSACTION = "coursehub_own_transaction"


def _on_pg_statement(
    connection: Connection, cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    # A server-side cursor (DECLARE) lives in a transaction too; nothing here uses one today.
    if (
        connection.info.get(_AUTOCOMMIT)
        and (_needs_transaction(statement) or isinstance(cursor, psycopg.ServerCursor))
        and not (context is not None and context.execution_options.get(OWN_TRANSACTION))
    ):
        _end_autocommit(connection)
    if not connection.info.get(_WROTE, True) and not cannot_write(statement):
        connection.info[_WROTE] = True


# In `Session.info`: the connection of the session's transaction, while it has one.
_CONNECTION = "coursehub_connection"


def _on_session_begin(session: Any, _transaction: Any, connection: Connection) -> None:
    session.info[_CONNECTION] = connection


def _on_session_transaction_end(session: Any, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTION, None)


def only_read(session: Any) -> bool:
    """Return whether `session`'s transaction has a connection and sent it nothing but SELECTs.

    Anything else (an INSERT, an UPDATE, a WITH that might write: `cannot_write`) counts as a write,
    and so does every transaction on SQLite, where nothing keeps count.
    """
    connection = session.info.get(_CONNECTION)
    return connection is not None and connection.info.get(_WROTE, True) is False


def configure_engine_events(app: Flask) -> None:
    """Attach per-connection settings, SQLite's transaction handling and PostgreSQL's reading in
    autocommit to the app's engine, and the hook that tells a page's transactions apart."""
    from coursehub.extensions import db

    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "postgresql" and not event.contains(engine, "begin", _on_pg_begin):
            event.listen(engine, "begin", _on_pg_begin)
            event.listen(engine, "before_cursor_execute", _on_pg_statement)
            event.listen(engine, "commit", _end_autocommit)
            event.listen(engine, "rollback", _end_autocommit)
            event.listen(engine, "checkin", _on_pg_checkin)
        if not event.contains(db.session, "after_begin", _on_session_begin):
            event.listen(db.session, "after_begin", _on_session_begin)
            event.listen(db.session, "after_transaction_end", _on_session_transaction_end)
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _on_sqlite_connect):
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
            event.listen(engine, "commit", _on_sqlite_end)
            event.listen(engine, "rollback", _on_sqlite_end)
        # Both databases read a page's transactions their own way (see the module's docstring).
        # First of the app's hooks, so before anything in the request queries (the session's user).
        hooks = app.before_request_funcs.setdefault(None, [])
        if _note_request_method not in hooks:
            hooks.insert(0, _note_request_method)


def read_without_write_lock() -> None:
    """Let the current app context's SQLite transactions read from a snapshot, without the lock.

    For a test that reads between the steps of a browser journey while a live server in other
    threads writes: otherwise its reads would hold the write lock that the server waits for. A
    lock asked for afterwards (`lock_for_update`) still takes the write lock.
    """
    setattr(g, _READS_ONLY, True)


def reads_only_request() -> bool:
    """Return whether this is a safe-method request still reading from a snapshot, without the lock
    (on PostgreSQL: a safe-method request, which reads in autocommit until it needs a transaction)."""
    return has_request_context() and bool(request.environ.get(_READS_ONLY))


def end_reads_only() -> None:
    """Let the rest of this request begin its transactions `BEGIN IMMEDIATE` (see `lib.work`)."""
    request.environ[_READS_ONLY] = False


def lock_for_update(model: type[M], ident: int) -> M:
    """Lock one row (by primary key) until the transaction ends, and return it freshly loaded.

    Two transactions that lock the same row run one after the other, on PostgreSQL (a row lock)
    and on SQLite (the database's write lock); the second then reads what the first committed.
    """
    from coursehub.extensions import db

    key = inspect(model).primary_key[0]
    if db.engine.dialect.name == "sqlite":
        connection = db.session.connection()
        if not connection.info.get(_WRITE_LOCK, False):
            # A read transaction: take the write lock now with a write that changes nothing.
            db.session.execute(update(key.table).where(key == ident).values({key: key}))
            connection.info[_WRITE_LOCK] = True
    return db.session.execute(
        select(model).where(key == ident).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def is_postgres() -> bool:
    """Return True when the app's database is PostgreSQL (row locks are real there)."""
    from coursehub.extensions import db

    return db.engine.dialect.name == "postgresql"


def insert_on_conflict(target: Any) -> postgresql.Insert | sqlite.Insert:
    """Return an INSERT into `target` that can say what becomes of a row whose unique key is taken
    (`on_conflict_do_update`, `on_conflict_do_nothing`, `excluded`): PostgreSQL's or SQLite's,
    whichever the app runs on; the two take the same arguments."""
    return postgresql.insert(target) if is_postgres() else sqlite.insert(target)


def plan_for_values() -> None:
    """Have PostgreSQL plan each further statement of this transaction for its own values.

    For a transaction of a few heavy statements whose best plan depends on the values they are
    run with (the report's aggregates over the periods and municipalities asked for). psycopg
    prepares a statement once it has run five times on a connection, and PostgreSQL may then keep
    one generic plan for it, made without the values; planning each run anew costs a few
    milliseconds against the hundreds such a statement takes. The other pages' statements on the
    connection keep their plans: `SET LOCAL` ends with the transaction. Nothing on SQLite.
    """
    from coursehub.extensions import db

    if is_postgres():
        db.session.connection().exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
