"""Jobs at scale (issue 24, point 5): the reminder run and the outbox senders, timed on PostgreSQL.

    .venv/bin/python benchmarks/jobs.py                       # 10,000 reminders, 4 senders
    .venv/bin/python benchmarks/jobs.py --participants 500    # a quick check that it works

It starts a throwaway PostgreSQL cluster (as the tests do; root runs it as `postgres`), or uses
DATABASE_URL when that is set to an empty PostgreSQL database. It loads the benchmark generator's
data (`bench-seed`, sized so that the upcoming runs hold about --participants confirmed people),
marks every upcoming meeting but each run's next one as reminded already, and times one run of
the reminder job (`enrollment_session_reminders`) with a horizon that reaches all of them: one
reminder per confirmed participant. Then it starts an SMTP sink in a process of its own and
--senders outbox senders, each a process with its own app and connection looping
`send_outbox` until the outbox is empty, and times them: messages per second, and whether each
message arrived exactly once (by its Message-ID). Targets: the reminders in under 10 s, the
outbox at 200 messages a second or more. The result is printed and written to
benchmarks/results/<date>-jobs.txt.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REMINDER_TARGET_SECONDS = 10.0
OUTBOX_TARGET_PER_SECOND = 200.0


def _config(url: str, smtp_port: int = 0) -> dict:
    return {
        "ENV_NAME": "development",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME_FOR_LINKS": "https://kurser.example.se",
        "COURSEHUB_SCHEDULER": "",
        # Every upcoming meeting falls inside the horizon; those not wanted are marked reminded.
        "COURSEHUB_REMINDER_HOURS": 24 * 400,
        "MAIL_SERVER": "127.0.0.1" if smtp_port else None,
        "MAIL_PORT": smtp_port,
        "MAIL_TIMEOUT": 30,
        "COURSEHUB_OUTBOX_BATCH": 200,
    }


def seed(url: str, participants: int, seed_value: int) -> tuple[int, float]:
    """Load data whose next meetings have about `participants` people due; return (due, seconds)."""
    import sqlalchemy as sa

    from coursehub import clock, create_app
    from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
    from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
    from coursehub.extensions import db
    from coursehub.lib.bench import SCALES, BenchContext, Scale, bench_seeders, reset_sequences

    app = create_app(_config(url))
    started = time.monotonic()
    with app.app_context():
        db.create_all()
        # About 40 households (1.8 adults each) per run, most confirmed; half the runs upcoming.
        runs = max(4, math.ceil(participants / (40 * 1.8 * 0.75) * 2))
        county = SCALES["county"]
        scale = Scale("jobs", county.municipalities, max(2000, runs * 12), 1.8, 1, runs, 40, 12, 13)
        rng = random.Random(seed_value)  # noqa: S311  # nosec B311 - made-up data
        context = BenchContext(scale=scale, rng=rng, now=clock.now())
        for seeder in bench_seeders(app):
            seeder(context)
        reset_sequences(db.metadata.sorted_tables)
        now = context.now
        upcoming = (
            sa.select(CourseSession.run_id, sa.func.min(CourseSession.starts_at).label("first"))
            .join(CourseRun, CourseRun.id == CourseSession.run_id)
            .where(
                CourseSession.starts_at > now,
                CourseSession.status == SessionStatus.SCHEDULED,
                CourseRun.status == RunStatus.PUBLISHED,
            )
            .group_by(CourseSession.run_id)
            .subquery()
        )
        next_meeting = sa.select(upcoming.c.first).where(upcoming.c.run_id == CourseSession.run_id)
        # Every meeting but each run's next one counts as reminded: the run reminds one meeting.
        db.session.execute(
            sa.update(CourseSession)
            .where(CourseSession.starts_at != next_meeting.scalar_subquery())
            .values(reminded_at=now)
        )
        db.session.execute(
            sa.update(CourseSession)
            .where(CourseSession.run_id.not_in(sa.select(upcoming.c.run_id)))
            .values(reminded_at=now)
        )
        due = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(EnrollmentPerson)
            .join(Enrollment, Enrollment.id == EnrollmentPerson.enrollment_id)
            .where(
                Enrollment.status == EnrollmentStatus.CONFIRMED,
                Enrollment.makeup_session_id.is_(None),
                Enrollment.run_id.in_(sa.select(upcoming.c.run_id)),
            )
        )
        db.session.commit()
        db.engine.dispose()
    return int(due or 0), time.monotonic() - started


def time_reminders(url: str) -> tuple[int, float, int]:
    """Run the reminder job once; return (reminders queued, seconds, SQL statements)."""
    import sqlalchemy as sa

    from coursehub import clock, create_app
    from coursehub.enrollment.jobs import send_session_reminders
    from coursehub.extensions import db

    app = create_app(_config(url))
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        queued = send_session_reminders(clock.now())
        db.session.commit()
        seconds = time.perf_counter() - started
        sa.event.remove(db.engine, "before_cursor_execute", count)
        db.engine.dispose()
    return queued, seconds, statements


def _sink(port: int, ready, counter, ids_path: str, stop) -> None:
    """An SMTP server that counts what it receives and writes each Message-ID to a file."""
    from aiosmtpd.controller import Controller

    with open(ids_path, "w", encoding="ascii") as ids:

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
                for line in envelope.original_content.split(b"\r\n"):
                    if line.lower().startswith(b"message-id:"):
                        ids.write(line.split(b":", 1)[1].strip().decode("ascii", "replace") + "\n")
                        break
                with counter.get_lock():
                    counter.value += 1
                return "250 OK"

        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        ready.set()
        stop.wait()
        controller.stop()
        ids.flush()


def _sender(url: str, port: int, start, results) -> None:
    from sqlalchemy.orm import configure_mappers

    from coursehub import clock, create_app
    from coursehub.extensions import db
    from coursehub.notifications.jobs import SendResult, send_outbox

    app = create_app(_config(url, port))
    with app.app_context():
        configure_mappers()  # once per process, as in a running scheduler: not part of the rate
        start.wait()
        sent = 0
        while (result := send_outbox(clock.now())) != SendResult():
            sent += result.sent
        db.session.remove()
        db.engine.dispose()
    results.put(sent)


def time_outbox(url: str, senders: int, workdir: Path) -> tuple[int, float, int, int]:
    """Send the whole outbox with `senders` processes; return (sent, seconds, arrived, distinct)."""
    from tests.support.postgres import free_port

    ctx = multiprocessing.get_context("spawn")
    port = free_port()
    ready, stop = ctx.Event(), ctx.Event()
    counter = ctx.Value("i", 0)
    ids_path = str(workdir / "message-ids.txt")
    sink = ctx.Process(target=_sink, args=(port, ready, counter, ids_path, stop))
    sink.start()
    if not ready.wait(30):
        raise SystemExit("the SMTP sink did not start")
    start = ctx.Barrier(senders + 1)
    results = ctx.Queue()
    processes = [ctx.Process(target=_sender, args=(url, port, start, results)) for _ in range(senders)]
    for process in processes:
        process.start()
    start.wait()  # every sender has its app and connection: the clock starts now
    began = time.perf_counter()
    sent = sum(results.get(timeout=3600) for _ in processes)
    seconds = time.perf_counter() - began
    for process in processes:
        process.join()
    stop.set()
    sink.join()
    lines = Path(ids_path).read_text(encoding="ascii").splitlines()
    return sent, seconds, len(lines), len(set(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from tests.support.postgres import postgres_available, start_cluster

    cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        if not postgres_available():
            raise SystemExit(
                "No PostgreSQL server binaries (apt-get install postgresql), and no DATABASE_URL."
            )
        cluster = start_cluster()
        cluster.create_database("coursehub_jobs")
        url = cluster.url_for("coursehub_jobs")
    from coursehub.config import normalise_database_url

    url = normalise_database_url(url)
    workdir = Path(tempfile.mkdtemp(prefix="coursehub-jobs-"))
    try:
        due, seed_seconds = seed(url, args.participants, args.seed)
        queued, reminder_seconds, statements = time_reminders(url)
        sent, outbox_seconds, arrived, distinct = time_outbox(url, args.senders, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if cluster is not None:
            cluster.stop()
    rate = sent / outbox_seconds if outbox_seconds else 0.0
    stamp = datetime.now(UTC)
    reminders_met = "met" if reminder_seconds < REMINDER_TARGET_SECONDS else "MISSED"
    outbox_met = "met" if rate >= OUTBOX_TARGET_PER_SECOND else "MISSED"
    once = arrived == distinct == sent == queued
    report = "\n".join(
        [
            f"coursehub jobs benchmark, {stamp:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            f"data: {due} confirmed participants due (asked for {args.participants}), "
            f"loaded in {seed_seconds:.0f} s",
            f"reminder run: {queued} reminders queued in {reminder_seconds:.2f} s, "
            f"{statements} SQL statements (target under {REMINDER_TARGET_SECONDS:.0f} s: {reminders_met})",
            f"outbox: {sent} sent by {args.senders} senders in {outbox_seconds:.2f} s = "
            f"{rate:.0f} messages/s (target {OUTBOX_TARGET_PER_SECOND:.0f}/s: {outbox_met})",
            f"arrived at the SMTP server: {arrived}, distinct Message-IDs: {distinct} "
            f"({'each once' if once else 'NOT each once'})",
        ]
    )
    print(report)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{stamp:%Y-%m-%d}-jobs-{args.participants}.txt").write_text(report + "\n", encoding="utf-8")
    if not once:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
