"""Every page a bench role can reach, each statement under EXPLAIN: what reads more than it shows.

Crawls from `/` as each role of a set loaded with `flask bench-seed` (a visitor, a family, a
course leader, a network member, staff), following the pages' own links and at most a few pages
of each path shape (`/kurser/12` and `/kurser/34` are one shape), through Flask's test client in
this process. Each page's reading statements are run again under EXPLAIN (ANALYZE, BUFFERS) and
a statement is listed when its plan scans a table sequentially past `--rows` rows, reads an index
range past 1.5 times that, or takes longer than `--slow-ms`. PostgreSQL only (its plans are the
ones that matter at size).

    DATABASE_URL=postgresql+psycopg://…  .venv/bin/python benchmarks/explain_pages.py \
        --targets targets.json [--roles family leader …] [--rows 2000] [--slow-ms 3]

Run it on the county and on the national set: a plan that hashes a table whole at one size may
use an index at the other. What it lists is where to look, not a verdict: a page that shows
every municipality reads them all. The fourth round of 5 December found a leader's pages and the
staff's menu count reading history with it (benchmarks/HISTORY.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.profile_pages import logged_in_client  # noqa: E402
from coursehub import create_app  # noqa: E402

ROLES = ("visitor", "family", "leader", "member", "staff")
SCANS = ("Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan")
# Links that end the session or lead outside the pages.
SKIPPED = re.compile(r"^/(static|logga-ut)(/|$)")


def path_shape(path: str) -> str:
    """Return the path with its numbers as N and its query's keys only: one shape per kind of page."""
    parts = urlsplit(path)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    shape = re.sub(r"\d+", "N", parts.path)
    return f"{shape}?{'&'.join(keys)}" if keys else shape


def links(html: str, here: str) -> Iterator[str]:
    """Yield the paths (with their queries) of the same-site links in `html`, found at `here`."""
    for href in re.findall(r'href="([^"#]+)', html):
        address = urlsplit(urljoin(f"http://site{here}", href.replace("&amp;", "&")))
        if address.netloc == "site" and not SKIPPED.match(address.path):
            yield address.path + (f"?{address.query}" if address.query else "")


def flagged(plan: dict[str, Any], rows: int) -> list[str]:
    """Return a line for each node of `plan` (EXPLAIN's JSON "Plan") that reads past `rows` rows
    by a sequential scan, or past 1.5 times that from an index."""
    found: list[str] = []
    loops = plan.get("Actual Loops", 1)
    read = (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
    kind, table = plan.get("Node Type"), plan.get("Relation Name") or plan.get("Index Name", "")
    if kind == "Seq Scan" and read > rows:
        found.append(f"sequential scan of {table}: {read:,} rows")
    elif kind in SCANS and read > rows * 1.5:
        found.append(f"{kind.lower()} of {table} ({plan.get('Index Name', '')}): {read:,} rows")
    for child in plan.get("Plans", ()):
        found += flagged(child, rows)
    return found


def crawl(engine: sa.Engine, client, *, per_shape: int, most: int) -> Iterator[tuple[str, list[Any]]]:
    """Yield each page reached from `/` (status 200) with the reading statements it ran, as
    (statement, parameters); at most `per_shape` pages of a shape and `most` pages in all."""
    queue, seen, shapes = ["/"], set(), Counter[str]()
    while queue and len(seen) < most:
        path = queue.pop(0)
        shape = path_shape(path)
        if path in seen or shapes[shape] >= per_shape:
            continue
        seen.add(path)
        shapes[shape] += 1
        statements: list[tuple[str, Any]] = []

        def keep(_conn, _cursor, statement, parameters, _context, _many, into=statements) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                into.append((statement, parameters))

        sa.event.listen(engine, "before_cursor_execute", keep)
        try:
            answer = client.get(path)
        finally:
            sa.event.remove(engine, "before_cursor_execute", keep)
        if answer.status_code != 200:
            continue
        if "html" in (answer.content_type or ""):
            queue += [link for link in links(answer.get_data(as_text=True), path) if link not in seen]
        yield path, statements


def explained(connection: sa.Connection, statement: str, parameters: Any) -> dict[str, Any]:
    """Return EXPLAIN (ANALYZE, BUFFERS)'s JSON of one run of `statement`."""
    found = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}", parameters)
    plan = found.scalar_one()
    return (plan if isinstance(plan, list) else json.loads(plan))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--targets", required=True, help="the file `flask bench-seed --targets` wrote")
    parser.add_argument("--roles", nargs="*", choices=ROLES, default=list(ROLES))
    parser.add_argument("--rows", type=int, default=2000, help="list scans that read more rows than this")
    parser.add_argument("--slow-ms", type=float, default=3.0, help="list statements slower than this")
    parser.add_argument("--per-shape", type=int, default=2, help="pages of one path shape to visit")
    parser.add_argument("--most", type=int, default=400, help="pages to visit per role at most")
    args = parser.parse_args()
    targets = json.loads(Path(args.targets).read_text(encoding="utf-8"))
    app = create_app()
    from coursehub.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        raise SystemExit("explain_pages reads PostgreSQL's plans: DATABASE_URL names a PostgreSQL database")
    for role in args.roles:
        login = None if role == "visitor" else targets["logins"][role]
        client = logged_in_client(app, login, targets["password"])
        pages = 0
        for path, statements in crawl(engine, client, per_shape=args.per_shape, most=args.most):
            pages += 1
            lines = []
            with engine.connect() as connection:
                for statement, parameters in statements:
                    plan = explained(connection, statement, parameters)
                    notes = flagged(plan["Plan"], args.rows)
                    if notes or plan["Execution Time"] > args.slow_ms:
                        lines.append(
                            f"  {plan['Execution Time']:.2f} ms  {' '.join(statement.split())[:110]}"
                        )
                        lines += [f"    {note}" for note in notes]
                connection.rollback()
            if lines:
                print(f"{role} {path}", *lines, sep="\n")
        print(f"-- {role}: {pages} pages", flush=True)


if __name__ == "__main__":
    main()
