"""The one way a view does its work: load a row or 404, call one service, commit once at the edge.

    outcome = attempt(lambda: services.update_run(run, actor=actor(), now=clock.now(), ...),
                      form=form, default="day")
    if outcome.ok:
        flash(_("Ändringarna är sparade."), "success")
        return redirect(...)
    return render_template(...)   # the domain error now stands beside its field

Services flush and never commit (CONVENTIONS.md 4); `attempt` is the request's commit, and its
rollback when a rule was broken. A domain error is shown beside its form field, or, on a page with
buttons only, flashed with the one category for errors, `ERROR`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from flask import Flask, abort, flash
from flask_login import current_user
from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.exc import IntegrityError

from coursehub.errors import CoursehubError
from coursehub.extensions import db
from coursehub.lib import database
from coursehub.lib.forms import show_domain_error
from coursehub.lib.params import as_id

logger = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M")

# The flash category of every error message; base.html shows it as a red (Bootstrap "danger") alert.
ERROR = "error"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `attempt` did: the service's return value, or the domain error it raised."""

    value: T | None = None
    error: CoursehubError | None = None

    @property
    def ok(self) -> bool:
        """Whether the service succeeded and its work is committed."""
        return self.error is None


def attempt(
    action: Callable[[], T],
    *,
    form: Any = None,
    default: str | None = None,
    show: Callable[[CoursehubError], object] | None = None,
    catch: type[CoursehubError] | tuple[type[CoursehubError], ...] = CoursehubError,
    quiet: bool = False,
) -> Outcome[T]:
    """Run `action` (one service call) and commit; on a domain error roll back and show it.

    The error is shown by `show` when given, else beside its field of `form` (or beside `default`,
    or above the form), else flashed with the `ERROR` category; with `quiet` it is not shown, and
    the caller shows `outcome.error` itself. `catch` narrows which domain errors are expected; any
    other exception propagates (the 500 handler rolls back).
    """
    try:
        value = _run_and_commit(action)
    except catch as error:
        db.session.rollback()
        if quiet:
            pass
        elif show is not None:
            show(error)
        elif form is not None:
            show_domain_error(form, error, default=default)
        else:
            flash(error.message, ERROR)
        return Outcome(error=error)
    return Outcome(value=value)


def _run_and_commit(action: Callable[[], T]) -> T:
    """Run the action and commit; once more when a concurrent twin request committed first.

    A double submit on PostgreSQL: both requests checked that the e-mail address (the sign-up,
    the mark) was free, the first inserted it and committed, the second's insert broke a unique
    constraint. Run again, the service's own check sees the first one's row and raises its
    domain error: the second click gets the normal answer, not a 500. (On SQLite writing requests
    run one at a time, see coursehub/lib/database.py.) An error that is no race fails again.
    """
    try:
        value = action()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        logger.info("retrying after a unique or foreign key conflict (%s)", type(error.orig).__name__)
        value = action()
        db.session.commit()
    return value


def actor() -> Any:
    """Return the logged-in user object (not the proxy) to pass to a service as `actor`."""
    return current_user._get_current_object()


def load_or_404(
    model: type[M],
    ident: object,
    *,
    allowed: Callable[[Any, M], bool] | None = None,
    options: Iterable[Any] = (),
) -> M:
    """Load one row by id, or answer 404; also 404 when `allowed(user, row)` is false.

    A row the person may not act on answers like one that does not exist, so that its existence
    does not leak. `ident` may come from a form: a malformed or too large id is a 404 too.
    `options` (loader options, see `get_by_id`) say what the page reads with the row.
    """
    number = as_id(ident)
    row = get_by_id(model, number, options) if number is not None else None
    if row is None or (allowed is not None and not allowed(current_user, row)):
        abort(404)
    return row


def get_by_id(model: type[M], number: int, options: Iterable[Any] = ()) -> M | None:
    """The row of `model` with primary key `number`, loaded with `options`, or None.

    Without options, or when the session has the row already, this is `session.get` (no SQL
    for a row the session has). Otherwise `session.get` with options would build and compile a
    new statement on every call, which cost a key page more Python than running it; here the
    statement is built once per model and tuple of options, so pass the options as a constant of
    the module (a tuple made once), not a new list per request.
    """
    wanted = tuple(options)
    if not wanted or db.session.identity_key(model, number) in db.session.identity_map:
        return db.session.get(model, number, options=wanted)
    statement = _by_id_statement(cast(Hashable, model), wanted)
    found: M | None = db.session.execute(statement, {"ident": number}).unique().scalar_one_or_none()
    return found


@functools.lru_cache(maxsize=64)
def _by_id_statement(model: Any, options: tuple[Any, ...]) -> Select[Any]:
    # Keyed by the options' identity: a constant tuple is built into a statement once; options
    # made anew on each call miss and push the oldest out (bounded, never wrong).
    (key,) = inspect(model).primary_key
    return select(model).options(*options).where(key == bindparam("ident"))


def write_from_here() -> None:
    """Let the rest of this safe-method request write: a sensitive read that writes its audit row.

    A page (GET) reads from a snapshot without SQLite's write lock (lib/database.py), and a snapshot
    that has read cannot become a writer once another writer has committed. So the snapshot ends
    here, at the edge (nothing was written in it; a commit, not a rollback, so that what the request
    has loaded stays as it is), and the next transaction begins `BEGIN IMMEDIATE`, taking the lock
    before it reads. On PostgreSQL there is nothing to do: the page's first write opens its
    transaction (lib/database.py).
    """
    if database.reads_only_request() and not database.is_postgres():
        db.session.commit()
        database.end_reads_only()


def commit_audit_now() -> None:
    """Commit the audit rows a page has written before it answers (a sensitive read, a refusal).

    A read of sensitive data and a refused attempt are logged even when the page then fails or
    answers 404 (SECURITY.md, Privacy); so their rows are committed at once, here at the edge.

    The rows the page has loaded are kept as they are, not expired by the commit: the page goes
    on to show them, and each expired one would be read again with a statement of its own (an
    export of the log read its 4,000 rows one by one). The commit writes audit rows only, so
    what was loaded is still what this request read.
    """
    commit_keeping_loaded()


def commit_keeping_loaded() -> None:
    """Commit what this request wrote beside its page (an audit row, a report's kept figures)
    without expiring what it has loaded (see `commit_audit_now`)."""
    session = db.session()
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring


def init_app(app: Flask) -> None:
    """End each request's reading transaction at the edge (see `end_reading_transaction`)."""
    app.teardown_request(end_reading_transaction)


def end_reading_transaction(error: BaseException | None = None) -> None:
    """End a request's transaction that only read with COMMIT, not the ROLLBACK that closing it sends.

    The two are the same to PostgreSQL when nothing was written, but not to psycopg: a ROLLBACK
    makes it forget the statements it has prepared on the connection (it cannot know what the
    rollback undid), so every request planned every statement anew. Committed, the connection keeps
    them, and a statement a page runs again and again is prepared after its fifth run and planned
    no more: 25-40 % of the key pages' SQL time at national size (issue 24). Anything else ends as
    before, with the rollback: a request that failed, one whose session holds changes it did not
    flush, one whose transaction wrote (lib/database.py keeps count), and every request on SQLite.
    """
    if error is not None or not db.session.registry.has():
        return
    session = db.session()
    if session.new or session.dirty or session.deleted or not database.only_read(session):
        return
    try:
        db.session.commit()
    except Exception:  # the connection broke after the page was made: closing it is all that is left
        logger.warning("ending a reading transaction failed; it is rolled back", exc_info=True)
        db.session.rollback()
