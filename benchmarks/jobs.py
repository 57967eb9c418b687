"""Jobs at scale (issue 24, point 5): the reminder run and the outbox senders, timed on PostgreSQL.

    .venv/bin/python benchmarks/jobs.py                       # 10,000 reminders, 4 senders
    .venv/bin/python benchmarks/jobs.py --participants 500    # a quick check that it works

It starts a throwaway PostgreSQL cluster (as the tests do; root runs it as `postgres`), or uses
DATABASE_URL when that is set to an empty PostgreSQL database. It loads the benchmark generator's
data (`bench-seed`, sized so that the upcoming runs hold about --participants confirmed people),
marks every upcoming meeting but each run's next one as reminded already, and times one run of
the reminder job (`enrollment_session_reminders`) with a horizon that reaches all of them: one
reminder per confirmed participant (--profile-reminders FILE writes its cProfile). Then it
starts an SMTP sink in a process of its own and --senders outbox senders, each a process with
its own app and connection looping `send_outbox` until the outbox is empty, and times them:
messages per second, whether each message arrived exactly once (by its Message-ID), and the CPU
milliseconds per message of the senders, the sink and the PostgreSQL cluster (from /proc, when
the script started the cluster). --sink both (the default) runs the senders twice, against
aiosmtpd and then, with the same messages put back in line, against a lean asyncio sink, so the
sink's own cost shows. Targets: the reminders in under 10 s, the outbox at 200 messages a second
or more. The result is printed and written to
benchmarks/results/<date>-<time>-jobs-<participants>-<senders>senders.txt, with the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import multiprocessing
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REMINDER_TARGET_SECONDS = 10.0
OUTBOX_TARGET_PER_SECOND = 200.0


def _config(url: str, smtp_port: int = 0, record_every: int = 10) -> dict:
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
        "COURSEHUB_OUTBOX_RECORD_EVERY": record_every,
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


@dataclass
class ReminderRun:
    """One timed run of the reminder job."""

    queued: int
    seconds: float
    cpu: float  # CPU seconds of this process (time.process_time): what the load does not change
    postgres_cpu: float | None
    statements: int


def time_reminders(url: str, profile: str | None = None, postmaster: int | None = None) -> ReminderRun:
    """Run the reminder job once: reminders queued, seconds, CPU seconds and SQL statements."""
    import sqlalchemy as sa
    from sqlalchemy.orm import configure_mappers

    from coursehub import clock, create_app
    from coursehub.enrollment.jobs import send_session_reminders
    from coursehub.extensions import db

    app = create_app(_config(url))
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        configure_mappers()  # once per process, as in a running scheduler: not part of the run
        sa.event.listen(db.engine, "before_cursor_execute", count)
        profiler = cProfile.Profile() if profile else None
        postgres_began = _postgres_seconds(postmaster)
        cpu_began = time.process_time()
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        queued = send_session_reminders(clock.now())
        db.session.commit()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_began
        postgres_ended = _postgres_seconds(postmaster)
        if profiler is not None and profile:
            profiler.disable()
            profiler.dump_stats(profile)
        sa.event.remove(db.engine, "before_cursor_execute", count)
        db.engine.dispose()
    postgres_cpu = (
        None if postgres_began is None or postgres_ended is None else postgres_ended - postgres_began
    )
    return ReminderRun(queued, seconds, cpu, postgres_cpu, statements)


def _sink(kind: str, port: int, ready, counter, cpu, ids_path: str, stop) -> None:
    """An SMTP server that counts what it receives and writes each Message-ID to a file.

    `aiosmtpd`: the library's server, as the tests use it (it parses every command and keeps an
    envelope per message). `lean`: a few lines of asyncio that answer just what smtplib asks, to
    show what the senders reach when the server costs next to nothing. Either way the process
    reports the CPU seconds it spent, so that the server's share of the 2 cores is known.
    """
    import asyncio
    import re
    import threading

    message_id = re.compile(rb"^message-id:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
    began = time.process_time()
    with open(ids_path, "w", encoding="ascii") as ids:

        def received(data: bytes) -> None:
            head = data.split(b"\r\n\r\n", 1)[0]
            found = message_id.search(head)
            ids.write((found.group(1) if found else b"-").decode("ascii", "replace") + "\n")
            with counter.get_lock():
                counter.value += 1

        if kind == "aiosmtpd":
            from aiosmtpd.controller import Controller

            class Handler:
                async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
                    received(envelope.original_content)
                    return "250 OK"

            controller = Controller(Handler(), hostname="127.0.0.1", port=port)
            controller.start()
            ready.set()
            stop.wait()
            controller.stop()
        else:

            async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                writer.write(b"220 sink ESMTP\r\n")
                while line := await reader.readline():
                    verb = line[:4].upper()
                    if verb == b"EHLO":
                        writer.write(b"250-sink\r\n250 8BITMIME\r\n")
                    elif verb == b"DATA":
                        writer.write(b"354 go on\r\n")
                        received(await reader.readuntil(b"\r\n.\r\n"))
                        writer.write(b"250 OK\r\n")
                    elif verb == b"QUIT":
                        writer.write(b"221 bye\r\n")
                        break
                    else:  # HELO, MAIL, RCPT, RSET, NOOP
                        writer.write(b"250 OK\r\n")
                    await writer.drain()
                await writer.drain()
                writer.close()

            loop = asyncio.new_event_loop()
            server = loop.run_until_complete(asyncio.start_server(session, "127.0.0.1", port, limit=2**22))
            threading.Thread(target=lambda: (stop.wait(), loop.call_soon_threadsafe(loop.stop))).start()
            ready.set()
            loop.run_forever()
            server.close()
        ids.flush()
    cpu.value = time.process_time() - began


def _sender(url: str, port: int, record_every: int, start, results) -> None:
    from sqlalchemy.orm import configure_mappers

    from coursehub import clock, create_app
    from coursehub.extensions import db
    from coursehub.notifications.jobs import SendResult, send_outbox

    app = create_app(_config(url, port, record_every))
    with app.app_context():
        configure_mappers()  # once per process, as in a running scheduler: not part of the rate
        start.wait()
        began = time.process_time()
        sent = 0
        while (result := send_outbox(clock.now())) != SendResult():
            sent += result.sent
        cpu = time.process_time() - began
        db.session.remove()
        db.engine.dispose()
    results.put((sent, cpu))


@dataclass
class OutboxRun:
    """One timed run of the senders against one kind of SMTP sink."""

    sink: str
    record_every: int
    load: str
    sent: int
    seconds: float
    arrived: int
    distinct: int
    sender_cpu: float
    sink_cpu: float
    postgres_cpu: float | None
    machine_cpu: float

    def lines(self, senders: int) -> list[str]:
        rate = self.sent / self.seconds if self.seconds else 0.0
        met = "met" if rate >= OUTBOX_TARGET_PER_SECOND else "MISSED"
        per = 1000 / max(self.sent, 1)
        postgres = "?" if self.postgres_cpu is None else f"{self.postgres_cpu * per:.2f}"
        return [
            f"outbox, {self.sink} sink, recorded every {self.record_every} "
            f"(load average {self.load}): {self.sent} sent by {senders} "
            f"senders in {self.seconds:.2f} s = {rate:.0f} messages/s "
            f"(target {OUTBOX_TARGET_PER_SECOND:.0f}/s: {met})",
            f"  CPU ms per message: senders {self.sender_cpu * per:.2f}, "
            f"SMTP sink {self.sink_cpu * per:.2f}, "
            f"PostgreSQL {postgres}; the whole machine was busy {self.machine_cpu:.2f} of "
            f"{os.cpu_count()} cores",
            f"  arrived at the SMTP server: {self.arrived}, distinct Message-IDs: {self.distinct} "
            f"({'each once' if self.once else 'NOT each once'})",
        ]

    @property
    def once(self) -> bool:
        return self.arrived == self.distinct == self.sent


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _machine_jiffies() -> tuple[int, int]:
    """(busy, all) CPU time of the whole machine so far, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _postgres_seconds(postmaster: int | None) -> float | None:
    """CPU seconds of the PostgreSQL cluster so far: the postmaster, its ended and its living children."""
    if postmaster is None:
        return None
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        elif parent == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def time_outbox(
    url: str, senders: int, sink: str, record_every: int, workdir: Path, postmaster: int | None
) -> OutboxRun:
    """Send the whole outbox with `senders` processes against an SMTP sink of the kind `sink`."""
    from tests.support.postgres import free_port

    ctx = multiprocessing.get_context("spawn")
    port = free_port()
    ready, stop = ctx.Event(), ctx.Event()
    counter = ctx.Value("i", 0)
    sink_cpu = ctx.Value("d", 0.0)
    ids_path = str(workdir / f"message-ids-{sink}.txt")
    server = ctx.Process(target=_sink, args=(sink, port, ready, counter, sink_cpu, ids_path, stop))
    server.start()
    if not ready.wait(30):
        raise SystemExit("the SMTP sink did not start")
    start = ctx.Barrier(senders + 1)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_sender, args=(url, port, record_every, start, results)) for _ in range(senders)
    ]
    for process in processes:
        process.start()
    load = _load()
    start.wait()  # every sender has its app: the clock starts now
    began = time.perf_counter()
    machine_began, postgres_began = _machine_jiffies(), _postgres_seconds(postmaster)
    outcomes = [results.get(timeout=3600) for _ in processes]
    seconds = time.perf_counter() - began
    for process in processes:
        process.join()
    stop.set()
    server.join()
    machine_busy, machine_all = (
        now - then for now, then in zip(_machine_jiffies(), machine_began, strict=True)
    )
    postgres_ended = _postgres_seconds(postmaster)
    lines = Path(ids_path).read_text(encoding="ascii").splitlines()
    return OutboxRun(
        sink=sink,
        record_every=record_every,
        load=load,
        sent=sum(sent for sent, _cpu in outcomes),
        seconds=seconds,
        arrived=len(lines),
        distinct=len(set(lines)),
        sender_cpu=sum(cpu for _sent, cpu in outcomes),
        sink_cpu=sink_cpu.value,
        postgres_cpu=None
        if postgres_began is None or postgres_ended is None
        else postgres_ended - postgres_began,
        machine_cpu=(os.cpu_count() or 1) * machine_busy / max(machine_all, 1),
    )


def _put_back_in_line(url: str, ids: list[int]) -> None:
    """Make the messages of the first run unsent again, for a run against another sink."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE outbox_messages SET sent_at = NULL, attempts = 0, last_error = NULL, "
                "next_attempt_at = now() - interval '1 minute' WHERE id = ANY(:ids)"
            ),
            {"ids": ids},
        )
    engine.dispose()


def _unsent_ids(url: str) -> list[int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        ids = list(
            connection.execute(sa.text("SELECT id FROM outbox_messages WHERE sent_at IS NULL")).scalars()
        )
    engine.dispose()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--sink",
        choices=["aiosmtpd", "lean", "both"],
        default="both",
        help="the SMTP server the senders deliver to (both: one run against each)",
    )
    parser.add_argument(
        "--record-every",
        type=int,
        default=10,
        help="messages a sender sends before it records them (COURSEHUB_OUTBOX_RECORD_EVERY)",
    )
    parser.add_argument("--profile-reminders", metavar="FILE", help="write a cProfile of the reminder run")
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
    sinks = ["aiosmtpd", "lean"] if args.sink == "both" else [args.sink]
    postmaster = None
    if cluster is not None:
        postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    workdir = Path(tempfile.mkdtemp(prefix="coursehub-jobs-"))
    runs: list[OutboxRun] = []
    try:
        due, seed_seconds = seed(url, args.participants, args.seed)
        reminder_load = _load()
        reminders = time_reminders(url, args.profile_reminders, postmaster)
        queued_ids = _unsent_ids(url)
        for number, sink in enumerate(sinks):
            if number:
                _put_back_in_line(url, queued_ids)
            runs.append(time_outbox(url, args.senders, sink, args.record_every, workdir, postmaster))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if cluster is not None:
            cluster.stop()
    stamp = datetime.now(UTC)
    reminders_met = "met" if reminders.seconds < REMINDER_TARGET_SECONDS else "MISSED"
    postgres = "?" if reminders.postgres_cpu is None else f"{reminders.postgres_cpu:.2f}"
    lines = [
        f"coursehub jobs benchmark, {stamp:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"data: {due} confirmed participants due (asked for {args.participants}), "
        f"loaded in {seed_seconds:.0f} s",
        f"reminder run (load average {reminder_load}): {reminders.queued} reminders queued in "
        f"{reminders.seconds:.2f} s, {reminders.statements} SQL statements "
        f"(target under {REMINDER_TARGET_SECONDS:.0f} s: {reminders_met})",
        f"  CPU seconds of the reminder run: the job's process {reminders.cpu:.2f}, "
        f"PostgreSQL {postgres} (what a quiet machine needs at least; the rest was waiting for a core)",
    ]
    for run in runs:
        lines += run.lines(args.senders)
    report = "\n".join(lines)
    print(report)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    name = f"{stamp:%Y-%m-%d-%H%M}-jobs-{args.participants}-{args.senders}senders.txt"
    (results / name).write_text(report + "\n", encoding="utf-8")
    if not all(run.once and run.sent == reminders.queued for run in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
