"""Which sessions have had their reminders queued (the reminder job itself belongs to enrollment)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import update

from coursehub.courses.models import CourseSession
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def mark_sessions_reminded(session_ids: Collection[int], *, now: datetime) -> int:
    """Record that the reminders of `session_ids` were queued at `now`; return how many changed.

    One statement whatever the number; a session already marked keeps its first time, so a job
    run twice changes nothing the second time.
    """
    if not session_ids:
        return 0
    result = db.session.execute(
        update(CourseSession)
        .where(CourseSession.id.in_(sorted(session_ids)), CourseSession.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    changed = int(getattr(result, "rowcount", 0) or 0)
    logger.info("sessions marked reminded: %s", changed)
    return changed
