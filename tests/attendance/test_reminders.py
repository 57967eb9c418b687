"""Reminders respect an advance absence notice: nobody is reminded of a meeting they said they miss."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coursehub.attendance import services
from coursehub.enrollment import jobs
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.attendance.conftest import enrol, family_member, started_run


def _reminded() -> set[str]:
    return set(
        db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.dedupe_key.like("reminder:%")))
    )


def test_no_reminder_to_a_person_who_reported_absence(course_type, clock, request_context):
    run = started_run(course_type, weeks_ago=0)
    first = run.sessions[0]
    clock.set(first.starts_at - timedelta(days=3))
    away = family_member(email="borta@example.org")
    coming = family_member(away.household, email="kommer@example.org")
    enrol(run, away, coming)
    with request_context():
        services.report_absence(first, away, reason="Sjuk", actor=away, now=clock.now)
    clock.set(first.starts_at - timedelta(hours=20))
    jobs.send_session_reminders(clock.now)
    assert _reminded() == {"kommer@example.org"}
