"""Where a page's CPU goes under load: the web workers, PostgreSQL, wrk and the rest, per request.

benchmarks/run.sh says how many requests a second a page gets; on two cores shared by the
workers, PostgreSQL and wrk that is one over what a request costs them all. This script serves
this checkout with gunicorn on a loaded database, drives each page with wrk as run.sh does, and
reads the CPU time each process spent meanwhile from /proc: the workers (the gunicorn master's
children), every process named `postgres` on the machine (run it where no other cluster is busy),
wrk itself, and the rest of the machine's busy time (the kernel's network work, gunicorn's master,
neighbours). It also gives the share of the time the cores were idle: near 0 means the page is
bound by CPU, and more workers or threads cannot help.

    LOADED_DATABASE_URL=postgresql+psycopg://… TARGETS=targets.json \\
        .venv/bin/python benchmarks/cpu_split.py [page name …]

Environment: DURATION=6 (seconds a page) CONNECTIONS=16 WORKERS=2. Page names are those of
benchmarks/run.sh; without names, all of them but the yearly report. Linux only (/proc).
"""

from __future__ import annotations

import os
import re
import resource
import secrets
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.paired import all_answered, choose_pages, loaded_database, page_requests, run_wrk, serve  # noqa: E402

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


class Process(NamedTuple):
    """One process as /proc/<pid>/stat gives it: its name, its parent and its CPU time so far."""

    pid: int
    name: str
    parent: int
    seconds: float  # user and system time


def read_stat(text: str) -> Process:
    """Read a /proc/<pid>/stat line. The name stands in parentheses and may hold spaces and
    parentheses of its own ("(gunicorn: worker [app])"), so the fields are counted from the last
    closing parenthesis."""
    head, _, rest = text.rpartition(")")
    pid, _, name = head.partition(" (")
    fields = rest.split()
    # After the name: state, ppid, ... utime is the 14th field of the line, stime the 15th.
    return Process(int(pid), name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND)


def processes() -> dict[int, Process]:
    """Every process on the machine now, by pid (those that end while being read are left out)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = read_stat((entry / "stat").read_text())
            except (OSError, ValueError):
                continue
    return found


def busy_and_idle() -> tuple[float, float]:
    """Return the machine's busy and idle seconds so far, all cores together (/proc/stat)."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    # user nice system idle iowait irq softirq steal (guest time is counted in user already)
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS_PER_SECOND, idle / TICKS_PER_SECOND


def spent(before: Mapping[int, Process], after: Mapping[int, Process], pids: Iterable[int]) -> float:
    """Return the CPU seconds the processes `pids` spent between the two readings (a process
    that was not there before counts from zero)."""
    total = 0.0
    for pid in pids:
        if pid in after:
            earlier = before.get(pid)
            same = earlier is not None and earlier.name == after[pid].name
            total += after[pid].seconds - (earlier.seconds if same else 0.0)
    return total


def requests_made(wrk_output: str) -> int | None:
    """Return how many requests wrk made ("1140 requests in 3.00s"), or None when some answers
    were not 2xx or failed."""
    if not all_answered(wrk_output):
        return None
    found = re.search(r"^\s*(\d+) requests in ", wrk_output, re.MULTILINE)
    return int(found.group(1)) if found else None


class Split(NamedTuple):
    """A page's CPU milliseconds per request, by who spent them, and the cores' idle share."""

    per_second: float
    workers: float
    database: float
    wrk: float
    rest: float
    idle: float  # 0..1


def split(
    requests: int, seconds: float, workers: float, database: float, wrk: float, busy: float, idle: float
) -> Split:
    """Turn a run's CPU seconds (each side's, and the machine's busy and idle time) into
    milliseconds per request; the rest is the busy time none of the three accounts for."""
    per_request = 1000.0 / requests
    rest = max(busy - workers - database - wrk, 0.0)
    return Split(
        per_second=requests / seconds,
        workers=workers * per_request,
        database=database * per_request,
        wrk=wrk * per_request,
        rest=rest * per_request,
        idle=idle / (busy + idle) if busy + idle else 0.0,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(url: str, cookie: str | None, seconds: int, connections: int, master: int) -> Split:
    """Drive `url` with wrk for `seconds` and split the CPU the machine spent meanwhile."""
    before, (busy0, idle0), wrk0 = processes(), busy_and_idle(), _children_cpu()
    started = time.monotonic()
    output = run_wrk(url, cookie, seconds, connections)
    # wrk has ended and been waited for, so its time is in our children's; the rest still run.
    after, (busy1, idle1), wrk1 = processes(), busy_and_idle(), _children_cpu()
    elapsed = time.monotonic() - started
    requests = requests_made(output)
    if not requests:
        raise SystemExit(f"{url}: some answers were not 2xx or failed")
    workers = [pid for pid, p in after.items() if p.parent == master]
    database = [pid for pid, p in after.items() if p.name == "postgres"]
    return split(
        requests,
        elapsed,
        workers=spent(before, after, workers),
        database=spent(before, after, database),
        wrk=wrk1 - wrk0,
        busy=busy1 - busy0,
        idle=idle1 - idle0,
    )


def main(argv: Sequence[str]) -> int:
    url, targets = loaded_database()
    known, chosen = choose_pages(targets, argv)
    seconds = int(os.environ.get("DURATION", "6"))
    connections = int(os.environ.get("CONNECTIONS", "16"))
    workers = int(os.environ.get("WORKERS", "2"))
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "COURSEHUB_SCHEDULER": ""}
    with serve(ROOT, env, workers) as (base, master):
        requests = page_requests(base, targets, known, chosen)
        print(f"{workers} workers, wrk {connections} connections, {seconds} s a page; CPU ms per request")
        print(f"{'page':24} {'req/s':>7} {'idle':>5} {'workers':>8} {'postgres':>8} {'wrk':>6} {'rest':>6}")
        for name, path, cookie in requests:
            measure(base + path, cookie, 1, connections, master)  # warm up
            row = measure(base + path, cookie, seconds, connections, master)
            print(
                f"{name:24} {row.per_second:7.1f} {row.idle:5.0%} {row.workers:8.2f} {row.database:8.2f}"
                f" {row.wrk:6.2f} {row.rest:6.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
