"""Reads of the documents, library, news and meeting pages.

Each page runs a fixed number of queries whatever the data size. The meetings held, the share
online and attendance per period are the report's (forum.queries_figures).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coursehub.accounts.models import User
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
