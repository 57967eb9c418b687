"""The report's snapshots: a report's figures as they were counted, read again for a while.

Counting a report reads every sign-up and attendance mark of its periods: well within a second for
a county, about a second for the whole country (issue 24). A report is opened together with its
charts (one request each), its printable page and its workbook, and often by several people of a
steering group in the same hour. So each report's figures are kept, as counted, in one row per
place, series of periods and language, and read from there until they are older than
`COURSEHUB_REPORT_FRESH_MINUTES` (or someone asks for them to be counted again). The table holds
counts only, with the anonymity threshold already applied: no personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coursehub.db import Base


class ReportSnapshot(Base):
    """One report's sections as counted at `made_at` (see `report.sections_to_data`)."""

    __tablename__ = "report_snapshots"

    # The place, the series of periods and the language, e.g. "lan/2024h1-2026h2/sv"
    # (`report.snapshot_key`).
    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    made_at: Mapped[datetime] = mapped_column(index=True)
    sections: Mapped[list[Any]] = mapped_column(sa.JSON)

    def __repr__(self) -> str:
        return f"<ReportSnapshot {self.key} {self.made_at:%Y-%m-%d %H:%M}>"
