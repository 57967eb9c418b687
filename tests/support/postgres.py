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
