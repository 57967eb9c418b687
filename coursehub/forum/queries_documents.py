"""Reads of the documents, library, news and meeting pages, and the meeting figures by half-year.

Each page runs a fixed number of queries whatever the data size. `meeting_figures` gives the
meetings held, the share online and attendance per half-year; the report counts the same over
any series of periods and scope with forum.queries_figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coursehub.accounts.models import User
from coursehub.clock import LOCAL_TZ
from coursehub.extensions import db
from coursehub.forum.models import (
    Document,
    DocumentFolder,
    DocumentVersion,
    Meeting,
    MeetingAttendance,
    NetworkMembership,
    NewsItem,
)
from coursehub.lib.pagination import Page, paginate


def document_folders(network_id: int | None) -> list[DocumentFolder]:
    """Return the folders of a network's documents (None: of the shared library), by name."""
    return list(
        db.session.scalars(
            select(DocumentFolder)
            .where(
                DocumentFolder.network_id.is_(None)
                if network_id is None
                else DocumentFolder.network_id == network_id
            )
            .order_by(DocumentFolder.name, DocumentFolder.id)
        )
    )


def documents_page(network_id: int | None, *, folder_id: int | None, page: int, per_page: int = 25) -> Page:
    """Return one page of a network's (or the library's) documents, newest version first."""
    stmt = select(Document).options(joinedload(Document.folder))
    stmt = stmt.where(
        Document.network_id.is_(None) if network_id is None else Document.network_id == network_id
    )
    if folder_id is not None:
        stmt = stmt.where(Document.folder_id == folder_id)
    return paginate(stmt.order_by(Document.updated_at.desc(), Document.id.desc()), page, per_page)


def document_versions(document_id: int) -> list[DocumentVersion]:
    """Return every version of a document, newest first, with who uploaded it."""
    return list(
        db.session.scalars(
            select(DocumentVersion)
            .options(joinedload(DocumentVersion.uploaded_by))
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number.desc())
        )
    )


def minutes_choices(network_id: int, *, limit: int = 200) -> list[tuple[int, str]]:
    """Return (id, title) of a network's newest documents, to choose a meeting's minutes from."""
    rows = db.session.execute(
        select(Document.id, Document.title)
        .where(Document.network_id == network_id)
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return [(row.id, row.title) for row in rows]


def network_members(network_id: int) -> list[User]:
    """Return a network's members by name (the moderator records attendance from them)."""
    return list(
        db.session.scalars(
            select(User)
            .join(NetworkMembership, NetworkMembership.user_id == User.id)
            .where(NetworkMembership.network_id == network_id)
            .order_by(User.full_name, User.id)
        )
    )


def meetings_page(network_id: int, *, page: int, per_page: int = 20) -> Page:
    """Return one page of a network's meetings, the latest first, with their attendance counts."""
    attended = (
        select(func.count(MeetingAttendance.id))
        .where(MeetingAttendance.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    stmt = (
        select(Meeting, attended.label("attended"))
        .where(Meeting.network_id == network_id)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )
    return paginate(stmt, page, per_page, scalars=False)


def news_page(*, page: int, per_page: int = 20) -> Page:
    """Return one page of news, newest first."""
    return paginate(
        select(NewsItem).order_by(NewsItem.published_at.desc(), NewsItem.id.desc()), page, per_page
    )


def latest_news(limit: int = 3) -> list[NewsItem]:
    """Return the newest news items, for the block on the members' start page."""
    return list(
        db.session.scalars(
            select(NewsItem).order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit)
        )
    )


@dataclass(frozen=True)
class HalfYearMeetings:
    """Meetings held in one half-year (e.g. "2026 H1"), the share online, and attendance."""

    year: int
    half: int  # 1: January-June, 2: July-December (Swedish time)
    held: int
    online: int
    attendances: int

    @property
    def label(self) -> str:
        return f"{self.year} H{self.half}"

    @property
    def online_share(self) -> float:
        """Share of the meetings held that were online (0.0 when none was held)."""
        return self.online / self.held if self.held else 0.0

    @property
    def average_attendance(self) -> float:
        """Attendees per meeting held."""
        return self.attendances / self.held if self.held else 0.0


def meeting_figures(*, now: datetime, network_id: int | None = None) -> list[HalfYearMeetings]:
    """Return, per half-year and oldest first, the meetings held before `now` (one network or all).

    One query: each held meeting with its attendance count; the half-year is taken in Swedish
    time, so a meeting on New Year's Eve evening counts in the year it was held.
    """
    attended = (
        select(func.count(MeetingAttendance.id))
        .where(MeetingAttendance.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    stmt = select(Meeting.starts_at, Meeting.online_url, attended).where(Meeting.starts_at <= now)
    if network_id is not None:
        stmt = stmt.where(Meeting.network_id == network_id)
    totals: dict[tuple[int, int], list[int]] = {}
    for starts_at, online_url, count in db.session.execute(stmt):
        local = starts_at.astimezone(LOCAL_TZ)
        key = (local.year, 1 if local.month <= 6 else 2)
        held, online, attendances = totals.get(key, [0, 0, 0])
        totals[key] = [held + 1, online + (1 if online_url else 0), attendances + count]
    return [HalfYearMeetings(year, half, *values) for (year, half), values in sorted(totals.items())]
