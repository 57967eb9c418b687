"""E-mails of the attendance area, written into the outbox."""

from __future__ import annotations

from flask import current_app

from coursehub.notifications.services import link, queue_email


def _path(endpoint: str, **values) -> str:
    """Build a path without a request (services also run from jobs and the CLI)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def queue_certificate_issued_email(certificate) -> None:
    """Tell the person that their certificate is ready, with links to it and to its public check."""
    user = certificate.user
    queue_email(
        dedupe_key=f"attendance.certificate_issued:{certificate.id}",
        recipient=user.email,
        template="attendance_certificate_issued",
        person_name=user.full_name,
        course=certificate.course_type.name,
        progress_url=link(_path("attendance.my_progress")),
        download_url=link(_path("attendance.certificate_pdf", certificate_id=certificate.id)),
        verify_url=link(_path("attendance.verify_certificate", code=certificate.code)),
        code=certificate.code,
    )
