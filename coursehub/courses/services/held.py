"""What the areas above record about sessions held: that attendance has been taken."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from coursehub.courses.models import CourseSession
from coursehub.extensions import db

logger = logging.getLogger(__name__)


def note_attendance_taken(session: CourseSession, *, now: datetime) -> None:
    """Record that attendance was first recorded at `session` at `now` (attendance's services).

    A session already noted keeps its first time and is not written again: only the first mark
    of a session updates its row (and locks it until that transaction ends), so a caller that
    also locks other rows takes this one first.
    """
    if session.attendance_taken_at is not None:
        return
    result = db.session.execute(
        update(CourseSession)
        .where(CourseSession.id == session.id, CourseSession.attendance_taken_at.is_(None))
        .values(attendance_taken_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) == 1:
        set_committed_value(session, "attendance_taken_at", now)
        logger.info("attendance taken session=%s", session.id)
    else:  # another transaction noted it first: read its time rather than write ours
        db.session.refresh(session, ["attendance_taken_at"])


def note_attendance_taken_at(first_marks: Mapping[int, datetime]) -> None:
    """Record for each session id when attendance was first recorded there, in one statement
    (the benchmark data, whose marks are written in bulk)."""
    if not first_marks:
        return
    # An UPDATE by primary key with the rows' values, run as one executemany.
    db.session.execute(
        update(CourseSession),
        [{"id": ident, "attendance_taken_at": at} for ident, at in sorted(first_marks.items())],
    )
