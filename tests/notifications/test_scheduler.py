"""The scheduler: started only where asked, jobs wrapped in an app context and a commit."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import func, select, text

from coursehub import create_app
from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.scheduler import JobSpec, build_scheduler, job_specs, run_job
from coursehub.notifications.services import queue_email
from tests.conftest import _base_config


def _outbox_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_web_process_starts_no_scheduler_without_the_setting(template_database, monkeypatch):
    monkeypatch.delenv("COURSEHUB_SCHEDULER", raising=False)
    url, drop = template_database()
    config = _base_config(url)
    del config["COURSEHUB_SCHEDULER"]
    app = create_app(config)
    try:
        assert "coursehub_scheduler" not in app.extensions
    finally:
        drop()


def test_inprocess_setting_starts_a_running_scheduler_with_the_outbox_job(template_database):
    url, drop = template_database()
    app = create_app({**_base_config(url), "COURSEHUB_SCHEDULER": "inprocess"})
    scheduler = app.extensions["coursehub_scheduler"]
    try:
        assert scheduler.running
        job = scheduler.get_job("outbox")
        assert job is not None and job.func is run_job
        assert job.trigger.interval == timedelta(minutes=1)
        assert str(scheduler.timezone) == "Europe/Stockholm"
    finally:
        scheduler.shutdown(wait=False)
        drop()


def test_scheduler_command_builds_a_blocking_scheduler_with_every_job(app):
    scheduler = build_scheduler(app, job_specs(app), blocking=True)
    assert isinstance(scheduler, BlockingScheduler)
    ids = [job.id for job in scheduler.get_jobs()]
    assert ids == [spec.name for spec in job_specs(app)]
    assert "outbox" in ids and len(set(ids)) == len(ids)
    # Every area's init_app added its jobs.
    assert set(ids) == {
        "outbox",
        "enrollment_expire_offers",
        "enrollment_session_reminders",
        "enrollment_lapse_unconfirmed",
        "courses_complete_finished_runs",
        "forum_daily_digests",
        "evaluation_reminders",
        "evaluation_closing",
        "retention_audit",
        "retention_mail_bodies",
        "retention_ended_signups",
        "retention_unconfirmed_households",
        "retention_cases",
        "retention_requests",
        "accounts_unusual_reads",
    }


def test_jobs_fall_behind_gracefully(app):
    scheduler = build_scheduler(app, job_specs(app), blocking=False)
    assert scheduler._job_defaults["coalesce"] is True
    assert scheduler._job_defaults["max_instances"] == 1


def test_run_job_commits_what_the_job_wrote(app, clock):
    def job(now):
        queue_email(dedupe_key="job:1", recipient="anna@exempel.test", template="test_message", name="Anna")

    assert run_job(app, job) is True
    assert _outbox_count() == 1


def test_run_job_rolls_back_and_logs_without_data_on_error(app, caplog):
    def job(now):
        queue_email(dedupe_key="job:2", recipient="anna@exempel.test", template="test_message", name="Anna")
        raise RuntimeError("anna@exempel.test broke it")

    with caplog.at_level(logging.INFO, logger="coursehub"):
        assert run_job(app, job) is False
    assert _outbox_count() == 0
    assert "job failed (RuntimeError)" in caplog.text
    assert "anna@exempel.test" not in caplog.text


def test_run_job_hands_the_app_clock_to_the_job(app, clock):
    seen = []
    run_job(app, seen.append)
    assert seen == [clock.now]


def test_outbox_job_through_the_scheduler_wrapper_delivers_mail(app, smtp_server, clock):
    queue_email(dedupe_key="job:3", recipient="anna@exempel.test", template="test_message", name="Anna")
    db.session.commit()
    assert run_job(app, send_outbox) is True
    [received] = smtp_server.wait_for(1)
    assert received["To"] == "anna@exempel.test"


def test_job_spec_needs_either_minutes_or_cron():
    with pytest.raises(ValueError):
        JobSpec("broken", print)
    with pytest.raises(ValueError):
        JobSpec("broken", print, minutes=5, cron={"hour": 6})
    trigger = JobSpec("nightly", print, cron={"hour": 3, "minute": 15}).trigger()
    assert str(trigger.timezone) == "Europe/Stockholm"
    assert "hour='3'" in str(trigger)


def test_two_jobs_of_one_name_are_refused(app):
    from coursehub.notifications.scheduler import add_jobs

    with pytest.raises(ValueError, match="outbox"):
        add_jobs(app, [JobSpec("outbox", send_outbox, minutes=5)])
    assert [spec.name for spec in job_specs(app)].count("outbox") == 1


def test_a_job_another_scheduler_is_running_is_skipped_then_runs_again(app, db_engine_name, caplog):
    if db_engine_name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite serialises jobs with its write lock")
    from sqlalchemy import func as sql_func

    from coursehub.notifications.scheduler import job_lock_key

    ran = []
    key = job_lock_key("courses_complete_finished_runs")
    with db.engine.connect() as other_scheduler:
        assert other_scheduler.scalar(select(sql_func.pg_try_advisory_lock(key)))
        with caplog.at_level(logging.INFO, logger="coursehub"):
            assert run_job(app, ran.append, "courses_complete_finished_runs") is True
        assert ran == []
        assert "courses_complete_finished_runs skipped: another scheduler is running it" in caplog.text
        # Another job is not held up, and a job that is not exclusive runs anyway.
        assert run_job(app, ran.append, "enrollment_expire_offers") is True
        assert run_job(app, ran.append, "courses_complete_finished_runs", exclusive=False) is True
        assert len(ran) == 2
        other_scheduler.scalar(select(sql_func.pg_advisory_unlock(key)))
        other_scheduler.commit()
    # Once the other has finished, the next turn runs it, and leaves no lock behind.
    assert run_job(app, ran.append, "courses_complete_finished_runs") is True
    assert len(ran) == 3
    with db.engine.connect() as probe:
        assert probe.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) == 0


def test_a_job_whose_database_cannot_be_reached_fails_and_says_so(caplog):
    from tests.support.postgres import free_port

    # A PostgreSQL address where nothing listens: the job's lock cannot even be asked for.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/coursehub"
    unreachable = create_app({**_base_config(url), "MAIL_SERVER": None})
    ran = []
    with caplog.at_level(logging.INFO, logger="coursehub"):
        assert run_job(unreachable, ran.append, "courses_complete_finished_runs") is False
    assert ran == []
    assert "scheduled job courses_complete_finished_runs failed (OperationalError)" in caplog.text
