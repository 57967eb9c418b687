"""The forum's part of a person's data: what they wrote and uploaded, and their memberships.

Export: the person's own posts (thread, number, dates, the text they wrote), the threads they
started, the documents and versions they uploaded (metadata: title, file name, size, dates; the
files are theirs to download from the library), news they wrote, their networks, subscriptions
and meetings attended. Never other people's posts, not even replies to theirs.

Erasure: the text of their posts (and every earlier revision) is removed and the posts marked
deleted, so threads keep their numbering and the search index drops them; memberships,
subscriptions, digests, read marks and meeting attendance go. Threads, documents, news and
meetings they started stay for the others, under an anonymised author (the account keeps its row).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from coursehub.extensions import db
from coursehub.forum.models import (
    DigestItem,
    Document,
    DocumentVersion,
    MeetingAttendance,
    NetworkMembership,
    NewsItem,
    Post,
    PostRevision,
    Subscription,
    Thread,
    ThreadRead,
)
from coursehub.lib.personal_data import ErasureContext, Person, Provider, Rows, row


def _posts(person: Person, *options: ORMOption) -> list[Post]:
    stmt = sa.select(Post).where(Post.author_id == person.id).order_by(Post.id).options(*options)
    return list(db.session.scalars(stmt))


def export(person: Person) -> Rows:
    """Return what the person wrote and uploaded in the forum, and where they take part."""
    threads = db.session.scalars(sa.select(Thread).where(Thread.author_id == person.id).order_by(Thread.id))
    versions = db.session.scalars(
        sa.select(DocumentVersion)
        .where(DocumentVersion.uploaded_by_id == person.id)
        .order_by(DocumentVersion.id)
        .options(selectinload(DocumentVersion.document))
    )
    news = db.session.scalars(
        sa.select(NewsItem).where(NewsItem.author_id == person.id).order_by(NewsItem.id)
    )
    memberships = db.session.scalars(
        sa.select(NetworkMembership)
        .where(NetworkMembership.user_id == person.id)
        .order_by(NetworkMembership.id)
        .options(selectinload(NetworkMembership.network))
    )
    subscriptions = db.session.scalars(
        sa.select(Subscription).where(Subscription.user_id == person.id).order_by(Subscription.id)
    )
    meetings = db.session.scalars(
        sa.select(MeetingAttendance)
        .where(MeetingAttendance.user_id == person.id)
        .order_by(MeetingAttendance.id)
        .options(selectinload(MeetingAttendance.meeting))
    )
    documents = db.session.scalars(
        sa.select(Document).where(Document.created_by_id == person.id).order_by(Document.id)
    )
    return {
        "Inlägg": [
            row(
                {
                    "Tråd": post.thread.title,
                    "Nummer": post.number,
                    "Skrivet": post.created_at,
                    "Ändrat": post.edited_at,
                    "Borttaget": post.deleted_at,
                    "Dolt av moderator": post.hidden_at,
                    "Text": post.body_source,
                }
            )
            for post in _posts(person, selectinload(Post.thread))
        ],
        "Trådar": [row({"Rubrik": thread.title, "Startad": thread.created_at}) for thread in threads],
        "Dokument": [row({"Titel": document.title, "Skapat": document.created_at}) for document in documents],
        "Dokumentversioner": [
            row(
                {
                    "Dokument": version.document.title,
                    "Version": version.number,
                    "Filnamn": version.filename,
                    "Storlek (byte)": version.size,
                    "Uppladdad": version.uploaded_at,
                }
            )
            for version in versions
        ],
        "Nyheter": [
            row({"Rubrik": item.title, "Publicerad": item.published_at, "Text": item.body}) for item in news
        ],
        "Nätverk": [
            row({"Nätverk": m.network.name, "Moderator": m.is_moderator, "Medlem sedan": m.created})
            for m in memberships
        ],
        "Bevakningar": [
            row({"Gäller": s.target, "Leverans": s.delivery, "Skapad": s.created_at}) for s in subscriptions
        ],
        "Nätverksträffar": [row({"Träff": a.meeting.starts_at, "Plats": a.meeting.place}) for a in meetings],
    }


def erase(person: Person, context: ErasureContext) -> None:
    """Remove the text of the person's posts; drop their memberships and notifications."""
    posts = _posts(person)
    db.session.execute(sa.delete(PostRevision).where(PostRevision.post_id.in_([post.id for post in posts])))
    for post in posts:
        post.body_source = ""
        post.body_html = ""
        if post.deleted_at is None:
            post.deleted_at = context.now
    for model in (DigestItem, Subscription, ThreadRead, MeetingAttendance, NetworkMembership):
        db.session.execute(sa.delete(model).where(model.user_id == person.id))
    db.session.flush()  # the search index follows the posts (forum.search)


provider = Provider(
    area="forum",
    tables=(
        "forum_posts",
        "forum_post_revisions",
        "forum_threads",
        "forum_documents",
        "forum_document_versions",
        "forum_news",
        "forum_memberships",
        "forum_subscriptions",
        "forum_digest_items",
        "forum_thread_reads",
        "forum_meeting_attendances",
    ),
    export=export,
    erase=erase,
)
