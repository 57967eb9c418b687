"""Networks (closed groups), their members, subjects, threads, posts and notification choices."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.db import Base, created_at_column, intpk, str_enum

NAME_MAX = 120
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
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_moderator: Mapped[bool] = mapped_column(default=False)
    # The notifications every member gets unless they turn them off (an unsubscribe link does).
    notify_mentions: Mapped[bool] = mapped_column(default=True)
    notify_replies: Mapped[bool] = mapped_column(default=True)
    created: Mapped[datetime] = created_at_column()

    network: Mapped[Network] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("network_id", "user_id"),)


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
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
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
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
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
