"""E-mails of the attendance area, written into the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from coursehub.attendance.models import Certificate
from coursehub.courses.models import CourseSession, SessionStatus
from coursehub.extensions import db
from coursehub.notifications.services import link, queue_email


def _path(endpoint: str, **values: Any) -> str:
    """Build a path without a request (services also run from jobs and the CLI)."""
    path: str = current_app.url_map.bind("localhost").build(endpoint, values)
    return path


def run_ends_at(certificate: Certificate) -> datetime | None:
    """Return when the last meeting of the run that completed the course ends (None if unknown).

    The rule may be met before the last meeting (absences allowed); the family is told of its
    certificate only once the course is over, not while it still has a meeting to go to.
    """
    session_id = certificate.completion.completing_session_id
    session = db.session.get(CourseSession, session_id) if session_id is not None else None
    if session is None:
        return None
    ends = [s.ends_at for s in session.run.sessions if s.status == SessionStatus.SCHEDULED]
    return max(ends, default=session.ends_at)


def queue_certificate_issued_email(certificate: Certificate) -> None:
    """Tell the person that their certificate is ready, once the run's last meeting has ended."""
    user = certificate.user
    queue_email(
        dedupe_key=f"attendance.certificate_issued:{certificate.id}",
        recipient=user.email,
        template="attendance_certificate_issued",
        send_after=run_ends_at(certificate),
        greeting_name=user.first_name,
        person_name=user.full_name,
        course=certificate.course_type.name,
        progress_url=link(_path("attendance.my_progress")),
        download_url=link(_path("attendance.certificate_pdf", certificate_id=certificate.id)),
        verify_url=link(_path("attendance.verify_certificate", code=certificate.code)),
        code=certificate.code,
    )
