"""The report at county scale (issue 22): how long the yearly report takes on PostgreSQL.

    .venv/bin/python benchmarks/report.py            # county scale, a throwaway cluster

It starts a throwaway PostgreSQL cluster (as the tests do; root runs it as `postgres`), or uses
DATABASE_URL when that is set to an empty PostgreSQL database, loads the benchmark generator's
county scale with every area's bench seeder (ten years of courses, sign-ups, attendance, forum,
evaluations, and recruitment's cases with their step history), then adds 250 cases a year of its
own with step history, requests, offers and matches, since no seeder makes requests, offers or
matches yet. It commits an ANALYZE, then builds the report for the whole county, the half-year
series (21 half-years) and the year series (11 years), three times each, and prints the best and
worst time and the number of SQL statements. Target: under a second.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.0
CASES_PER_YEAR = 250


def _recruitment(context) -> int:
    """Cases over the ten years on top of the seeder's, each with a few steps; a request, offer and
    match for those that reached the match step (the figures' only source of those)."""
    from coursehub.extensions import db
    from coursehub.recruitment.models import Case, Match, Offer, Request, Step, StepChange

    rng, now = context.rng, context.now
    municipalities = list(context.made["municipality_ids"])
    steps = list(Step)
    cases, changes, requests, offers, matches = [], [], [], [], []
    case_id = context.next_id(Case.__table__)
    change_id = context.next_id(StepChange.__table__)
    total = CASES_PER_YEAR * context.scale.years
    for n in range(total):
        registered = now - timedelta(days=rng.uniform(0, 365 * context.scale.years))
        reached = rng.randint(1, len(steps))
        moment = registered
        for index, step in enumerate(steps[:reached]):
            if index:
                moment += timedelta(days=rng.uniform(3, 90))
            changes.append(
                {
                    "id": change_id,
                    "case_id": case_id + n,
                    "from_step": steps[index - 1] if index else None,
                    "to_step": step,
                    "at": min(moment, now),
                }
            )
            change_id += 1
        cases.append(
            {
                "id": case_id + n,
                "step": steps[reached - 1],
                "step_changed_at": min(moment, now),
                "registered_at": registered,
                "first_contact_due_on": (registered + timedelta(days=14)).date(),
                "municipality_id": rng.choice(municipalities),
                "street": "Storgatan 1",
                "postal_code": "55320",
                "city": "Jönköping",
                "min_child_age": 0,
                "max_child_age": 17,
                "consent_at": registered,
                "consent_version": "1",
            }
        )
        if reached >= steps.index(Step.MATCHED) + 1:
            k = len(requests) + 1
            requests.append(
                {
                    "id": k,
                    "municipality_id": rng.choice(municipalities),
                    "child_age": 5,
                    "kind": "long_term",
                    "created_at": registered,
                }
            )
            offers.append({"id": k, "case_id": case_id + n, "request_id": k, "offered_at": registered})
            matches.append(
                {
                    "id": k,
                    "case_id": case_id + n,
                    "request_id": k,
                    "offer_id": k,
                    "municipality_id": requests[-1]["municipality_id"],
                    "matched_at": registered,
                }
            )
    context.insert(Case.__table__, cases)
    context.insert(StepChange.__table__, changes)
    context.insert(Request.__table__, requests)
    context.insert(Offer.__table__, offers)
    context.insert(Match.__table__, matches)
    db.session.flush()
    return total


def seed(app) -> None:
    from coursehub import clock
    from coursehub.extensions import db
    from coursehub.lib.bench import SCALES, BenchContext, bench_seeders, reset_sequences

    with app.app_context():
        db.create_all()
        context = BenchContext(scale=SCALES["county"], rng=random.Random(2026), now=clock.now())  # noqa: S311  # nosec B311
        for seeder in bench_seeders(app):
            seeder(context)
        cases = _recruitment(context)
        reset_sequences(db.metadata.sorted_tables)
        db.session.commit()
        print(f"loaded county scale and {cases} recruitment cases")


def measure(app) -> list[str]:
    import sqlalchemy as sa

    from coursehub import clock
    from coursehub.extensions import db
    from coursehub.reports.periods import half_year_of, reports_start, series_for, year_of
    from coursehub.reports.report import build_report
    from coursehub.reports.scope import parse_scope

    lines = []
    with app.app_context(), app.test_request_context():
        # ANALYZE inside a transaction is undone by its rollback: commit, or the planner works
        # without column statistics (pg_stats empty) and guesses 0.5 % for every range filter.
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        today = clock.now().date()
        start = reports_start(app.config)
        county = parse_scope("lan")
        for name, chosen in [("half-years", half_year_of(today)), ("years", year_of(today))]:
            periods = series_for(chosen, start)
            statements: list[list] = []

            def before(conn, cursor, statement, *args, found=statements):
                found.append([statement, time.perf_counter()])

            def after(conn, cursor, statement, *args, found=statements):
                found[-1][1] = time.perf_counter() - found[-1][1]

            sa.event.listen(db.engine, "before_cursor_execute", before)
            sa.event.listen(db.engine, "after_cursor_execute", after)
            times = []
            for _ in range(3):
                statements.clear()
                began = time.perf_counter()
                build_report(county, periods, clock.now())
                times.append(time.perf_counter() - began)
            sa.event.remove(db.engine, "before_cursor_execute", before)
            sa.event.remove(db.engine, "after_cursor_execute", after)
            if os.environ.get("REPORT_SLOWEST"):
                for statement, seconds in sorted(statements, key=lambda s: -s[1])[:4]:
                    lines.append(f"  {seconds:.3f} s  {' '.join(statement.split())[:160]}")
            lines.append(
                f"county, {len(periods)} {name}: best {min(times):.3f} s, worst {max(times):.3f} s, "
                f"{len(statements)} statements (target {TARGET_SECONDS:.1f} s)"
            )
    return lines


def main() -> None:
    from coursehub import create_app
    from coursehub.config import normalise_database_url
    from tests.support.postgres import start_cluster

    cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        cluster = start_cluster()
        cluster.create_database("coursehub_report")
        url = cluster.url_for("coursehub_report")
    try:
        config = {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "COURSEHUB_SCHEDULER": "",
            "COURSEHUB_REPORTS_START": (datetime.now(UTC).date() - timedelta(days=365 * 10)).isoformat(),
        }
        app = create_app(config)
        seed(app)
        for line in measure(app):
            print(line)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
