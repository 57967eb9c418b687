"""The list of scheduled jobs, and how they are run.

This module sits at the top, like create_app: it may import every area's jobs. The machinery
(the app-context-and-commit wrapper, the APScheduler setup) is in `notifications.scheduler`.
"""

from __future__ import annotations

from flask import Flask

from coursehub.notifications.scheduler import JobSpec, build_scheduler


def job_specs() -> list[JobSpec]:
    """Return every scheduled job with its trigger."""
    from coursehub.notifications.jobs import send_outbox

    return [
        JobSpec("outbox", send_outbox, minutes=1),
    ]


def start_in_process(app: Flask):
    """Start the scheduler in the background of this (single) web process: `make run` only."""
    scheduler = build_scheduler(app, job_specs(), blocking=False)
    scheduler.start()
    app.extensions["coursehub_scheduler"] = scheduler
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the scheduler in the foreground until interrupted."""
    build_scheduler(app, job_specs(), blocking=True).start()
