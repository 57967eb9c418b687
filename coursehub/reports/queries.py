"""Reading a report's kept figures (models.ReportSnapshot) while they are fresh."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Select, String, bindparam, case, null, select

from coursehub.extensions import db
from coursehub.lib.fragments import Fragments, app_fragments
from coursehub.reports.figures import Section
from coursehub.reports.models import ReportSnapshot
from coursehub.reports.periods import Period
from coursehub.reports.report import Report, sections_from_data, snapshot_key
from coursehub.reports.scope import Scope


def _fresh() -> Any:
    """The conditions on the kept row under the bound `key`, counted after `fresh_after`
    (`_fresh_values` gives both)."""
    return (
        ReportSnapshot.key == bindparam("key", type_=String),
        ReportSnapshot.made_at > bindparam("fresh_after", type_=DateTime(timezone=True)),
    )


def _fresh_values(
    place: Scope, periods: Sequence[Period], locale: str, now: datetime, fresh_for: timedelta
) -> dict[str, Any]:
    """The values of `_fresh` for the kept row of `place` over `periods` in `locale`, counted
    within `fresh_for`."""
    return {"key": snapshot_key(place, periods, locale), "fresh_after": now - fresh_for}


HELD_SECTIONS_KEY = "coursehub_held_sections"


def held_sections() -> Fragments[tuple[datetime, tuple[Section, ...]]]:
    """The sections of the kept reports this process has read, by key: (when counted, sections).

    A kept report's sections do not change while its `made_at` stays the same, so each is read
    and built once per process: a national report's are 19 kB of JSON, read, decoded and built
    into 380 rows on every view (1.4 of its 14 ms in-process). One store per app, at most 64
    reports. A report this process counts and keeps is held as kept (`hold_sections`), in place
    of what was held under its key (a recount in the same clock reading, as in the tests, keeps
    the same moment).
    """
    found: Fragments[tuple[datetime, tuple[Section, ...]]] = app_fragments(HELD_SECTIONS_KEY, 64)
    return found


def hold_sections(report: Report, *, locale: str) -> None:
    """Hold the sections of `report`, just kept in `locale`'s words (services.keep_report)."""
    held_sections().put(snapshot_key(report.place, report.periods, locale), (report.made_at, report.sections))


@functools.cache
def _kept_statement() -> Select[datetime, Any]:
    """When the kept report under `key` was counted, if within the freshness (`fresh_after`), and
    its sections unless they were counted at `held` (those this process holds): built once."""
    made_at = ReportSnapshot.made_at
    held = bindparam("held", type_=DateTime(timezone=True))
    return select(made_at, case((made_at == held, null()), else_=ReportSnapshot.sections)).where(*_fresh())


@functools.cache
def _moment_statement() -> Select[datetime]:
    """When the kept report under `key` was counted, if within the freshness: built once."""
    return select(ReportSnapshot.made_at).where(*_fresh())


def kept_report(
    place: Scope, periods: Sequence[Period], *, locale: str, now: datetime, fresh_for: timedelta
) -> Report | None:
    """Return the report of `place` over `periods` as kept, or None when none was kept within `fresh_for`.

    One statement: the row's sections come only when this process does not hold them already
    (`held_sections`).
    """
    values = _fresh_values(place, periods, locale, now, fresh_for)
    store = held_sections()
    held = store.find(values["key"])
    values["held"] = held[0] if held is not None else None
    found = db.session.execute(_kept_statement(), values).first()
    if found is None:
        return None
    made_at, data = found
    if data is None and held is not None:
        sections = held[1]
    else:
        sections = sections_from_data(data)
        store.put(values["key"], (made_at, sections))
    return Report(place, tuple(periods), sections, made_at)


def kept_moment(
    place: Scope, periods: Sequence[Period], *, locale: str, now: datetime, fresh_for: timedelta
) -> datetime | None:
    """Return when the report `kept_report` would return was counted (without its figures), or None."""
    return db.session.scalar(_moment_statement(), _fresh_values(place, periods, locale, now, fresh_for))
