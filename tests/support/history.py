"""Years of people and marks written in bulk, for the tests that check a page reads the same
whatever the history beside it (the factories would take minutes for thousands of rows)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from coursehub.accounts.models import Role, User, UserRole
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.extensions import db


def add_marked_adults(sessions: Sequence, household_ids: Sequence[int], prefix: str) -> list[int]:
    """Insert one family adult for each of `household_ids` (`prefix` makes them unique), marked
    present at each of `sessions`; return their ids."""
    ids = db.session.scalars(
        sa.insert(User).returning(User.id),
        [
            {
                "email": f"{prefix}-{n}@exempel.test",
                "username": f"{prefix}.{n}",
                "full_name": f"{prefix.capitalize()} {n}",
                "session_token": f"{prefix}-{n}",
                "household_id": household_id,
            }
            for n, household_id in enumerate(household_ids)
        ],
    ).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": id_, "role": Role.FAMILY} for id_ in ids])
    db.session.execute(
        sa.insert(AttendanceMark),
        [
            {
                "session_id": session.id,
                "user_id": id_,
                "status": AttendanceStatus.PRESENT,
                "recorded_at": session.ends_at,
            }
            for session in sessions
            for id_ in ids
        ],
    )
    return list(ids)
