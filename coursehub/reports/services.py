"""The report's one write: keeping a report's figures as counted (models.ReportSnapshot)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from coursehub.extensions import db
from coursehub.lib.database import insert_on_conflict
from coursehub.reports.models import ReportSnapshot
from coursehub.reports.report import Report, sections_to_data, snapshot_key

# A snapshot older than this is of no use to anyone (it is counted again after minutes): the
# next one kept removes it, so the table holds only the reports asked for lately.
SNAPSHOTS_KEPT = timedelta(days=1)


def keep_report(report: Report, *, locale: str) -> None:
    """Keep `report`'s figures (in `locale`'s words) in place of any kept before under its key.

    Two workers that counted the same report at once both write; the later one stands, and both
    showed what they counted. The upsert is one statement on both databases, never a unique error.
    """
    values = {
        "key": snapshot_key(report.place, report.periods, locale),
        "made_at": report.made_at,
        "sections": sections_to_data(report.sections),
    }
    statement = insert_on_conflict(ReportSnapshot).values(values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["key"],
            set_={"made_at": statement.excluded.made_at, "sections": statement.excluded.sections},
        )
    )
    db.session.execute(delete(ReportSnapshot).where(ReportSnapshot.made_at < report.made_at - SNAPSHOTS_KEPT))
    db.session.flush()
