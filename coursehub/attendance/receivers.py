"""What the attendance area does when lower areas send events (connected in `init_app`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coursehub.attendance.models import AbsenceNotice
from coursehub.courses.models import CourseSession
from coursehub.extensions import db


def excused_from_session(session: CourseSession, *, now: datetime, **_kw: object) -> set[int]:
    """Name the people who reported absence for `session`: they get no reminder of it."""
    return set(
        db.session.scalars(select(AbsenceNotice.user_id).where(AbsenceNotice.session_id == session.id))
    )
