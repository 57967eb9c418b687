"""Does each scheduled job do work in proportion to what is due, not to the years of history?

Runs every scheduled job (but the outbox sender, which benchmarks/jobs.py measures) twice against
a database loaded with `flask bench-seed`, and prints for each run the seconds and the SQL
statements. The first run does what the loaded data make due; the second finds nothing left, and
should cost next to nothing whatever the size of the history. Everything runs in one transaction
that is rolled back at the end, so the loaded database is left as it was.

    DATABASE_URL=postgresql+psycopg://…  .venv/bin/python benchmarks/scheduled_jobs.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coursehub import clock, create_app  # noqa: E402
from coursehub.notifications.scheduler import job_specs  # noqa: E402

# The sender commits each message and talks to an SMTP server: benchmarks/jobs.py measures it.
SKIPPED = {"outbox"}


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL must name the loaded database")
    app = create_app({"COURSEHUB_SCHEDULER": ""})
    with app.app_context():
        from coursehub.extensions import db

        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        sa.event.listen(db.engine, "before_cursor_execute", count)
        print(f"{'job':34} {'1st s':>7} {'1st SQL':>8} {'2nd s':>7} {'2nd SQL':>8}")
        try:
            for spec in job_specs(app):
                if spec.name in SKIPPED:
                    continue
                line = f"{spec.name:34}"
                for _ in range(2):
                    statements = 0
                    started = time.perf_counter()
                    with app.test_request_context():
                        spec.func(clock.now())
                    db.session.flush()
                    line += f" {time.perf_counter() - started:7.2f} {statements:8d}"
                print(line, flush=True)
        finally:
            db.session.rollback()


if __name__ == "__main__":
    main()
