"""County against national under load, measured in pairs: the same code serving both sets at once.

Issue 24 asks that no key page be more than 20 % slower on the national set than on the county set.
Runs of benchmarks/run.sh taken in turn (benchmarks/rounds.sh) cannot tell that apart on a shared
machine: its speed moves by a third within an hour, and the pages named slower changed from one
set of rounds to the next with the code the same (benchmarks/HISTORY.md, 7 December). This script
serves this checkout twice, each gunicorn on one of the two loaded sets, and drives each page with
wrk on the county server and then on the national one for a few seconds (each going first in every
other pair), PAIRS times, as benchmarks/paired.py does for two revisions. It prints per page each
side's median requests a second, the median of the pair-by-pair slowdowns (county / national - 1)
with the least and the greatest, the statements of one request on each side (the `X-Query-Count`
header) and whether the page meets the target; `/healthz` goes first, and its slowdown, which the
data cannot cause, shows what the method itself reads.

    COUNTY_URL=postgresql+psycopg://… COUNTY_TARGETS=county-targets.json \\
    NATIONAL_URL=postgresql+psycopg://… NATIONAL_TARGETS=national-targets.json \\
        .venv/bin/python benchmarks/scales.py [page name …]

The URLs and targets are those benchmarks/rounds.sh takes: databases `flask bench-seed` loaded at
this checkout's schema and the files its --targets wrote. Both sets are vacuumed first, as run.sh
vacuums a set before each run. Environment: PAIRS=8 DURATION=3 (seconds a side) CONNECTIONS=16
WORKERS=2. Page names are those of benchmarks/run.sh; without names, all of them but the yearly
report. The table also goes to benchmarks/results/<date>-<time>-scales.txt.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.paired import (  # noqa: E402
    Summary,
    choose_pages,
    measure_pairs,
    page_requests,
    pair_settings,
    serve,
    summarise,
)

# Issue 24: from county to national scale, no key page slows by more than this.
MOST_SLOWER = 0.20

SETS = ("COUNTY", "NATIONAL")


class Scale(NamedTuple):
    url: str
    targets: dict


def loaded_sets() -> tuple[Scale, Scale]:
    """Return the county and the national set from the environment (COUNTY_URL, COUNTY_TARGETS,
    NATIONAL_URL, NATIONAL_TARGETS)."""
    missing = [
        f"{name}_{part}"
        for name in SETS
        for part in ("URL", "TARGETS")
        if not os.environ.get(f"{name}_{part}")
    ]
    if missing:
        raise SystemExit(
            f"{', '.join(missing)} not set: the two sets bench-seed loaded and their targets files"
        )
    county, national = (
        Scale(os.environ[f"{name}_URL"], json.loads(Path(os.environ[f"{name}_TARGETS"]).read_text()))
        for name in SETS
    )
    return county, national


def vacuum(url: str) -> None:
    """VACUUM ANALYZE the set, as run.sh does before each run (a stale visibility map has
    index-only scans read the table too)."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()


def query_count(url: str, cookie: str | None) -> str:
    """Return the X-Query-Count of one request of `url` ("-" when the header is missing)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.headers.get("X-Query-Count", "-")


def verdict(slower: float, queries: tuple[str, str]) -> str:
    """Whether a page meets issue 24's growth targets, and if not, which it misses."""
    missed = []
    if slower > MOST_SLOWER:
        missed.append(f"{slower:.0%} slower")
    if queries[0] != queries[1]:
        missed.append(f"statements {queries[0]} -> {queries[1]}")
    return "; ".join(missed) or "met"


def slower(summary: Summary) -> tuple[float, float, float]:
    """The slowdown at national size (county / national - 1): the pairs' median, least, greatest.

    `summary` has the county side as "ours": its ratio is county / national, pair by pair."""
    return summary.ratio - 1, summary.least - 1, summary.greatest - 1


def row(name: str, summary: Summary, queries: tuple[str, str]) -> str:
    median, least, greatest = slower(summary)
    return (
        f"{name:24} {summary.ours:9.1f} {summary.theirs:9.1f} {median:7.0%} {least:6.0%} {greatest:6.0%}"
        f" {queries[0]:>4} {queries[1]:>4}  {verdict(median, queries)}"
    )


def _revision() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "?"


def main(argv: Sequence[str]) -> int:
    county, national = loaded_sets()
    # The same pages by name on both sides, each with its own set's ids (its targets file).
    county_known, chosen = choose_pages(county.targets, argv)
    national_known, _chosen = choose_pages(national.targets, argv)
    settings = pair_settings()
    for scale in (county, national):
        vacuum(scale.url)
    base_env = {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(16),
        "COURSEHUB_SCHEDULER": "",
        "COURSEHUB_QUERY_COUNT_HEADER": "1",
    }
    out = ROOT / "benchmarks" / "results" / time.strftime("%Y-%m-%d-%H%M-scales.txt", time.gmtime())
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    with (
        serve(ROOT, {**base_env, "DATABASE_URL": county.url}, settings.workers) as (here, _),
        serve(ROOT, {**base_env, "DATABASE_URL": national.url}, settings.workers) as (there, _),
    ):
        county_pages = page_requests(here, county.targets, county_known, chosen)
        national_pages = page_requests(there, national.targets, national_known, chosen)
        moment = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        load = " ".join(f"{n:.2f}" for n in os.getloadavg())
        say(f"county against national at once, code {_revision()}, {moment}")
        say(
            f"{settings.pairs} pairs of {settings.seconds} s, {settings.connections} connections,"
            f" gunicorn {settings.workers} workers a side, {os.cpu_count()} cores;"
            f" load average at the start: {load}"
        )
        say("")
        say(
            f"{'page':24} {'county':>9} {'national':>9} {'slower':>7} {'least':>6} {'most':>6}"
            f" {'stmts':>9}  target"
        )
        for (name, path, cookie), (_, far_path, far_cookie) in zip(county_pages, national_pages, strict=True):
            near, far = (here + path, cookie), (there + far_path, far_cookie)
            queries = (query_count(*near), query_count(*far))
            pairs = measure_pairs(name, near, far, settings)
            say(row(name, summarise(pairs), queries))
    say("")
    say(
        "(req/s: medians of the pairs; slower: the median of county / national - 1 pair by pair, with"
        " the least and the most; stmts: X-Query-Count of one request, county and national;"
        f" target: at most {MOST_SLOWER:.0%} slower, the same statements)"
    )
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
