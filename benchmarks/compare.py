"""Compare result files of benchmarks/run.sh page by page: county against national, or before
against after a change.

    .venv/bin/python benchmarks/compare.py results/2026-12-02-county.txt results/2026-12-02-national.txt
    .venv/bin/python benchmarks/compare.py county-1.txt county-2.txt county-3.txt -- \\
        national-1.txt national-2.txt national-3.txt

For each page: requests per second in each run, how much slower the second run is (a negative
share is faster), p99 in each, whether the statements per request stayed the same, and the targets
of issue 24 for the second run (at least 15 % of /healthz, the forum thread 10 %; p99 under 100 ms;
at most 20 % slower than the first run).

With several files on a side (the sides split by `--`), each figure of a page is the median of
that side's runs: on a virtual machine with neighbours two runs minutes apart differ by 30 % and
more, and the median of runs taken in turn (county, national, county, …) says what one run cannot.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple


class Row(NamedTuple):
    rps: float
    p50: float
    p99: float
    share: float
    queries: str


def read(path: Path) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    started = False
    for line in path.read_text().splitlines():
        if line.startswith("page "):
            started = True
            continue
        if not started or not line.strip():
            if started and rows:
                break
            continue
        # The page name has spaces; the six columns after it do not.
        *name, rps, p50, p99, share, queries, _status = line.split()
        rows[" ".join(name)] = Row(float(rps), float(p50), float(p99), float(share.rstrip("%")), queries)
    return rows


def median_rows(runs: Sequence[dict[str, Row]]) -> dict[str, Row]:
    """Return each page's median figures over `runs` (the pages of the first run, in its order).

    The statements per request must agree across the runs of a side; if they do not, the page's
    column shows every count seen ("3/4"), which the comparison then reports as changed.
    """
    merged: dict[str, Row] = {}
    for name in runs[0]:
        rows = [run[name] for run in runs if name in run]
        counts = sorted({row.queries for row in rows}, key=lambda count: (len(count), count))
        merged[name] = Row(
            rps=statistics.median(row.rps for row in rows),
            p50=statistics.median(row.p50 for row in rows),
            p99=statistics.median(row.p99 for row in rows),
            share=statistics.median(row.share for row in rows),
            queries="/".join(counts),
        )
    return merged


def split_sides(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return the two sides' file names: `A B`, or `A1 A2 … -- B1 B2 …`."""
    if "--" in args:
        at = list(args).index("--")
        first, second = list(args[:at]), list(args[at + 1 :])
    elif len(args) == 2:
        first, second = [args[0]], [args[1]]
    else:
        first, second = [], []
    if not first or not second:
        raise SystemExit(__doc__)
    return first, second


def compare(first: dict[str, Row], second: dict[str, Row]) -> list[str]:
    """Return the comparison's lines: a heading, then a line per page of the second side."""
    lines = [
        f"{'page':24} {'req/s 1':>8} {'req/s 2':>8} {'slower':>7} {'p99 1':>7} {'p99 2':>7} "
        f"{'queries':>8} {'share 2':>8}  targets missed in run 2"
    ]
    for name, after in second.items():
        before = first.get(name)
        slower = (before.rps / after.rps - 1) * 100 if before and after.rps else float("nan")
        queries = (
            "same"
            if before and before.queries == after.queries
            else f"{before.queries if before else '-'}→{after.queries}"
        )
        missed = []
        if name != "healthz":
            floor = 10.0 if name.startswith("forum thread") else 15.0
            if after.share < floor:
                missed.append(f"share {after.share:.1f} % < {floor:.0f} %")
            if after.p99 >= 100:
                missed.append(f"p99 {after.p99:.0f} ms")
            if slower > 20:
                missed.append(f"{slower:.0f} % slower")
        rps_before = before.rps if before else float("nan")
        p99_before = before.p99 if before else float("nan")
        lines.append(
            f"{name:24} {rps_before:8.1f} {after.rps:8.1f} {slower:6.0f}% {p99_before:7.0f} "
            f"{after.p99:7.0f} {queries:>8} {after.share:7.1f}%  " + ("; ".join(missed) or "met")
        )
    return lines


def main(args: Sequence[str]) -> None:
    first_names, second_names = split_sides(args)
    first = median_rows([read(Path(name)) for name in first_names])
    second = median_rows([read(Path(name)) for name in second_names])
    if len(first_names) > 1 or len(second_names) > 1:
        print(f"medians of {len(first_names)} run(s) against {len(second_names)} run(s)")
    print("\n".join(compare(first, second)))


if __name__ == "__main__":
    main(sys.argv[1:])
