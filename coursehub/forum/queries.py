"""Reads of the forum pages, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.forum.models import (
    Network,
    NetworkMembership,
    Post,
    PostRevision,
    Subject,
    Subscription,
    Thread,
    ThreadRead,
)
from coursehub.lib.pagination import Page, page_number, paginate

POSTS_PER_PAGE = 25
THREADS_PER_PAGE = 25


def networks_page(*, user_id: int, everything: bool, page: int, per_page: int = 25) -> Page:
    """Return a page of the networks `user_id` is in (every network when `everything`)."""
    stmt: Select[Any] = select(Network).order_by(Network.name, Network.id)
    if not everything:
        stmt = stmt.join(NetworkMembership, NetworkMembership.network_id == Network.id).where(
            NetworkMembership.user_id == user_id
        )
    return paginate(stmt, page, per_page)


def subjects(network_id: int) -> list[Subject]:
    """Return the subjects of a network, in the moderators' order."""
    return list(
        db.session.scalars(
            select(Subject).where(Subject.network_id == network_id).order_by(Subject.position, Subject.id)
        )
    )


def thread_counts(network_id: int) -> dict[int, int]:
    """Return the number of threads per subject of a network."""
    rows = db.session.execute(
        select(Thread.subject_id, func.count(Thread.id))
        .where(Thread.network_id == network_id)
        .group_by(Thread.subject_id)
    ).all()
    return {int(subject_id): int(count) for subject_id, count in rows}


@dataclass(frozen=True)
class ThreadRow:
    """A thread in a listing, with its author's name and how many posts the reader has not read."""

    thread: Thread
    author_name: str
    unread: int


def _thread_rows(stmt: Select[Thread, str, int], page: int, user_id: int) -> Page:
    result = paginate(stmt, page, THREADS_PER_PAGE, scalars=False)
    result.items = [
        ThreadRow(thread=thread, author_name=name or "", unread=max(0, thread.post_count - (read or 0)))
        for thread, name, read in result.items
    ]
    return result


def _threads_stmt(user_id: int) -> Select[Thread, str, int]:
    return (
        select(Thread, User.full_name, ThreadRead.last_read_number)
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(ThreadRead, (ThreadRead.thread_id == Thread.id) & (ThreadRead.user_id == user_id))
    )


def subject_threads(subject_id: int, *, user_id: int, page: int) -> Page:
    """Return a page of a subject's threads: pinned first, then the latest activity first."""
    stmt = (
        _threads_stmt(user_id)
        .where(Thread.subject_id == subject_id)
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    )
    return _thread_rows(stmt, page, user_id)


def network_threads(network_id: int, *, user_id: int, page: int) -> Page:
    """Return a page of a network's threads, the latest activity first."""
    stmt = (
        _threads_stmt(user_id)
        .where(Thread.network_id == network_id)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
    )
    return _thread_rows(stmt, page, user_id)


def unread_threads(network_id: int, *, user_id: int, page: int) -> Page:
    """Return a page of the network's threads with posts the member has not read."""
    stmt = (
        _threads_stmt(user_id)
        .where(
            Thread.network_id == network_id,
            or_(ThreadRead.id.is_(None), ThreadRead.last_read_number < Thread.post_count),
        )
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
    )
    return _thread_rows(stmt, page, user_id)


@dataclass(frozen=True)
class PostRow:
    """A post on a thread page, with its author's name and whether the reader has seen it."""

    post: Post
    author_name: str
    author_username: str
    is_new: bool


def thread_posts(thread: Thread, *, user_id: int, page: int) -> tuple[Page, int]:
    """Return a page of a thread's posts (by number, one query) and the reader's last read number."""
    page = page_number(page, thread.post_count, POSTS_PER_PAGE)
    first = (page - 1) * POSTS_PER_PAGE + 1
    read = db.session.scalar(
        select(ThreadRead.last_read_number).where(
            ThreadRead.thread_id == thread.id, ThreadRead.user_id == user_id
        )
    )
    last_read = read or 0
    rows = db.session.execute(
        select(Post, User.full_name, User.username)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.thread_id == thread.id, Post.number.between(first, first + POSTS_PER_PAGE - 1))
        .order_by(Post.number)
    ).all()
    items = [
        PostRow(
            post=post, author_name=name or "", author_username=username or "", is_new=post.number > last_read
        )
        for post, name, username in rows
    ]
    return Page(items=items, page=page, per_page=POSTS_PER_PAGE, total=thread.post_count), last_read


def page_of_post(number: int) -> int:
    """Return the page of a thread on which post `number` stands."""
    return (max(1, number) - 1) // POSTS_PER_PAGE + 1


def post_by_number(thread_id: int, number: int) -> Post | None:
    """Return post `number` of a thread, or None."""
    return db.session.scalar(select(Post).where(Post.thread_id == thread_id, Post.number == number))


def revisions(post_id: int) -> list[PostRevision]:
    """Return a post's earlier texts, oldest first."""
    return list(
        db.session.scalars(
            select(PostRevision).where(PostRevision.post_id == post_id).order_by(PostRevision.id)
        )
    )


@dataclass(frozen=True)
class MemberRow:
    """A member of a network."""

    membership: NetworkMembership
    user: User


def members(network_id: int, *, page: int, per_page: int = 50) -> Page:
    """Return a page of a network's members, by name."""
    stmt = (
        select(NetworkMembership, User)
        .join(User, User.id == NetworkMembership.user_id)
        .where(NetworkMembership.network_id == network_id)
        .order_by(User.full_name, User.id)
    )
    result = paginate(stmt, page, per_page, scalars=False)
    result.items = [MemberRow(membership=m, user=u) for m, u in result.items]
    return result


def find_user(who: str) -> User | None:
    """Return the user with this username or e-mail address (either, case does not matter)."""
    who = who.strip().lower()
    return db.session.scalar(select(User).where(or_(User.username == who, User.email == who)))


@dataclass(frozen=True)
class FollowRow:
    """Something a member follows, with a name to show."""

    subscription: Subscription
    label: str


def subscriptions(network_id: int, user_id: int) -> list[FollowRow]:
    """Return what a member follows in a network (bounded: one row per target they chose)."""
    subject = aliased(Subject)
    rows = db.session.execute(
        select(Subscription, subject.name, Thread.title)
        .outerjoin(subject, subject.id == Subscription.subject_id)
        .outerjoin(Thread, Thread.id == Subscription.thread_id)
        .where(Subscription.network_id == network_id, Subscription.user_id == user_id)
        .order_by(Subscription.id)
    ).all()
    return [FollowRow(subscription=s, label=title or name or "") for s, name, title in rows]


def subscription_for(user_id: int, network_id: int, target: str) -> Subscription | None:
    """Return a member's subscription to a target of a network, or None."""
    return db.session.scalar(
        select(Subscription).where(
            Subscription.user_id == user_id,
            Subscription.network_id == network_id,
            Subscription.target == target,
        )
    )


def latest_activity(network_id: int) -> datetime | None:
    """Return when the network last had a post."""
    return db.session.scalar(select(func.max(Thread.last_post_at)).where(Thread.network_id == network_id))
