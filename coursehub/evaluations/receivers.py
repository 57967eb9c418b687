"""What the evaluations area does when lower areas send their events (coursehub/events.py)."""

from __future__ import annotations

from datetime import datetime

from coursehub.courses.models import CourseRun
from coursehub.evaluations.services import course


def open_finished_run_evaluation(run: CourseRun, *, actor: object, now: datetime, **_: object) -> None:
    """run_finished: open the run's evaluation and invite those who attended its meetings."""
    course.open_for_finished_run(run, actor=actor, now=now)
