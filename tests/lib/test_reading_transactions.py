"""A request that only read ends its transaction with COMMIT; anything else is rolled back as before.

To PostgreSQL the two are the same when nothing was written, but psycopg forgets the statements it
prepared on a connection at every ROLLBACK, so that each page planned each statement anew
(coursehub/lib/work.py, end_reading_transaction; issue 24). These tests show both sides: the
prepared statements stay, and no write that a request did not commit is ever kept.

They use an app of their own with a pool that keeps its connection, as a server's does, and without
the test's open app context, so that each request has its own, as in a server: the `app` fixture's
NullPool opens a new connection for every request, and its open context keeps one transaction
across requests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from coursehub import create_app
from coursehub.accounts.audit import record
from coursehub.accounts.models import AuditEntry
from coursehub.courses.models import CourseRun
from coursehub.extensions import db as _db


@pytest.fixture
def server_like(app):
    """An app on the test's database with a kept connection, and pages that read, that write
    without committing, that leave a change unflushed, and that fail after a write."""
    own = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1},
            "COURSEHUB_SCHEDULER": "",
            "RATELIMIT_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": False,
        }
    )

    def runs() -> str:
        return str(_db.session.scalar(select(func.count()).select_from(CourseRun)))

    def runs_through_a_cte() -> str:
        ids = select(CourseRun.id).cte("run_ids")  # the report's figures read like this
        return str(_db.session.scalar(select(func.count()).select_from(ids)))

    def write_through_a_cte_and_forget() -> str:
        _db.session.execute(
            text(
                "WITH probe AS (SELECT 4 AS object_id) INSERT INTO audit_entries "
                "(at, actor_roles, action, object_type, object_id, outcome) "
                "SELECT CURRENT_TIMESTAMP, '', 'test.cte', 'probe', object_id, 'ok' FROM probe"
            )
        )
        return runs()

    def write_and_forget() -> str:
        record(None, "test.uncommitted", object_type="probe", object_id=1)  # flushes, never commits
        return runs()

    def add_and_forget() -> str:
        runs()
        _db.session.add(AuditEntry(actor_roles="", action="test.unflushed", object_type="probe", object_id=2))
        return "ok"

    def write_and_fail() -> str:
        record(None, "test.failed", object_type="probe", object_id=3)
        raise RuntimeError("the page broke after its write")

    own.add_url_rule("/test/las", "test_read", runs)
    own.add_url_rule("/test/las-med-cte", "test_read_cte", runs_through_a_cte)
    own.add_url_rule("/test/skriv-med-cte", "test_write_cte", write_through_a_cte_and_forget)
    own.add_url_rule("/test/skriv-utan-commit", "test_write", write_and_forget)
    own.add_url_rule("/test/lagg-till", "test_add", add_and_forget)
    own.add_url_rule("/test/skriv-och-fall", "test_fail", write_and_fail)
    yield own
    with own.app_context():
        _db.engine.dispose()


def _in(app, statement: str) -> int:
    with app.app_context():
        return _db.session.scalar(text(statement))


def test_a_page_read_again_and_again_keeps_its_prepared_statements(db_engine_name, server_like):
    if db_engine_name != "postgresql":
        pytest.skip("prepared statements are psycopg's; SQLite ends every transaction as before")
    client = server_like.test_client()
    for _ in range(8):  # psycopg prepares a statement at its fifth run on a connection
        assert client.get("/test/las").status_code == 200
    assert _in(server_like, "SELECT count(*) FROM pg_prepared_statements") >= 1


def test_a_page_that_reads_through_a_cte_keeps_its_prepared_statements_too(db_engine_name, server_like):
    if db_engine_name != "postgresql":
        pytest.skip("prepared statements are psycopg's; SQLite ends every transaction as before")
    client = server_like.test_client()
    for _ in range(8):
        assert client.get("/test/las-med-cte").status_code == 200
    prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH run_ids%'"
    assert _in(server_like, prepared) == 1


def test_a_request_that_wrote_without_committing_keeps_nothing(server_like):
    client = server_like.test_client()
    assert client.get("/test/skriv-med-cte").status_code == 200
    assert client.get("/test/skriv-utan-commit").status_code == 200
    assert client.get("/test/lagg-till").status_code == 200
    assert client.get("/test/skriv-och-fall").status_code == 500
    assert client.get("/test/las").status_code == 200
    assert _in(server_like, "SELECT count(*) FROM audit_entries WHERE object_type = 'probe'") == 0


def test_after_any_page_the_next_user_of_the_connection_writes_in_a_transaction(server_like):
    # On PostgreSQL a page reads in autocommit (lib/database.py); the pool's one connection must
    # come back from every page, one that failed too, ready for a transaction again.
    client = server_like.test_client()
    assert client.get("/test/las").status_code == 200
    assert client.get("/test/skriv-och-fall").status_code == 500
    assert client.get("/test/las").status_code == 200
    with server_like.app_context():
        record(None, "test.rolled-back", object_type="probe", object_id=5)  # a job's write, say
        _db.session.rollback()
    assert _in(server_like, "SELECT count(*) FROM audit_entries WHERE object_type = 'probe'") == 0
