"""Scheduled work of the courses area: plain functions of `now`, each safe to run twice."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import exists, select

from coursehub import events
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def complete_finished_runs(now: datetime) -> int:
    """Mark COMPLETED every published run whose last scheduled session ended before `now`.

    Drafts and cancelled runs are left as they are; a run already completed is not touched
    again, so a second run of the job changes nothing. Sends `events.run_finished` for each run
    it completes. Returns how many runs were completed.
    """
    scheduled = (CourseSession.run_id == CourseRun.id, CourseSession.status == SessionStatus.SCHEDULED)
    runs = db.session.scalars(
        select(CourseRun)
        .where(
            CourseRun.status == RunStatus.PUBLISHED,
            exists().where(*scheduled),
            ~exists().where(*scheduled, CourseSession.ends_at >= now),
        )
        .order_by(CourseRun.id)
    ).all()
    for run in runs:
        run.status = RunStatus.COMPLETED
    db.session.flush()
    for run in runs:
        events.run_finished.send(run, actor=None, now=now)
    logger.info("course runs completed: %s", len(runs))
    return len(runs)
