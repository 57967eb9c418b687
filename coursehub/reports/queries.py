"""Reading a report's kept figures (models.ReportSnapshot) while they are fresh."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from coursehub.extensions import db
from coursehub.reports.models import ReportSnapshot
from coursehub.reports.periods import Period
from coursehub.reports.report import Report, sections_from_data, snapshot_key
from coursehub.reports.scope import Scope


def _fresh(place: Scope, periods: Sequence[Period], locale: str, now: datetime, fresh_for: timedelta) -> Any:
    """The conditions on the kept row of `place` over `periods` in `locale`, counted within `fresh_for`."""
    return (
        ReportSnapshot.key == snapshot_key(place, periods, locale),
        ReportSnapshot.made_at > now - fresh_for,
    )


def kept_report(
    place: Scope, periods: Sequence[Period], *, locale: str, now: datetime, fresh_for: timedelta
) -> Report | None:
    """Return the report of `place` over `periods` as kept, or None when none was kept within `fresh_for`."""
    found = db.session.execute(
        select(ReportSnapshot.made_at, ReportSnapshot.sections).where(
            *_fresh(place, periods, locale, now, fresh_for)
        )
    ).first()
    if found is None:
        return None
    return Report(place, tuple(periods), sections_from_data(found.sections), found.made_at)


def kept_moment(
    place: Scope, periods: Sequence[Period], *, locale: str, now: datetime, fresh_for: timedelta
) -> datetime | None:
    """Return when the report `kept_report` would return was counted (without its figures), or None."""
    return db.session.scalar(
        select(ReportSnapshot.made_at).where(*_fresh(place, periods, locale, now, fresh_for))
    )
