"""The scheduler machinery: job specifications, the app-context-and-commit wrapper, APScheduler.

Each area adds its jobs in its own `init_app` with `add_jobs(app, [JobSpec(...)])`; this module
imports none of the areas. Jobs are plain functions `job(now)`; tests call them directly.

Exactly one scheduler process should run (DESIGN.md), but a second one started by mistake, or two
for a moment while a deployment replaces one, must not do any job's work twice. Every job is
idempotent when runs follow each other; for runs at the same time:

- PostgreSQL: `run_job` takes a session-level advisory lock named after the job
  (`pg_try_advisory_lock`) on a connection of its own before it starts the job. A second
  scheduler that finds the lock taken skips that turn (the other is doing the work) and logs it.
  The lock is released when the job ends, and by PostgreSQL if the process dies.
- SQLite: every job's transaction begins `BEGIN IMMEDIATE` (coursehub.lib.database), so a second
  run waits for the first to commit and then finds nothing left to do.

The outbox sender is not exclusive (`JobSpec(exclusive=False)`): several senders may run at once
for throughput, and each message is claimed under its own row lock (notifications.jobs).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from coursehub import clock
from coursehub.extensions import db

logger = logging.getLogger(__name__)

JobFunction = Callable[[datetime], object]
JOBS_KEY = "coursehub_jobs"


@dataclass(frozen=True)
class JobSpec:
    """A job and when it runs: every `minutes`, or at a cron-like time (`cron={"hour": 6}`)."""

    name: str
    func: JobFunction
    minutes: int | None = None
    cron: dict[str, object] = field(default_factory=dict)
    # Whether two schedulers must never run it at the same time (see the module docstring).
    exclusive: bool = True

    def __post_init__(self) -> None:
        if (self.minutes is None) == (not self.cron):
            raise ValueError(f"job {self.name!r} needs either minutes or cron, not both or neither")

    def trigger(self):
        """Return the APScheduler trigger for this job, in Stockholm time."""
        if self.minutes is not None:
            return IntervalTrigger(minutes=self.minutes, timezone=clock.LOCAL_TZ)
        return CronTrigger(timezone=clock.LOCAL_TZ, **self.cron)


def add_jobs(app: Flask, specs: list[JobSpec]) -> None:
    """Add an area's scheduled jobs to `app` (the scheduler process runs them; see DESIGN.md)."""
    jobs = app.extensions.setdefault(JOBS_KEY, [])
    taken = {spec.name for spec in jobs}
    for spec in specs:
        if spec.name in taken:
            raise ValueError(f"two scheduled jobs are named {spec.name!r}")
        taken.add(spec.name)
        jobs.append(spec)


def job_specs(app: Flask) -> list[JobSpec]:
    """Return every scheduled job the areas of `app` added, in the order they were added."""
    return list(app.extensions.get(JOBS_KEY, ()))


def run_job(app: Flask, func: JobFunction, name: str | None = None, *, exclusive: bool = True) -> bool:
    """Run `func(now)` inside an app context and commit; roll back and log on error.

    Returns True when the job went through, or was skipped because another scheduler is running
    it right now (`exclusive`, PostgreSQL only). The session is removed either way, so that
    nothing from one run leaks into the next.
    """
    name = str(name or getattr(func, "__name__", "job"))
    with app.app_context(), _job_lock(name, exclusive) as lock:
        if lock == "taken":
            logger.info("scheduled job %s skipped: another scheduler is running it", name)
            return True
        if lock == "failed":
            return False
        try:
            func(clock.now())
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            # Only the type: exception messages may carry data (SQL parameters, addresses).
            logger.error("scheduled job %s failed (%s)", name, type(error).__name__)
            logger.debug("scheduled job %s failed", name, exc_info=True)
            return False
        finally:
            db.session.remove()
    return True


def job_lock_key(name: str) -> int:
    """Return the advisory lock key of a job: a signed 64-bit number fixed by its name."""
    digest = hashlib.blake2b(f"coursehub-job:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def _job_lock(name: str, exclusive: bool) -> Iterator[str]:
    """Hold the job's advisory lock (PostgreSQL) for the block.

    Yields "ours" (run the job), "taken" (another scheduler is running it) or "failed" (the
    database could not be asked, logged here as the job's failure, as run_job logs others).
    """
    if not exclusive or db.engine.dialect.name != "postgresql":
        yield "ours"
        return
    key = job_lock_key(name)
    try:
        # A connection of its own: the job commits (and may change connection) while it holds.
        connection = db.engine.connect()
        ours = bool(connection.scalar(select(func.pg_try_advisory_lock(key))))
        connection.commit()
    except SQLAlchemyError as error:
        logger.error("scheduled job %s failed (%s)", name, type(error).__name__)
        yield "failed"
        return
    try:
        yield "ours" if ours else "taken"
    finally:
        try:
            if ours:
                connection.scalar(select(func.pg_advisory_unlock(key)))
                connection.commit()
        except SQLAlchemyError as error:
            # Closing the database session for good releases its lock; back in the pool it would not.
            logger.error("scheduled job %s: lock not released (%s)", name, type(error).__name__)
            connection.invalidate()
        finally:
            connection.close()


def build_scheduler(app: Flask, specs: list[JobSpec], blocking: bool):
    """Return an APScheduler 3 scheduler (not started) with every job of `specs` on it."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        timezone=clock.LOCAL_TZ,
        # A job that fell behind runs once, not once per missed turn; never two at a time.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    for spec in specs:
        scheduler.add_job(
            run_job,
            spec.trigger(),
            args=(app, spec.func, spec.name),
            kwargs={"exclusive": spec.exclusive},
            id=spec.name,
            name=spec.name,
            replace_existing=True,
        )
    return scheduler


def start_in_process(app: Flask):
    """Start the scheduler in the background of this (single) web process: `make run` only."""
    scheduler = build_scheduler(app, job_specs(app), blocking=False)
    scheduler.start()
    app.extensions["coursehub_scheduler"] = scheduler
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the scheduler in the foreground until interrupted."""
    scheduler = build_scheduler(app, job_specs(app), blocking=True)
    logger.info("scheduler started with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("scheduler stopped")
