"""SQLite takes its one write lock where PostgreSQL would lock rows (coursehub/lib/database.py).

The races themselves (last seats, double submits, marks, offers, the outbox) are in the
tests/*/test_concurrency.py files and run on both databases; these show the lock underneath.
"""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from flask import request
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError

from coursehub.accounts import audit
from coursehub.accounts.models import AuditEntry
from coursehub.courses.models import CourseRun
from coursehub.lib.database import _has_no_writing_word, cannot_write, lock_for_update, plan_for_values
from tests.factories import CourseRunFactory, UserFactory


@pytest.fixture
def database_file(app, db_engine_name) -> str:
    if db_engine_name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows (the races run on both)")
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def _writer_can_start(database_file: str) -> bool:
    """Return whether another connection could take the write lock at this moment."""
    other = sqlite3.connect(database_file, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


def _count_runs(db) -> int:
    return db.session.scalar(select(func.count()).select_from(CourseRun))


def test_a_job_or_service_transaction_holds_the_write_lock_from_its_first_read(db, database_file):
    db.session.commit()
    assert _writer_can_start(database_file)
    _count_runs(db)  # a count of seats, say: nobody may change them until this transaction ends
    assert not _writer_can_start(database_file)
    db.session.commit()
    assert _writer_can_start(database_file)


@pytest.mark.own_app("adds a route that probes the lock")
def test_a_form_post_holds_the_write_lock_and_a_page_does_not(app, db, database_file):
    @app.route("/test/skrivlas", methods=["GET", "POST"])
    def probe():
        _count_runs(db)
        during = _writer_can_start(database_file)
        db.session.commit()  # the request's work is done: what it reads next needs no lock
        _count_runs(db)
        return f"{during} {_writer_can_start(database_file)}"

    client = app.test_client()
    db.session.commit()
    assert client.post("/test/skrivlas").text == "False True"
    db.session.rollback()  # the test's app context (and session) outlives each request
    assert client.get("/test/skrivlas").text == "True True"


@pytest.mark.own_app("adds a route that probes the lock")
def test_a_lock_asked_for_while_reading_takes_the_write_lock_or_refuses(app, db, database_file):
    run_id = CourseRunFactory().id
    db.session.commit()

    @app.get("/test/las")
    def lock_while_reading():
        db.session.get(CourseRun, run_id)  # a GET reads from a snapshot, without the lock
        if request.args.get("annan") == "1":  # meanwhile another writer commits a change
            other = sqlite3.connect(database_file, isolation_level=None)
            other.execute("UPDATE course_runs SET capacity = capacity + 1 WHERE id = ?", (run_id,))
            other.close()
        try:
            lock_for_update(CourseRun, run_id)
        except OperationalError:
            db.session.rollback()
            return "refused"
        locked = not _writer_can_start(database_file)
        db.session.rollback()
        return f"locked={locked}"

    client = app.test_client()
    assert client.get("/test/las").text == "locked=True"
    # The snapshot is stale: counting from it could oversell, so SQLite refuses the upgrade.
    assert client.get("/test/las?annan=1").text == "refused"


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT 1",
        "  select id FROM users FOR UPDATE",
        "WITH held AS MATERIALIZED (SELECT 1 AS n) SELECT count(*) FROM held",
        "SET LOCAL plan_cache_mode = force_custom_plan",
    ],
)
def test_statements_that_cannot_write_let_a_reading_request_end_with_commit(statement):
    assert cannot_write(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO audit_entries (action) VALUES ('x')",
        "UPDATE users SET phone = NULL",
        "WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone",
        "WITH probe AS (SELECT 1 AS n) INSERT INTO t SELECT n FROM probe",
        "with probe as (select 1 as n) update t set n = 2",
        "WITH src AS (SELECT 1 AS n) MERGE INTO t USING src ON true WHEN MATCHED THEN DO NOTHING",
        "SET plan_cache_mode = force_custom_plan",  # outlives the transaction: not for a reading page
        "DELETE FROM users",
    ],
)
def test_anything_that_might_write_ends_the_request_as_before(statement):
    assert not cannot_write(statement)


def test_a_statements_verdict_is_read_once_and_stays_the_same():
    # Asked for every statement a reading request sends; the text is searched once per text.
    reading = "WITH facts AS MATERIALIZED (SELECT 1 AS updated_at) SELECT updated_at FROM facts"
    writing = "WITH facts AS (SELECT 1 AS n) UPDATE t SET n = 2"
    hits = _has_no_writing_word.cache_info().hits
    assert [cannot_write(reading), cannot_write(writing), cannot_write(reading), cannot_write(writing)] == [
        True,
        False,
        True,
        False,
    ]
    assert _has_no_writing_word.cache_info().hits >= hits + 2


def test_plan_for_values_lasts_for_its_transaction_only(db, db_engine_name, count_queries):
    with count_queries() as statements:
        plan_for_values()
    if db_engine_name != "postgresql":
        assert statements == []  # SQLite prepares nothing and has no such setting
        return
    assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
    db.session.commit()
    assert db.session.scalar(text("SHOW plan_cache_mode")) == "auto"


@pytest.fixture
def postgres(db_engine_name) -> None:
    if db_engine_name != "postgresql":
        pytest.skip("PostgreSQL's reading pages in autocommit; SQLite's snapshot is tested above")


def _in_transaction(db) -> bool:
    """Return whether the session's connection is inside a transaction on the server."""
    driver = db.session.connection().connection.driver_connection
    return driver.info.transaction_status != psycopg.pq.TransactionStatus.IDLE


def _capacity_seen_by_another_connection(db, run_id: int) -> int:
    with db.engine.connect() as other:
        return other.scalar(select(CourseRun.capacity).where(CourseRun.id == run_id))


@pytest.mark.own_app("adds a route that writes in a page")
def test_a_page_reads_without_a_transaction_and_its_first_write_opens_one(app, db, postgres):
    run = CourseRunFactory(capacity=12)
    run_id = run.id
    db.session.commit()

    @app.get("/test/las-sedan-skriv")
    def read_then_write():
        db.session.get(CourseRun, run_id)
        reading = _in_transaction(db)
        db.session.execute(update(CourseRun).where(CourseRun.id == run_id).values(capacity=20))
        writing = _in_transaction(db)
        # Not committed statement by statement: nobody else sees the change before the edge.
        seen = _capacity_seen_by_another_connection(db, run_id)
        db.session.rollback()  # the page fails: its write goes with it
        return f"{reading} {writing} {seen}"

    client = app.test_client()
    assert client.get("/test/las-sedan-skriv").text == "False True 12"
    db.session.rollback()  # the test's app context (and session) outlives each request
    assert _capacity_seen_by_another_connection(db, run_id) == 12


def _audit_rows_seen_by_another_connection(db, action: str) -> int:
    with db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


@pytest.mark.own_app("adds a route that writes an audit row in a page")
def test_a_pages_audit_row_is_a_transaction_of_its_own_and_a_later_write_opens_one(app, db, postgres):
    """The audit row of a sensitive read, committed at once, commits as it is written, without
    BEGIN and COMMIT; what the page writes after it is a transaction as before, and goes if the
    page fails. (An audit row not marked so goes with its transaction: test_reading_transactions.)"""
    run_id = CourseRunFactory(capacity=12).id
    reader = UserFactory(staff=True)
    db.session.commit()

    @app.get("/test/las-och-logga")
    def read_and_log():
        db.session.get(CourseRun, run_id)
        audit.record(reader, "test.read", obj=db.session.get(CourseRun, run_id), committed_at_once=True)
        after_audit = _in_transaction(db)
        logged = _audit_rows_seen_by_another_connection(db, "test.read")
        db.session.execute(update(CourseRun).where(CourseRun.id == run_id).values(capacity=20))
        writing = _in_transaction(db)
        db.session.rollback()  # the page fails after its read was logged
        return f"{after_audit} {logged} {writing}"

    assert app.test_client().get("/test/las-och-logga").text == "False 1 True"
    db.session.rollback()
    assert _audit_rows_seen_by_another_connection(db, "test.read") == 1
    assert _capacity_seen_by_another_connection(db, run_id) == 12


@pytest.mark.own_app("adds a route that writes and logs in a form's post")
def test_an_audit_row_of_a_form_post_goes_with_the_work_it_records_even_if_marked(app, db):
    run_id = CourseRunFactory(capacity=12).id
    actor = UserFactory(staff=True)
    db.session.commit()

    @app.post("/test/skriv-och-logga")
    def write_and_log():
        db.session.execute(update(CourseRun).where(CourseRun.id == run_id).values(capacity=20))
        audit.record(actor, "test.change", obj=db.session.get(CourseRun, run_id), committed_at_once=True)
        db.session.rollback()  # the rule broken: the change and its audit row both go
        return "ok"

    assert app.test_client().post("/test/skriv-och-logga").text == "ok"
    db.session.rollback()
    assert _audit_rows_seen_by_another_connection(db, "test.change") == 0
    assert _capacity_seen_by_another_connection(db, run_id) == 12


@pytest.mark.own_app("adds routes that probe the transaction")
def test_a_form_post_and_a_service_call_have_a_transaction_from_their_first_read(app, db, postgres):
    run_id = CourseRunFactory().id
    db.session.commit()

    @app.route("/test/transaktion", methods=["GET", "POST"])
    def probe():
        db.session.get(CourseRun, run_id)
        return str(_in_transaction(db))

    client = app.test_client()
    assert client.post("/test/transaktion").text == "True"
    assert client.get("/test/transaktion").text == "False"
    db.session.rollback()
    with app.test_request_context("/test/transaktion"):  # a GET, but not dispatched: a service call
        db.session.get(CourseRun, run_id)
        assert _in_transaction(db)
        db.session.rollback()


@pytest.mark.own_app("adds a route that locks a run")
def test_a_lock_or_a_setting_a_page_asks_for_lasts_until_the_page_ends(app, db, postgres):
    run_id = CourseRunFactory().id
    db.session.commit()

    @app.get("/test/las-och-plan")
    def lock_and_plan():
        db.session.get(CourseRun, run_id)
        lock_for_update(CourseRun, run_id)
        plan_for_values()
        with db.engine.connect() as other:
            try:
                other.execute(select(CourseRun.id).where(CourseRun.id == run_id).with_for_update(nowait=True))
            except OperationalError:
                held = "held"
            else:
                held = "free"
        mode = db.session.scalar(text("SHOW plan_cache_mode"))
        db.session.rollback()
        return f"{held} {mode}"

    assert app.test_client().get("/test/las-och-plan").text == "held force_custom_plan"
