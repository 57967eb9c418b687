"""The job that marks finished runs completed."""

from __future__ import annotations

import logging
from datetime import timedelta

from coursehub.courses import jobs
from coursehub.courses.models import RunStatus, SessionStatus
from tests.courses.conftest import utc
from tests.factories import CourseRunFactory, CourseSessionFactory

FIRST = utc(2026, 10, 6, 16)  # the first of a run's weekly sessions


def finished_at(run):
    return max(s.ends_at for s in run.sessions if s.status == SessionStatus.SCHEDULED)


def test_a_run_is_completed_once_its_last_session_has_ended(db, caplog):
    run = CourseRunFactory(sessions__start=FIRST)
    end = finished_at(run)

    assert jobs.complete_finished_runs(end - timedelta(minutes=1)) == 0
    assert run.status == RunStatus.PUBLISHED
    with caplog.at_level(logging.INFO, logger="coursehub.courses.jobs"):
        assert jobs.complete_finished_runs(end + timedelta(minutes=1)) == 1
    assert run.status == RunStatus.COMPLETED
    assert [r.getMessage() for r in caplog.records] == ["course runs completed: 1"]
    # Run again (the scheduler restarted): nothing more happens.
    assert jobs.complete_finished_runs(end + timedelta(hours=1)) == 0
    assert run.status == RunStatus.COMPLETED


def test_only_published_runs_with_every_session_over_are_completed(db):
    finished = CourseRunFactory(sessions__start=FIRST)
    still_running = CourseRunFactory(sessions__start=FIRST)
    late = CourseSessionFactory(run=still_running, starts_at=utc(2027, 1, 12, 17))
    cancelled = CourseRunFactory(sessions__start=FIRST, status=RunStatus.CANCELLED)
    draft = CourseRunFactory(sessions__start=FIRST, draft=True)
    # A cancelled session at the end does not keep a run open.
    with_cancelled_last = CourseRunFactory(sessions__start=FIRST)
    CourseSessionFactory(
        run=with_cancelled_last, starts_at=utc(2027, 1, 12, 17), status=SessionStatus.CANCELLED
    )
    db.session.flush()
    now = finished_at(finished) + timedelta(days=1)
    assert late.starts_at > now

    assert jobs.complete_finished_runs(now) == 2
    assert jobs.complete_finished_runs(now) == 0
    assert finished.status == RunStatus.COMPLETED
    assert with_cancelled_last.status == RunStatus.COMPLETED
    assert still_running.status == RunStatus.PUBLISHED
    assert cancelled.status == RunStatus.CANCELLED
    assert draft.status == RunStatus.DRAFT


def test_the_job_is_scheduled(app):
    from coursehub.notifications.scheduler import job_specs

    specs = {spec.name: spec for spec in job_specs(app)}
    assert specs["courses_complete_finished_runs"].func is jobs.complete_finished_runs
    assert specs["courses_complete_finished_runs"].minutes == 60
