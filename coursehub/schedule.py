"""The list of scheduled jobs, and how they are run.

This module sits at the top, like create_app: it may import every area's jobs. The machinery
(the app-context-and-commit wrapper, the APScheduler setup) is in `notifications.scheduler`.
"""

from __future__ import annotations

import logging

from flask import Flask

from coursehub.notifications.scheduler import JobSpec, build_scheduler

logger = logging.getLogger(__name__)


def job_specs() -> list[JobSpec]:
    """Return every scheduled job with its trigger."""
    from coursehub.courses import jobs as course_jobs
    from coursehub.enrollment import jobs as enrollment_jobs
    from coursehub.notifications.jobs import send_outbox

    return [
        JobSpec("outbox", send_outbox, minutes=1),
        JobSpec("enrollment_expire_offers", enrollment_jobs.expire_offers, minutes=10),
        JobSpec("enrollment_session_reminders", enrollment_jobs.send_session_reminders, minutes=15),
        JobSpec("courses_complete_finished_runs", course_jobs.complete_finished_runs, minutes=60),
    ]


def start_in_process(app: Flask):
    """Start the scheduler in the background of this (single) web process: `make run` only."""
    scheduler = build_scheduler(app, job_specs(), blocking=False)
    scheduler.start()
    app.extensions["coursehub_scheduler"] = scheduler
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the scheduler in the foreground until interrupted."""
    scheduler = build_scheduler(app, job_specs(), blocking=True)
    logger.info("scheduler started with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("scheduler stopped")
