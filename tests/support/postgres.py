"""Throwaway PostgreSQL clusters for tests, started from the Debian server binaries."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PG_ROOT = "/usr/lib/postgresql"
# initdb refuses to run as root, so as root everything runs as this system user.
PG_USER = "postgres"
_TOOLS = ("initdb", "pg_ctl", "postgres")
_LOG_TAIL_LINES = 40


def find_bin_dir() -> Path | None:
    """Return the bin directory of the highest installed PostgreSQL version, or None."""
    candidates = []
    for path in glob.glob(os.path.join(PG_ROOT, "*", "bin")):
        version = Path(path).parent.name
        if not re.fullmatch(r"\d+(\.\d+)?", version):
            continue
        if all(os.access(os.path.join(path, tool), os.X_OK) for tool in _TOOLS):
            candidates.append((tuple(int(part) for part in version.split(".")), Path(path)))
    if not candidates:
        return None
    return max(candidates)[1]


def _running_as_root() -> bool:
    return os.geteuid() == 0


def postgres_available() -> bool:
    """Return whether a throwaway cluster can be started on this machine."""
    if find_bin_dir() is None:
        return False
    if _running_as_root():
        if shutil.which("runuser") is None:
            return False
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on host that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"(no log at {path}: {error})"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Cluster:
    """A running PostgreSQL cluster in a temporary directory, reachable over TCP on 127.0.0.1."""

    bin_dir: Path
    base_dir: Path
    port: int
    host: str = "127.0.0.1"
    user: str = PG_USER
    _running: bool = field(default=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "log"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the default database (psycopg 3 driver)."""
        return self.url_for("postgres")

    @property
    def dsn(self) -> str:
        """Plain libpq URL of the default database, for psycopg.connect()."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        """Return the SQLAlchemy URL of another database in this cluster."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"unsafe database name: {name!r}")
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if _running_as_root():
            command = ["runuser", "-u", PG_USER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.base_dir)

    def _fail(self, what: str, result: subprocess.CompletedProcess[str]) -> RuntimeError:
        return RuntimeError(
            f"{what} failed (exit {result.returncode}) for cluster in {self.base_dir}\n"
            f"--- stdout ---\n{result.stdout.strip()}\n"
            f"--- stderr ---\n{result.stderr.strip()}\n"
            f"--- server log tail ({self.log_path}) ---\n{_tail(self.log_path)}"
        )

    def _start(self) -> None:
        result = self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if result.returncode != 0:
            raise self._fail("initdb", result)
        server_options = (
            f"-p {self.port} -k {self.base_dir} -c listen_addresses={self.host}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_path),
            "-w",
            "-o",
            server_options,
            "start",
        )
        if result.returncode != 0:
            raise self._fail("pg_ctl start", result)
        self._running = True

    def stop(self) -> None:
        """Stop the server and delete the cluster's directory."""
        if self._running:
            result = self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
            if result.returncode != 0:
                # Keep the directory: the server may still be running on it, and the log helps.
                raise self._fail("pg_ctl stop", result)
            self._running = False
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_cluster() -> Cluster:
    """Create and start a fresh cluster on a free port; call stop() to remove it."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError(f"no PostgreSQL server binaries under {PG_ROOT}/*/bin")
    base_dir = Path(tempfile.mkdtemp(prefix="pg-test-"))
    if _running_as_root():
        # The data directory and socket directory must belong to the user running the server.
        shutil.chown(base_dir, PG_USER, PG_USER)
    cluster = Cluster(bin_dir=bin_dir, base_dir=base_dir, port=free_port())
    try:
        cluster._start()
    except BaseException:
        _discard(cluster)
        raise
    return cluster


def _discard(cluster: Cluster) -> None:
    # Best effort after a failed start: stop whatever did come up, then remove the files.
    if cluster.data_dir.joinpath("postmaster.pid").exists():
        cluster._run("pg_ctl", "-D", str(cluster.data_dir), "-m", "immediate", "-w", "stop")
    shutil.rmtree(cluster.base_dir, ignore_errors=True)


class ReusedDatabase:
    """One copy of a template database that test after test uses, emptied in between.

    Making a copy (`CREATE DATABASE ... TEMPLATE`) and dropping it took about half a second per test
    on two busy cores, most of the PostgreSQL leg's extra time; emptying the tables takes a few
    dozen milliseconds. `empty()` leaves the copy as a fresh one would be: it ends every other
    session still on it (what `DROP DATABASE ... WITH (FORCE)` did to a test's leftovers), deletes
    every row with the foreign-key triggers off, and restarts every sequence a test used, so ids
    begin at 1 again. When a test changed the tables themselves, or emptying fails, the copy is
    dropped and the next `url()` makes a new one.
    """

    def __init__(self, cluster: Cluster, template: str, name: str = "coursehub_test") -> None:
        import sqlalchemy as sa

        self.cluster, self.template, self.name = cluster, template, name
        self._admin = sa.create_engine(cluster.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self._engine: sa.Engine | None = None  # one connection to the copy, kept between tests
        self._tables: frozenset[str] = frozenset()

    def url(self) -> str:
        """Return the copy's SQLAlchemy URL, making the copy first when there is none."""
        import sqlalchemy as sa

        if self._engine is None:
            with self._admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
                conn.execute(sa.text(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"'))
            self._engine = sa.create_engine(self.cluster.url_for(self.name), pool_size=1, max_overflow=0)
            with self._engine.connect() as conn:
                self._tables = frozenset(conn.execute(sa.text(_TABLES)).scalars())
        return self.cluster.url_for(self.name)

    def empty(self) -> None:
        """Leave the copy as fresh as the template; drop it when that cannot be done."""
        import sqlalchemy as sa

        if self._engine is None:
            return
        try:
            with self._engine.begin() as conn:
                conn.execute(sa.text(_END_OTHER_SESSIONS))
                tables = frozenset(conn.execute(sa.text(_TABLES)).scalars())
                if tables != self._tables:
                    raise RuntimeError(f"a test changed the tables: {sorted(tables ^ self._tables)}")
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
                conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
                # The statements are written by the server (format's %I quotes each name).
                conn.execute(sa.text(conn.execute(sa.text(_DELETE_EVERY_ROW)).scalar_one()))
                restart = conn.execute(sa.text(_RESTART_USED_SEQUENCES)).scalar_one()
                if restart:
                    conn.execute(sa.text(restart))
        except Exception:
            self.drop()
            raise

    def drop(self) -> None:
        """Drop the copy (the next `url()` makes a new one)."""
        import sqlalchemy as sa

        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        with self._admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    def close(self) -> None:
        """Drop the copy and let go of the cluster."""
        self.drop()
        self._admin.dispose()


_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
# pg_terminate_backend waits up to 5 s for each session to end, so its locks are gone after it.
_END_OTHER_SESSIONS = (
    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
_DELETE_EVERY_ROW = (
    "SELECT string_agg(format('DELETE FROM %I.%I', schemaname, tablename), '; ') "
    "FROM pg_tables WHERE schemaname = 'public'"
)
_RESTART_USED_SEQUENCES = (
    "SELECT string_agg(format('ALTER SEQUENCE %I.%I RESTART', schemaname, sequencename), '; ') "
    "FROM pg_sequences WHERE last_value IS NOT NULL"
)
