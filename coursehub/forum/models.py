"""Networks (closed groups), their members, subjects, threads, posts and notification choices."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.db import Base, created_at_column, intpk, str_enum

NAME_MAX = 120
# A network's description is shown under its name in the list of networks.
DESCRIPTION_MAX = 1000
SLUG_MAX = 80
TITLE_MAX = 200
POST_MAX = 20_000  # characters of Markdown source
REASON_MAX = 300


class Network(Base):
    """A closed group of professionals; everything in it is seen by its members only."""

    __tablename__ = "forum_networks"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_MAX), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = created_at_column()

    memberships: Mapped[list[NetworkMembership]] = relationship(
        back_populates="network", cascade="all, delete-orphan"
    )
    subjects: Mapped[list[Subject]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="(Subject.position, Subject.id)"
    )

    def __repr__(self) -> str:
        return f"<Network {self.id}>"


class NetworkMembership(Base):
    """A user's membership of a network; moderators arrange subjects and moderate threads."""

    __tablename__ = "forum_memberships"

    id: Mapped[intpk]
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_networks.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    is_moderator: Mapped[bool] = mapped_column(default=False)
    # The notifications every member gets unless they turn them off (an unsubscribe link does).
    notify_mentions: Mapped[bool] = mapped_column(default=True)
    notify_replies: Mapped[bool] = mapped_column(default=True)
    created: Mapped[datetime] = created_at_column()

    network: Mapped[Network] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("network_id", "user_id"),
        # A person's networks (search, the network list, the forum's menu item) from the index
        # alone, where an index on user_id alone made PostgreSQL visit one heap page per membership.
        sa.Index("ix_forum_memberships_user_id_network_id", "user_id", "network_id"),
    )


class Subject(Base):
    """An ämnesområde of a network, holding threads; moderators name and order them."""

    __tablename__ = "forum_subjects"

    id: Mapped[intpk]
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_networks.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()

    network: Mapped[Network] = relationship(back_populates="subjects")

    __table_args__ = (sa.UniqueConstraint("network_id", "name"),)


class Thread(Base):
    """A discussion under a subject; counts and the last post are kept here for the listings."""

    __tablename__ = "forum_threads"

    id: Mapped[intpk]
    # Kept with the subject's network (a move changes both), so every query can filter by network.
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_networks.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_subjects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    # Indexed: a person's data export and erasure find what they wrote by it.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    is_locked: Mapped[bool] = mapped_column(default=False)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    post_count: Mapped[int] = mapped_column(default=0)  # every post, hidden and deleted ones too
    last_post_at: Mapped[datetime]

    network: Mapped[Network] = relationship()
    subject: Mapped[Subject] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.Index("ix_forum_threads_subject_listing", "subject_id", "is_pinned", "last_post_at"),
        sa.Index("ix_forum_threads_network_listing", "network_id", "last_post_at"),
    )


class Post(Base):
    """One post: Markdown source and its sanitised HTML, made once when written."""

    __tablename__ = "forum_posts"

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_threads.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3 ... within the thread: pages are ranges of it
    # Indexed: a person's data export and erasure find what they wrote by it.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    quoted_post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_posts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]  # soft: the author deleted it
    hidden_at: Mapped[datetime | None]  # a moderator hid it, with a reason
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(sa.String(REASON_MAX), default="")

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])

    __table_args__ = (sa.UniqueConstraint("thread_id", "number"),)

    @property
    def is_visible(self) -> bool:
        """Whether its text is shown to members (not deleted, not hidden)."""
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(Base):
    """The text a post had before an edit; moderators read the history."""

    __tablename__ = "forum_post_revisions"

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    written_at: Mapped[datetime]  # when this text was written (the post's creation or last edit)
    replaced_at: Mapped[datetime]


class ThreadRead(Base):
    """How far a member has read a thread: the highest post number seen."""

    __tablename__ = "forum_thread_reads"

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_threads.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    last_read_number: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime]

    __table_args__ = (sa.UniqueConstraint("user_id", "thread_id"),)


class Delivery(enum.StrEnum):
    INSTANT = "instant"  # one mail per new post
    DIGEST = "digest"  # one mail a day with what is new


class Subscription(Base):
    """A member follows a network, a subject or a thread (exactly one of them is the target)."""

    __tablename__ = "forum_subscriptions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_networks.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_subjects.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_threads.id", ondelete="CASCADE"), index=True
    )
    # A key of the target ("network", "subject:12", "thread:34"): unique per user, NULL-free.
    target: Mapped[str] = mapped_column(sa.String(40))
    delivery: Mapped[Delivery] = mapped_column(str_enum(Delivery, "forum_delivery"), default=Delivery.INSTANT)
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "network_id", "target"),
        sa.CheckConstraint("NOT (subject_id IS NOT NULL AND thread_id IS NOT NULL)", name="one_target"),
    )


class DigestItem(Base):
    """A post waiting for a member's daily digest; the digest job takes only these rows."""

    __tablename__ = "forum_digest_items"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_posts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        sa.UniqueConstraint("user_id", "post_id"),
        sa.Index("ix_forum_digest_items_due", "sent_at", "user_id"),
    )


# --- Documents, the shared library, news, meetings and search (issue 19, points 3, 4, 5, 7) ---

FILENAME_MAX = 160
PLACE_MAX = 200
URL_MAX = 500


class DocumentFolder(Base):
    """A folder of a network's documents (minutes, publications); no network: the shared library."""

    __tablename__ = "forum_document_folders"

    id: Mapped[intpk]
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_networks.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (sa.UniqueConstraint("network_id", "name"),)


class Document(Base):
    """A document of a network, or of the shared library (no network); its files are versions."""

    __tablename__ = "forum_documents"

    id: Mapped[intpk]
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_networks.id", ondelete="CASCADE"), index=True
    )
    folder_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_document_folders.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    # Indexed: a person's data export finds the documents they started by it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime]  # when the newest version came
    version_count: Mapped[int] = mapped_column(default=0)

    folder: Mapped[DocumentFolder | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentVersion.number.desc()",
    )

    __table_args__ = (sa.Index("ix_forum_documents_listing", "network_id", "updated_at"),)


class DocumentVersion(Base):
    """One uploaded file of a document: who sent it, when, under which name, how large.

    The file lies in the upload folder under `storage_key`, a random name: never the uploaded one.
    """

    __tablename__ = "forum_document_versions"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_documents.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3 ... within the document
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(FILENAME_MAX))  # cleaned, shown and sent
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    # Indexed: a person's data export finds what they uploaded by it.
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime]

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("document_id", "number"),)


class NewsItem(Base):
    """News of the resource's joint development work, written by staff for every network member."""

    __tablename__ = "forum_news"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text)
    # Indexed: a person's data export and erasure find what they wrote by it.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime] = mapped_column(index=True)


class Meeting(Base):
    """A network meeting: when, where (a place, an online link or both), agenda, minutes."""

    __tablename__ = "forum_meetings"

    id: Mapped[intpk]
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_networks.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(PLACE_MAX), default="")
    online_url: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    minutes_document_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_documents.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()

    minutes_document: Mapped[Document | None] = relationship()
    attendances: Mapped[list[MeetingAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.Index("ix_forum_meetings_network_starts", "network_id", "starts_at"),
        sa.CheckConstraint("place <> '' OR online_url <> ''", name="place_or_online"),
    )

    @property
    def is_online(self) -> bool:
        """Whether the meeting is held online (a link), wholly or in part."""
        return bool(self.online_url)


class MeetingAttendance(Base):
    """A member who attended a meeting, as the network's moderator recorded it."""

    __tablename__ = "forum_meeting_attendances"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)


class SearchKind(enum.StrEnum):
    THREAD = "thread"
    POST = "post"
    DOCUMENT = "document"


class SearchEntry(Base):
    """The searchable text of a thread title, a visible post, or a network's or the library's document.

    Written by coursehub/forum/search.py as threads, posts and documents are flushed. PostgreSQL
    searches it through a stored 'swedish' text-search vector and its GIN index; SQLite through an
    FTS5 table over `stemmed`, the text's Swedish stems (coursehub/forum/stemming.py). Neither
    structure is a model: search_schema.py creates them beside this table, and the migration too.
    """

    __tablename__ = "forum_search_entries"

    id: Mapped[intpk]
    kind: Mapped[SearchKind] = mapped_column(str_enum(SearchKind, "search_kind"))
    ref_id: Mapped[int]  # the thread's, post's or document's id
    # None for a document of the shared library, which every library reader may find.
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_networks.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_threads.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("forum_documents.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    stemmed: Mapped[str] = mapped_column(sa.Text, default="")
    written_at: Mapped[datetime]

    __table_args__ = (sa.UniqueConstraint("kind", "ref_id"),)


from coursehub.forum import search_schema  # noqa: E402 - beside the table it extends

search_schema.attach(SearchEntry.__table__)  # type: ignore[arg-type]  # a Table, typed as FromClause
