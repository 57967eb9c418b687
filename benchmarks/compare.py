"""Compare two result files of benchmarks/run.sh page by page: county against national, or before
against after a change.

    .venv/bin/python benchmarks/compare.py results/2026-12-02-county.txt results/2026-12-02-national.txt

For each page: requests per second in each run, how much slower the second run is (a negative
share is faster), p99 in each, whether the statements per request stayed the same, and the targets
of issue 24 for the second run (at least 15 % of /healthz, the forum thread 10 %; p99 under 100 ms;
at most 20 % slower than the first run).
"""

from __future__ import annotations

import sys
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


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    first, second = (read(Path(name)) for name in sys.argv[1:])
    print(
        f"{'page':24} {'req/s 1':>8} {'req/s 2':>8} {'slower':>7} {'p99 1':>7} {'p99 2':>7} "
        f"{'queries':>8} {'share 2':>8}  targets missed in run 2"
    )
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
        print(
            f"{name:24} {rps_before:8.1f} {after.rps:8.1f} {slower:6.0f}% {p99_before:7.0f} "
            f"{after.p99:7.0f} {queries:>8} {after.share:7.1f}%  " + ("; ".join(missed) or "met")
        )


if __name__ == "__main__":
    main()
