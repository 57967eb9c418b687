"""The migrations build exactly the schema the models describe, and downgrade cleanly."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from coursehub import create_app
from coursehub.db import include_for_dialect
from coursehub.extensions import db


@contextmanager
def _fresh_database(template_database) -> Iterator[None]:
    """Inside an app context on an empty copy of the test database (no table, no alembic_version),
    for a test to upgrade and downgrade; the copy is dropped after, whatever the test did."""
    url, drop = template_database()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x",
            "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": sa.pool.NullPool},
        }
    )
    try:
        with app.app_context():
            db.drop_all()  # the copy comes with the models' schema; start from nothing
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            try:
                yield
            finally:
                db.engine.dispose()
    finally:
        drop()


def _not_search_structure(name, type_, parent_names) -> bool:
    """Leave out the forum's search index and FTS5 table: no model describes them (both are
    created beside the entries table, and by the migration; coursehub/forum/search_schema.py)."""
    from coursehub.forum.search_schema import is_search_structure

    return not is_search_structure(name)


# SQLAlchemy cannot read an index on an expression back from SQLite, and Alembic says so and leaves
# it out of the comparison there (the outbox's lower(recipient)); PostgreSQL compares it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(template_database):
    with _fresh_database(template_database):
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": include_for_dialect(conn.dialect.name),
                    "include_name": _not_search_structure,
                },
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"


_parts = sa.table("county_parts", sa.column("id"), sa.column("name"), sa.column("created_at"))


def _triggers(conn) -> set[str]:
    if conn.dialect.name == "postgresql":
        return set(conn.scalars(sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
    return set(conn.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))


def _mark(conn) -> int | None:
    return conn.scalar(sa.text("SELECT max(id) FROM reference_marks"))


def test_every_watched_table_has_its_triggers_after_the_migrations_and_they_move_the_mark(template_database):
    # A process holds the reference lists while the mark stays (coursehub.accounts.reference):
    # a watched table without its trigger would leave every process showing an old list. SQLite
    # drops a table's triggers when a batch migration rebuilds it; a later migration that does so
    # must make them again, and a table watched anew needs a migration that gives it its trigger.
    from coursehub.forum.search_schema import is_search_structure
    from coursehub.lib import change_marks

    url, drop = template_database()
    try:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:  # the models' schema, as the tests build it
            dialect = conn.dialect.name
            made_by_models = {name for name in _triggers(conn) if not is_search_structure(name)}
        engine.dispose()
    finally:
        drop()
    expected = change_marks.trigger_names(dialect)
    assert len(change_marks.WATCHED) == 7 and made_by_models == expected

    with _fresh_database(template_database):
        upgrade()
        with db.engine.begin() as conn:
            assert _triggers(conn) >= expected
            first = _mark(conn)
            assert first is not None  # the migration wrote the first mark
            conn.execute(sa.text("UPDATE municipalities SET name = name || '' WHERE id = 1"))
            moved = _mark(conn)
            conn.execute(
                sa.text(
                    "INSERT INTO county_part_municipalities (county_part_id, municipality_id) VALUES (:p, 1)"
                ),
                {
                    "p": conn.scalar(
                        sa.insert(_parts)
                        .values(name="Höglandet", created_at=datetime.now(UTC))
                        .returning(_parts.c.id)
                    )
                },
            )
            assert first < moved < _mark(conn)
            assert conn.scalar(sa.text("SELECT count(*) FROM reference_marks")) == 1
        downgrade(revision="a7e5c0d2f301")
        with db.engine.connect() as conn:
            assert _triggers(conn) & expected == set()
            if dialect == "postgresql":
                assert (
                    conn.scalar(
                        sa.text("SELECT count(*) FROM pg_proc WHERE proname = 'note_reference_change'")
                    )
                    == 0
                )


def test_downgrade_removes_every_table(template_database):
    with _fresh_database(template_database):
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()


SEATS_REVISION = "93e9f05c5ade"


def _insert_sign_ups(conn) -> dict[str, int]:
    """Insert, at the revision before seats_taken, two runs and sign-ups in every status."""
    from datetime import UTC, datetime, timedelta

    meta = sa.MetaData()
    meta.reflect(bind=conn)
    t = meta.tables
    now = datetime(2026, 9, 1, 8, tzinfo=UTC)
    if not conn.scalar(sa.select(sa.func.count()).select_from(t["municipalities"])):  # later: seeded
        conn.execute(
            sa.insert(t["municipalities"]),
            [{"id": 1, "name": "Jönköping", "code": "0680", "is_member": True}],
        )
    conn.execute(
        sa.insert(t["households"]),
        [
            {"id": h, "name": f"Familj {h}", "municipality_id": 1, "is_confirmed": True, "created_at": now}
            for h in range(1, 8)
        ],
    )
    conn.execute(
        sa.insert(t["users"]),
        [
            {
                "id": u,
                "email": f"u{u}@example.se",
                "username": f"u{u}",
                "full_name": f"Person {u}",
                "session_token": f"token{u}",
                "household_id": (u + 1) // 2,
                "created_at": now,
            }
            for u in range(1, 15)
        ],
    )
    conn.execute(
        sa.insert(t["course_types"]),
        [
            {
                "id": 1,
                "name": "Ett hem att växa i",
                "kind": "basic",
                "description": "",
                "audience": "",
                "allowed_absences": 0,
                "allows_makeup": True,
                "issues_certificate": False,
                "requires_municipal_approval": False,
                "created_at": now,
            }
        ],
    )
    conn.execute(
        sa.insert(t["course_runs"]),
        [
            {
                "id": r,
                "course_type_id": 1,
                "title": f"Omgång {r}",
                "edition": "",
                "status": "published",
                "capacity": 10,
                "signup_opens_at": now,
                "signup_closes_at": now + timedelta(days=9),
                "is_open_to_all": True,
                "description": "",
                "contact_name": "",
                "contact_email": "",
                "created_at": now,
            }
            for r in (1, 2, 3)
        ],
    )
    conn.execute(
        sa.insert(t["course_sessions"]),
        [
            {
                "id": r,
                "run_id": r,
                "title": "Träff",
                "starts_at": now + timedelta(days=10),
                "ends_at": now + timedelta(days=10, hours=3),
                "status": "scheduled",
                "revision": 0,
            }
            for r in (1, 2, 3)
        ],
    )
    # (run, household, status, makeup session, persons): households 1-7 have 2 adults each.
    sign_ups = [
        (1, 1, "confirmed", None, 2),
        (1, 2, "pending", None, 1),
        (1, 3, "offered", None, 2),
        (1, 4, "waitlisted", None, 2),
        (1, 5, "cancelled", None, 2),
        (1, 6, "declined", None, 1),
        (2, 7, "confirmed", 2, 1),
        (2, 1, "cancelled", 2, 2),
    ]
    for number, (run, household, status, makeup, persons) in enumerate(sign_ups, start=1):
        conn.execute(
            sa.insert(t["enrollments"]).values(
                id=number,
                run_id=run,
                household_id=household,
                makeup_session_id=makeup,
                scope=f"session:{makeup}" if makeup else "run",
                status=status,
                waitlist_position=1 if status == "waitlisted" else None,
                offer_expires_at=now + timedelta(days=2) if status == "offered" else None,
                needs_approval=False,
                needs_diet="",
                needs_accessibility="",
                needs_interpreter="",
                cancel_reason="",
                created_at=now,
            )
        )
        conn.execute(
            sa.insert(t["enrollment_persons"]),
            [{"enrollment_id": number, "user_id": household * 2 - k} for k in range(persons)],
        )
    return {
        name: conn.scalar(sa.select(sa.func.count()).select_from(t[name]))
        for name in ("course_sessions", "enrollments", "enrollment_persons")
    }


def _row_counts(conn, tables) -> dict[str, int]:
    return {name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in tables}


def test_seats_taken_is_filled_from_the_sign_ups_and_every_row_stays(template_database):
    with _fresh_database(template_database):
        upgrade(revision="50ab22d3bf6f")
        with db.engine.begin() as conn:
            before = _insert_sign_ups(conn)
        upgrade(revision=SEATS_REVISION)
        with db.engine.begin() as conn:
            # Pending, confirmed and offered hold seats (2 + 1 + 2); a make-up holds one of
            # its run's; waiting, cancelled and declined hold none; a run without sign-ups 0.
            taken = dict(conn.execute(sa.text("SELECT id, seats_taken FROM course_runs")).all())
            assert taken == {1: 5, 2: 1, 3: 0}
            # Rebuilding course_runs (SQLite's batch mode) deleted no row that refers to it.
            assert before == _row_counts(conn, before)
        with db.engine.connect() as conn:
            try:
                conn.execute(sa.text("UPDATE course_runs SET seats_taken = -1 WHERE id = 3"))
            except sa.exc.IntegrityError as error:
                assert "seats_taken_not_negative" in str(error) or "CHECK" in str(error)
            else:
                raise AssertionError("a negative seats_taken was accepted")
            conn.rollback()
        downgrade(revision="50ab22d3bf6f")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("course_runs")}
        assert "seats_taken" not in columns and "capacity" in columns
        with db.engine.begin() as conn:
            assert before == _row_counts(conn, before)


TALLIES_REVISION = "a1e5c0d2ed01"


def _insert(conn, table: str, **values) -> None:
    conn.execute(sa.insert(sa.table(table, *(sa.column(name) for name in values))).values(**values))


def _insert_answered_evaluations(conn) -> None:
    """A form with an indicator and a text, a closed evaluation with four responses, an open one
    with one."""
    created = datetime(2025, 1, 1, tzinfo=UTC)
    _insert(conn, "evaluation_forms", id=1, name="Årsenkät", purpose="survey", created_at=created)
    _insert(
        conn, "evaluation_form_versions", id=1, form_id=1, number=1, created_at=created, published_at=created
    )
    for qid in (1, 2, 3):
        _insert(
            conn,
            "evaluation_questions",
            id=qid,
            version_id=1,
            position=qid,
            kind="rating" if qid < 3 else "text",
            text=f"Fråga {qid}",
            is_required=False,
            low_label="",
            high_label="",
            is_indicator=qid == 1,
        )
    for eid, closed in ((1, datetime(2025, 12, 31, 0, 15, tzinfo=UTC)), (2, None)):
        _insert(
            conn,
            "evaluations",
            id=eid,
            version_id=1,
            survey_year=2024 + eid,
            title="Årsenkät",
            created_at=datetime(2025, 12, 1, tzinfo=UTC),
            opens_at=datetime(2025, 12, 1, tzinfo=UTC),
            closes_at=datetime(2025, 12, 30, tzinfo=UTC),
            remind_at=datetime(2025, 12, 20, tzinfo=UTC),
            closed_at=closed,
            invited_count=9,
        )
    # Evaluation 1: the indicator rated 5, 5, 3 and once left out; question 2 rated 5, 5 and 1;
    # two texts that may be quoted, one that may not, one empty. Evaluation 2 (open): one response.
    answered = [
        (1, 5, 5, "Bra", True),
        (1, 5, None, "Hemligt", False),
        (1, 3, 5, "", True),
        (1, None, 1, "Lärorikt", True),
        (2, 5, None, "Öppen", True),
    ]
    for n, (eid, indicator, other, text, may_quote) in enumerate(answered, start=1):
        _insert(
            conn,
            "evaluation_responses",
            id=f"r{n}",
            evaluation_id=eid,
            answered_on=date(2025, 12, 10),
            may_quote=may_quote,
        )
        for qid, value in ((1, indicator), (2, other)):
            if value is not None:
                _insert(conn, "evaluation_answers", response_id=f"r{n}", question_id=qid, value=value)
        _insert(conn, "evaluation_answers", response_id=f"r{n}", question_id=3, text=text)


def test_the_figures_of_evaluations_already_closed_are_counted(template_database):
    with _fresh_database(template_database):
        upgrade(revision="ffd5c0d2ec01")
        with db.engine.begin() as conn:
            _insert_answered_evaluations(conn)
        upgrade(revision=TALLIES_REVISION)
        with db.engine.begin() as conn:
            figures = conn.execute(
                sa.text(
                    "SELECT id, response_count, indicator_top, indicator_answered, quote_count"
                    " FROM evaluations"
                )
            ).all()
        # The closed one: four responses, two top answers of three to the indicator, two
        # quotable texts; the open one is counted by the closing job, when all is in.
        assert sorted(tuple(row) for row in figures) == [(1, 4, 2, 3, 2), (2, None, None, None, None)]
        downgrade(revision="ffd5c0d2ec01")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("evaluations")}
        assert "response_count" not in columns and "invited_count" in columns
        with db.engine.begin() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM evaluation_answers")) == 12


TAKEN_REVISION = "a3e5c0d2ef01"


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_a_session_with_marks_is_noted_as_taken_at_its_first_mark(template_database):
    with _fresh_database(template_database):
        upgrade(revision="a2e5c0d2ee01")
        first = datetime(2026, 9, 11, 11, 5, tzinfo=UTC)
        with db.engine.begin() as conn:
            _insert_sign_ups(conn)
            # Session 1: two marks, the later one recorded first; sessions 2 and 3: none.
            for user_id, recorded_at in ((1, first + timedelta(minutes=30)), (2, first)):
                _insert(
                    conn,
                    "attendance_marks",
                    session_id=1,
                    user_id=user_id,
                    status="present",
                    remark="",
                    recorded_at=recorded_at,
                )
        upgrade(revision=TAKEN_REVISION)
        with db.engine.begin() as conn:
            taken = dict(conn.execute(sa.text("SELECT id, attendance_taken_at FROM course_sessions")).all())
        assert set(taken) == {1, 2, 3} and taken[2] is None and taken[3] is None
        # SQLite gives the stored text back; both say the same moment.
        assert str(taken[1]).startswith("2026-09-11 11:05:00"), taken
        downgrade(revision="a2e5c0d2ee01")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("course_sessions")}
        assert "attendance_taken_at" not in columns and "reminded_at" in columns


INDICATOR_TALLIES_REVISION = "a4e5c0d2f001"


def test_the_indicator_figures_of_evaluations_already_counted_are_stored(template_database):
    with _fresh_database(template_database):
        upgrade(revision="ffd5c0d2ec01")
        with db.engine.begin() as conn:
            _insert_answered_evaluations(conn)
        upgrade(revision=TAKEN_REVISION)
        upgrade(revision=INDICATOR_TALLIES_REVISION)
        with db.engine.begin() as conn:
            stored = conn.execute(
                sa.text("SELECT evaluation_id, question_id, top, answered FROM evaluation_indicator_tallies")
            ).all()
        # The counted (closed) one: its indicator rated 5, 5 and 3 (left out once); question 2 is
        # no indicator. The open one is counted by the closing job, when all is in.
        assert [tuple(row) for row in stored] == [(1, 1, 2, 3)]
        downgrade(revision=TAKEN_REVISION)
        assert "evaluation_indicator_tallies" not in sa.inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM evaluation_answers")) == 12
