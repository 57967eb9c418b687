"""Shared fixtures: an app with a clean database per test, a frozen clock, logins, real SMTP.

The database is SQLite by default; `--db=postgresql` (or DATABASE_URL=postgresql...) runs the same
tests against a throwaway PostgreSQL cluster. The schema is built once per run into a template,
and every test gets its own copy of it, so tests may commit as the application does. The app
itself is made once per run and lent to each test as it was made (`SharedApp`), unless a module
asks for settings of its own.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from coursehub import clock as app_clock
from coursehub import create_app
from coursehub.extensions import db as _db
from coursehub.extensions import limiter
from coursehub.web import FACTS_HINT, facts_hint
from tests.support import require
from tests.support.postgres import ReusedDatabase, postgres_available, start_cluster
from tests.support.smtp import SmtpServer

# Hypothesis (tests/fuzz/): "ci" is bounded and derandomized, so a CI run is repeatable and stays
# within a few minutes per database leg on two cores; "dev" tries more and keeps what failed in an
# example database outside the repository. CI=true picks "ci"; HYPOTHESIS_PROFILE overrides.
_SLOW_IS_EXPECTED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# No shrinking: one example is a whole request with its setup, and shrinking a failing form post
# ran for minutes; the failing example is printed as it was found.
_NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
settings.register_profile(
    "ci",
    max_examples=6,
    deadline=timedelta(seconds=10),
    derandomize=True,
    database=None,
    print_blob=True,
    phases=_NO_SHRINK,
    suppress_health_check=_SLOW_IS_EXPECTED,
)
settings.register_profile(
    "dev",
    max_examples=40,
    deadline=timedelta(seconds=10),
    database=DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "coursehub-hypothesis"),
    phases=_NO_SHRINK,
    suppress_health_check=_SLOW_IS_EXPECTED,
)
# The PostgreSQL leg tries 3 examples per form and role instead of 6 (pytest_configure): the fuzz
# finds input-handling defects, which do not depend on the database, so every form and role is
# still posted to there, and the SQLite leg tries the full profile.
settings.register_profile("ci-postgresql", parent=settings.get_profile("ci"), max_examples=3)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
settings.load_profile(_PROFILE)

# A Tuesday morning in autumn term, before most test courses start.
DEFAULT_NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("COURSEHUB_TEST_DB", "sqlite"),
        help="database the tests run on",
    )
    parser.addoption(
        "--tests",
        choices=("all", "per-database", "once"),
        default="all",
        help=(
            "which tests: all (on PostgreSQL, those that touch the database), per-database (only "
            "those, on either database), or once (only those that are the same on every database)"
        ),
    )


# What runs once rather than on each database. A test means something on PostgreSQL when it
# touches SQL: services, queries, views, migrations, races, search. One that never opens the test
# database (none of DATABASE_FIXTURES in its fixtures: pure lib functions, the support self-checks)
# or that checks what does not depend on the database (the files below) runs once, on SQLite:
# `make test` runs them after the PostgreSQL leg (`--tests=once`), and each database leg leaves
# them out (`--tests=per-database`); they are deselected, not skipped, and the leg's summary line
# says how many and why. The browser journeys that save data, the fuzz and every race stay on both.
DATABASE_FIXTURES = frozenset(
    {"app", "db", "app_database", "template_database", "pg_cluster", "db_engine_name"}
)
SQLITE_ONLY_FILES = {
    # The HTML, axe-core and width checks of every page: markup is the same on every database.
    "tests/browser/test_every_page.py": "the HTML and accessibility of pages",
    "tests/test_i18n.py": "the translation catalogue",
    "tests/test_glossary.py": "words on pages",
    "tests/test_architecture.py": "imports between areas",
    "tests/test_conventions.py": "code conventions",
    "tests/test_views_conventions.py": "code conventions",
    # Response headers set by one after_request hook, whatever the database.
    "tests/test_headers.py": "response headers",
    # The models' indexes, checked for PostgreSQL and SQLite alike from the models alone.
    "tests/test_indexes.py": "the models' indexes",
}


def sqlite_only_reason(item) -> str | None:
    """Why `item` runs on the SQLite leg only, or None when it runs on both."""
    marker = item.get_closest_marker("sqlite_only")
    if marker is not None:
        return marker.kwargs.get("reason") or (marker.args[0] if marker.args else "marked sqlite_only")
    path = Path(str(item.path)).resolve().relative_to(Path(__file__).resolve().parent.parent).as_posix()
    if path in SQLITE_ONLY_FILES:
        return SQLITE_ONLY_FILES[path]
    if not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return "no database"
    return None


def pytest_collection_modifyitems(config, items):
    """Keep the tests `--tests` and `--db` ask for. `make test` (scripts/run-tests.sh) runs the
    per-database tests on each database, one leg per core, and the tests that are the same on
    every database once, on SQLite, after the PostgreSQL leg: the legs then end about together."""
    part = config.getoption("--tests")
    if part == "all" and config.getoption("--db") != "postgresql":
        return
    once = part == "once"
    kept: list = []
    left: list = []
    for item in items:
        (kept if (sqlite_only_reason(item) is not None) == once else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
    if not once:
        config.stash[_LEFT_TO_SQLITE] = Counter(sqlite_only_reason(item) for item in left)


_LEFT_TO_SQLITE = pytest.StashKey[Counter]()


def _leg_profile(config) -> str:
    return "ci-postgresql" if _PROFILE == "ci" and config.getoption("--db") == "postgresql" else _PROFILE


def pytest_configure(config):
    settings.load_profile(_leg_profile(config))


def pytest_report_header(config):
    return f"coursehub database leg: {config.getoption('--db')}, hypothesis profile: {_leg_profile(config)}"


@pytest.fixture(scope="session")
def db_engine_name(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture
def postgres_only(db_engine_name):
    """Skip a test of what a plan reads (EXPLAIN ANALYZE's rows and buffers) on SQLite, which has
    no such figures; the scale tests of every area take it."""
    if db_engine_name != "postgresql":
        pytest.skip("the rows and buffers a plan reads are PostgreSQL's to count (EXPLAIN ANALYZE)")


@pytest.fixture(scope="session")
def pg_cluster(db_engine_name):
    if db_engine_name != "postgresql":
        yield None
        return
    require(postgres_available(), "PostgreSQL server binaries")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


def _base_config(database_url: str) -> dict:
    return {
        "ENV_NAME": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": sa.pool.NullPool},
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        "SERVER_NAME_FOR_LINKS": "http://coursehub.test",
        "COURSEHUB_SCHEDULER": "",
        # Uploaded files of every test go to one folder of the system's temporary files; a test
        # that looks at the folder sets its own (tmp_path) through `app_config`.
        "COURSEHUB_UPLOAD_DIR": os.path.join(tempfile.gettempdir(), "coursehub-test-uploads"),
    }


@pytest.fixture(scope="session")
def template_database(db_engine_name, pg_cluster, tmp_path_factory):
    """Build the schema once per run; return a function that makes a fresh copy's URL."""
    if db_engine_name == "postgresql":
        template_url = pg_cluster.url_for("coursehub_template")
        pg_cluster.create_database("coursehub_template")
    else:
        template_file = tmp_path_factory.mktemp("db") / "template.sqlite"
        template_url = f"sqlite:///{template_file}"
    app = create_app(_base_config(template_url))
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()

    if db_engine_name == "postgresql":
        admin = sa.create_engine(pg_cluster.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

        def make_copy():
            name = f"t_{uuid.uuid4().hex[:12]}"
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE coursehub_template'))

            def drop():
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

            return pg_cluster.url_for(name), drop

        yield make_copy
        admin.dispose()
    else:

        def make_copy(target: Path | None = None):
            target = target or template_file.with_name(f"t_{uuid.uuid4().hex[:12]}.sqlite")
            # A copy laid over an earlier one must not meet that one's write-ahead log.
            for leftover in ("-wal", "-shm"):
                target.with_name(target.name + leftover).unlink(missing_ok=True)
            shutil.copyfile(template_file, target)
            return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)

        yield make_copy


@pytest.fixture(scope="session")
def app_database(db_engine_name, pg_cluster, template_database, tmp_path_factory):
    """Return a function giving one test its database: (URL, what to do when the test is over).

    SQLite: a copy of the template file per test (a millisecond); with `fixed=True` the copy is
    laid at the same place every time, so that the URL stays and the shared app (`SharedApp`) can
    be lent again. PostgreSQL: one copy of the template that every test uses in turn and that is
    emptied after each (`ReusedDatabase`: a fresh copy per test cost half a second), at one URL
    either way. A test that needs a database of its own beside the app's asks `template_database`
    for a copy.
    """
    if db_engine_name != "postgresql":
        fixed_place = tmp_path_factory.mktemp("shared-db") / "app.sqlite"
        yield lambda fixed=False: template_database(fixed_place if fixed else None)
        return
    reused = ReusedDatabase(pg_cluster, "coursehub_template")
    yield lambda fixed=False: (reused.url(), reused.empty)
    reused.close()


@pytest.fixture
def app_config() -> dict:
    """Extra settings for one test's app; override in a module to change them."""
    return {}


class FreshGClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The `app` fixture keeps one app context open for the whole test and Flask reuses it for each
    request, so without this `g` would carry Flask-Login's loaded user (and Babel's locale) from
    one request to the next: a replayed cookie could then pass or fail for the wrong reason.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name, None)
        return super().open(*args, **kwargs)


def _new_app(url: str, settings: dict) -> Flask:
    app = create_app({**_base_config(url), **settings})
    app.test_client_class = FreshGClient
    return app


class SharedApp:
    """An app with the tests' default settings, lent to one test after another.

    `create_app` costs a fifth of a second: Werkzeug compiles a URL builder for each of some 240
    routes. Made once per run instead of once per test, that is about ten minutes less for each
    database leg. A test must still meet the app as a fresh one would be, so each loan starts from
    the settings and the extensions' entries as they were when the app was made (a test's changes
    to `app.config`, the SMTP fixture's mail settings, the layout's cached links). A test that
    changes what the app is made of (adds a route, a request hook, a template global or a database
    event listener) leaves it unfit to lend again: `whole()` then says no and the next test gets
    a new one.
    """

    def __init__(self, url: str) -> None:
        self.app = _new_app(url, {})
        self._settings = copy.deepcopy(dict(self.app.config))
        self._extensions = self._entries(self.app.extensions)
        self._shape = self._shape_of(self.app)

    @staticmethod
    def _entries(extensions: dict) -> dict:
        # The lists and dicts that areas fill at start (menus, personal-data providers, jobs) are
        # copied, so that a test that appends to one appends to its own loan's copy.
        return {
            key: copy.copy(value) if isinstance(value, list | dict) else value
            for key, value in extensions.items()
        }

    @staticmethod
    def _shape_of(app: Flask) -> tuple:
        hooks = (
            app.before_request_funcs,
            app.after_request_funcs,
            app.teardown_request_funcs,
            app.template_context_processors,
            app.url_value_preprocessors,
            app.url_default_functions,
            app.error_handler_spec,
        )
        with app.app_context():
            engine = _db.engine
        events = ("before_cursor_execute", "after_cursor_execute", "begin", "commit", "rollback")
        return (
            sorted(rule.endpoint + " " + rule.rule for rule in app.url_map.iter_rules()),
            [sum(len(value) for value in hook.values()) for hook in hooks],
            len(app.teardown_appcontext_funcs),
            sorted(app.jinja_env.globals),
            sorted(app.jinja_env.filters),
            [len(getattr(engine.dispatch, name)) for name in events],
            [len(getattr(engine.pool.dispatch, name)) for name in ("connect", "checkout")],
        )

    def lend(self) -> Flask:
        """Return the app with its settings and extensions as they were when it was made."""
        self.app.config.clear()
        self.app.config.update(copy.deepcopy(self._settings))
        self.app.extensions.clear()
        self.app.extensions.update(self._entries(self._extensions))
        return self.app

    def whole(self) -> bool:
        """Say whether the app is still made of what it was made of (routes, hooks, listeners)."""
        return self._shape_of(self.app) == self._shape


@pytest.fixture(scope="session")
def shared_apps() -> dict[str, SharedApp]:
    """The shared app of this run, by database URL: one, as a leg's URL stays; a spoilt one is dropped."""
    return {}


@pytest.fixture
def app(request, app_database, app_config, shared_apps):
    """The app of one test, in an app context, with a fresh database and the clock frozen.

    With the default settings the app is the run's shared one (`SharedApp`); a module that asks
    for other settings (`app_config`), or a test marked `own_app` because it adds routes or hooks,
    gets an app of its own.
    """
    shared = None
    if app_config or request.node.get_closest_marker("own_app"):
        url, drop = app_database()
        app = _new_app(url, app_config)
    else:
        url, drop = app_database(fixed=True)
        if url not in shared_apps:
            shared_apps[url] = SharedApp(url)
        shared = shared_apps[url]
        app = shared.lend()
    app_clock.freeze(app, DEFAULT_NOW)
    if app.config["RATELIMIT_ENABLED"]:
        limiter.reset()  # the memory store belongs to the one Limiter object of the process
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    if shared is not None and not shared.whole():
        del shared_apps[url]
    drop()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle, inside the test's app context."""
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Clock:
    """Freeze and move the application's clock."""

    def __init__(self, app):
        self.app = app

    def set(self, moment: datetime) -> datetime:
        app_clock.freeze(self.app, moment)
        return moment

    def advance(self, **delta) -> datetime:
        from datetime import timedelta

        return app_clock.advance(self.app, timedelta(**delta))

    @property
    def now(self) -> datetime:
        return app_clock.now()


@pytest.fixture
def clock(app) -> Clock:
    return Clock(app)


@pytest.fixture
def login_as(app):
    """Log `user` in on `client` the way the login view does, without the password round-trip."""

    def _login(client, user):
        now = app_clock.now().timestamp()
        with client.session_transaction() as session:
            session.clear()
            session["_user_id"] = user.session_token
            session["_fresh"] = True
            session["login_at"] = session["seen_at"] = now
            with app.app_context():
                session[FACTS_HINT] = facts_hint(user)  # as the login's signal notes it (web.py)
        return client

    return _login


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1, with the app's mail settings pointing at it."""
    server = SmtpServer().start()
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_USE_TLS=False)
    from coursehub.extensions import mail

    mail.init_app(app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, one per test process (Playwright allows one)."""
    from tests.support.browser import chromium_available, launch_chromium

    require(chromium_available(), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        statements: list[str] = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        engine = _db.engine
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return _count


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say which legs ran: the database, and how many browser journeys passed or were skipped."""
    browser = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in browser:
        for report in terminalreporter.stats.get(outcome, []):
            if "browser" in getattr(report, "keywords", {}):
                browser[outcome] += 1
    terminalreporter.write_line(
        f"coursehub leg: database={config.getoption('--db')}, browser journeys "
        f"passed={browser['passed']} failed={browser['failed']} skipped={browser['skipped']}"
    )
    left = config.stash.get(_LEFT_TO_SQLITE, Counter())
    if left:
        reasons = ", ".join(f"{count} {reason}" for reason, count in left.most_common())
        terminalreporter.write_line(
            f"coursehub leg: {sum(left.values())} tests left to the run of the tests that are the "
            f"same on every database, on SQLite ({reasons}; tests/conftest.py SQLITE_ONLY_FILES)"
        )
