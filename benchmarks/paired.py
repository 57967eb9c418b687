"""A change under load, measured in pairs: this checkout against another revision, in turn.

Two runs of benchmarks/run.sh minutes apart differ by 30 % and more on a shared machine, and a
before-and-after made of whole runs can show a change that is not there: four runs a side gave
reading in autocommit +14 %, pairs about +2 % (benchmarks/HISTORY.md, 6 December). This script serves both
versions at once on one loaded database, each with its own gunicorn, and drives each page with
wrk on one and then on the other for a few seconds (each going first in every other pair),
PAIRS times. It prints per page each side's
median requests a second and the median of the pair-by-pair ratios (this checkout / REV) with
the least and the greatest: the machine's drift from one pair to the next cancels out.

    LOADED_DATABASE_URL=postgresql+psycopg://… TARGETS=targets.json \\
        .venv/bin/python benchmarks/paired.py REV [page name …]

Environment: PAIRS=8 DURATION=3 (seconds a side) CONNECTIONS=16 WORKERS=2. The database is one
that `flask bench-seed` loaded, at this checkout's schema: REV must read the same schema (a
change without a migration). REV is checked out into a temporary git worktree that uses this
checkout's .venv and is removed at the end. Page names are those of benchmarks/run.sh;
without names, all of them but the yearly report (seconds a request: a few a side say nothing).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.profile_pages import late_page, login_form_token, pages  # noqa: E402
from tests.support.postgres import free_port  # noqa: E402

SLOW_PAGES = frozenset({"yearly report"})

# name -> (path, login or None), as benchmarks/run.sh names the pages
Pages = dict[str, tuple[str, str | None]]


def loaded_database() -> tuple[str, dict]:
    """Return the database that `flask bench-seed` loaded and its targets (LOADED_DATABASE_URL and
    TARGETS, as benchmarks/run.sh takes them)."""
    url, targets_file = os.environ.get("LOADED_DATABASE_URL"), os.environ.get("TARGETS")
    if not url or not targets_file:
        raise SystemExit(
            "LOADED_DATABASE_URL and TARGETS name a database bench-seed loaded and its targets file"
        )
    return url, json.loads(Path(targets_file).read_text())


def choose_pages(targets: dict, names: Sequence[str]) -> tuple[Pages, list[str]]:
    """Return every page by name, /healthz first, and the names asked for (all but the slow ones
    when none are)."""
    known: Pages = {"healthz": ("/healthz", None), **pages(targets)}
    chosen = list(names) or [name for name in known if name not in SLOW_PAGES]
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise SystemExit(f"no such page: {', '.join(unknown)} (the names of benchmarks/run.sh)")
    return known, chosen


def wrk_command(url: str, cookie: str | None, seconds: int, connections: int) -> list[str]:
    """Return the wrk command line that drives `url` as benchmarks/run.sh does."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return [*command, url]


class Served(NamedTuple):
    """A gunicorn serving one checkout: its address and the pid of its master process."""

    base: str
    pid: int


class Summary(NamedTuple):
    ours: float  # median requests a second, this checkout
    theirs: float  # the same, REV
    ratio: float  # median of the pairs' ours / theirs
    least: float
    greatest: float


def all_answered(wrk_output: str) -> bool:
    """Return whether every request of a wrk run had a 2xx answer (wrk reports the others, and
    the connections that failed, in lines of their own)."""
    return "Non-2xx" not in wrk_output and "Socket errors" not in wrk_output


def requests_per_second(wrk_output: str) -> float | None:
    """Return wrk's "Requests/sec", or None when some answers were not 2xx or failed."""
    if not all_answered(wrk_output):
        return None
    found = re.search(r"^Requests/sec:\s+([\d.]+)", wrk_output, re.MULTILINE)
    return float(found.group(1)) if found else None


def summarise(pairs: Sequence[tuple[float, float]]) -> Summary:
    """Each pair is (ours, theirs), measured one right after the other."""
    ratios = [ours / theirs for ours, theirs in pairs]
    return Summary(
        ours=statistics.median(ours for ours, _ in pairs),
        theirs=statistics.median(theirs for _, theirs in pairs),
        ratio=statistics.median(ratios),
        least=min(ratios),
        greatest=max(ratios),
    )


@contextmanager
def _worktree(revision: str) -> Iterator[Path]:
    place = Path(tempfile.mkdtemp(prefix="coursehub-paired-"))
    tree = place / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), revision], cwd=ROOT, check=True
    )
    try:
        (tree / ".venv").symlink_to(ROOT / ".venv")
        if list((tree / "translations").glob("*/LC_MESSAGES/messages.po")):
            subprocess.run(
                [str(ROOT / ".venv/bin/pybabel"), "compile", "-d", "translations"],
                cwd=tree,
                check=True,
                capture_output=True,
            )
        yield tree
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        place.rmdir()


@contextmanager
def serve(tree: Path, env: dict[str, str], workers: int) -> Iterator[Served]:
    """Serve the checkout `tree` with gunicorn until the block ends, once it answers /healthz."""
    port = free_port()
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", "python:coursehub.serving", "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "coursehub:create_app()"]
    process = subprocess.Popen(command, cwd=tree, env={**env, "PYTHONPATH": str(tree)})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"the server of {tree} did not answer /healthz")
        yield Served(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def session_cookie(base: str, login: str, password: str) -> str:
    """Log in through the login form, as a browser does; return the Cookie header's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/logga-in") as answer:
        form = answer.read().decode()
    data = urllib.parse.urlencode(
        {"csrf_token": login_form_token(form), "login": login, "password": password}
    )
    with opener.open(f"{base}/logga-in", data=data.encode()):
        pass
    session = next((cookie.value for cookie in jar if cookie.name == "session"), None)
    if session is None:
        raise SystemExit(f"the login of {login} failed")
    return f"session={session}"


def page_requests(
    base: str, targets: dict, known: Pages, chosen: Sequence[str]
) -> list[tuple[str, str, str | None]]:
    """Log each bench login in on the server at `base` and return (name, path, cookie) for each
    chosen page, the catalogue's late page found on that server (its last full page)."""
    logins = set(targets["logins"].values())
    cookies = {login: session_cookie(base, login, targets["password"]) for login in logins}
    with urllib.request.urlopen(f"{base}/kurser?sida=9999") as answer:
        late = late_page(answer.read().decode())
    found = []
    for name in chosen:
        path, login = known[name]
        if name == "catalogue late page":
            path = f"/kurser?sida={late}"
        found.append((name, path, cookies[login] if login else None))
    return found


def run_wrk(url: str, cookie: str | None, seconds: int, connections: int) -> str:
    """Drive `url` with wrk as benchmarks/run.sh does (`wrk_command`) and return its report."""
    command = wrk_command(url, cookie, seconds, connections)
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _wrk(url: str, cookie: str | None, seconds: int, connections: int) -> float | None:
    return requests_per_second(run_wrk(url, cookie, seconds, connections))


# One side of a pair: a page's URL on one server and the cookie to send (None for a visitor).
Side = tuple[str, str | None]


class PairSettings(NamedTuple):
    """How pairs are measured: PAIRS, DURATION (seconds a side), CONNECTIONS, and the WORKERS of
    each side's gunicorn."""

    pairs: int
    seconds: int
    connections: int
    workers: int


def pair_settings() -> PairSettings:
    """The settings from the environment (PAIRS=8 DURATION=3 CONNECTIONS=16 WORKERS=2)."""
    return PairSettings(
        pairs=int(os.environ.get("PAIRS", "8")),
        seconds=int(os.environ.get("DURATION", "3")),
        connections=int(os.environ.get("CONNECTIONS", "16")),
        workers=int(os.environ.get("WORKERS", "2")),
    )


def measure_pairs(name: str, one: Side, other: Side, settings: PairSettings) -> list[tuple[float, float]]:
    """Drive a page on one side and then on the other, `settings.pairs` times, after a second each
    to warm both up; return each pair's requests a second as (one, other). Each side goes first
    in every other pair: what follows a run (a warm cache, a busy neighbour) falls on both alike."""
    seconds, connections = settings.seconds, settings.connections
    for url, cookie in (one, other):
        _wrk(url, cookie, 1, connections)
    pairs = []
    for turn in range(settings.pairs):
        order = [one, other] if turn % 2 == 0 else [other, one]
        found = {side: _wrk(side[0], side[1], seconds, connections) for side in order}
        first, second = found[one], found[other]
        if first is None or second is None:
            raise SystemExit(f"{name}: some answers were not 2xx or failed")
        pairs.append((first, second))
    return pairs


def main(argv: Sequence[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    revision = argv[0]
    url, targets = loaded_database()
    known, chosen = choose_pages(targets, argv[1:])
    settings = pair_settings()
    # One secret for both servers: a session cookie made by one is good on the other.
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "COURSEHUB_SCHEDULER": ""}
    with (
        _worktree(revision) as tree,
        serve(ROOT, env, settings.workers) as (ours, _),
        serve(tree, env, settings.workers) as (theirs, _),
    ):
        requests = page_requests(ours, targets, known, chosen)
        print(
            f"this checkout against {revision}, {settings.pairs} pairs of {settings.seconds} s,"
            f" {settings.connections} connections"
        )
        print(f"{'page':24} {'req/s here':>11} {'req/s REV':>10} {'ratio':>6} {'least':>6} {'most':>6}")
        for name, path, cookie in requests:
            pairs = measure_pairs(name, (ours + path, cookie), (theirs + path, cookie), settings)
            row = summarise(pairs)
            figures = (
                f"{row.ours:11.1f} {row.theirs:10.1f} {row.ratio:6.2f} {row.least:6.2f} {row.greatest:6.2f}"
            )
            print(f"{name:24} {figures}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
