"""Reads of the forum pages, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ScalarSelect, Select, bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload

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


# The statements of the thread page and the thread lists are built once per process (`cache`), their
# values bound per request: built anew each time, a statement cost more Python than running it.
@cache
def _subjects_stmt() -> Select[Subject]:
    return (
        select(Subject)
        .where(Subject.network_id == bindparam("network_id"))
        .order_by(Subject.position, Subject.id)
    )


def subjects(network_id: int) -> list[Subject]:
    """Return the subjects of a network, in the moderators' order."""
    return list(db.session.scalars(_subjects_stmt(), {"network_id": network_id}))


@dataclass(frozen=True)
class ThreadRow:
    """A thread in a listing, with its author's name and how many posts the reader has not read."""

    thread: Thread
    author_name: str
    unread: int


def _thread_rows(stmt: Select[Thread, str, int], page: int) -> Page:
    result = paginate(stmt, page, THREADS_PER_PAGE, scalars=False)
    result.items = _listed(result.items)
    return result


def _counted_page(stmt: Select[Thread, str, int], values: dict[str, int], page: int, total: int) -> Page:
    """The asked page of `total` threads, read with `stmt` (built once, with its `limit` and
    `offset` bound like the `values` of its other parameters)."""
    number = page_number(page, total, THREADS_PER_PAGE)
    bounds = {"limit": THREADS_PER_PAGE, "offset": (number - 1) * THREADS_PER_PAGE}
    rows = db.session.execute(stmt, {**values, **bounds}).all()
    return Page(items=_listed(rows), page=number, per_page=THREADS_PER_PAGE, total=total)


def _listed(rows: Any) -> list[ThreadRow]:
    return [
        ThreadRow(thread=thread, author_name=name or "", unread=max(0, thread.post_count - (read or 0)))
        for thread, name, read in rows
    ]


def _threads_stmt(user_id: int | BindParameter[int]) -> Select[Thread, str, int]:
    """Threads with their author's name and how far `user_id` (a value, or bound later) has read."""
    return (
        select(Thread, User.full_name, ThreadRead.last_read_number)
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(ThreadRead, (ThreadRead.thread_id == Thread.id) & (ThreadRead.user_id == user_id))
    )


def subject_threads(subject_id: int, *, user_id: int, page: int, total: int) -> Page:
    """Return a page of a subject's `total` threads: pinned first, then the latest activity first
    (the statement built once, the page bound)."""
    return _counted_page(_subject_page_stmt(), {"subject_id": subject_id, "user_id": user_id}, page, total)


@cache
def _subject_page_stmt() -> Select[Thread, str, int]:
    """A page of a subject's threads (`subject_threads`), the reader and the page bound per request."""
    return (
        _threads_stmt(bindparam("user_id"))
        .where(Thread.subject_id == bindparam("subject_id"))
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


def network_threads(network_id: int, *, user_id: int, page: int, total: int) -> Page:
    """Return a page of a network's `total` threads (counted with its subjects), the latest
    activity first (the statement built once, the page bound)."""
    return _counted_page(_network_page_stmt(), {"network_id": network_id, "user_id": user_id}, page, total)


@cache
def _network_page_stmt() -> Select[Thread, str, int]:
    """A page of a network's threads (`network_threads`), the reader and the page bound per request."""
    return (
        _threads_stmt(bindparam("user_id"))
        .where(Thread.network_id == bindparam("network_id"))
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


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
    return _thread_rows(stmt, page)


@dataclass(frozen=True)
class PostRow:
    """A post on a thread page, with its author's name and whether the reader has seen it."""

    post: Any  # a row of POST_COLUMNS: read like a Post, without an ORM object per post
    author_name: str
    author_username: str
    is_new: bool


# What the thread page shows of a post (not its Markdown source, which only quoting and editing read).
POST_COLUMNS = (
    Post.id,
    Post.number,
    Post.author_id,
    Post.body_html,
    Post.created_at,
    Post.edited_at,
    Post.deleted_at,
    Post.hidden_at,
    Post.hidden_reason,
)


@dataclass(frozen=True)
class ThreadVisit:
    """A thread with its network and subject, and where the reader stands in it."""

    thread: Thread
    is_member: bool
    is_moderator: bool
    last_read: int


def thread_visit(thread_id: int, *, user_id: int) -> ThreadVisit | None:
    """Return a thread with its network and subject, the reader's membership of that network and
    how far they have read, in one statement; None when there is no such thread."""
    row = db.session.execute(_thread_visit_stmt(), {"thread_id": thread_id, "user_id": user_id}).first()
    if row is None:
        return None
    thread, membership_id, moderator, read = row
    return ThreadVisit(
        thread=thread, is_member=membership_id is not None, is_moderator=bool(moderator), last_read=read or 0
    )


@cache
def _thread_visit_stmt() -> Select[Thread, int, bool, int]:
    user_id: BindParameter[int] = bindparam("user_id")
    return (
        select(Thread, NetworkMembership.id, NetworkMembership.is_moderator, ThreadRead.last_read_number)
        .options(joinedload(Thread.network), joinedload(Thread.subject))
        .outerjoin(
            NetworkMembership,
            (NetworkMembership.network_id == Thread.network_id) & (NetworkMembership.user_id == user_id),
        )
        .outerjoin(ThreadRead, (ThreadRead.thread_id == Thread.id) & (ThreadRead.user_id == user_id))
        .where(Thread.id == bindparam("thread_id"))
    )


def _subjects_threads() -> ScalarSelect[int]:
    """The number of threads of the statement's Subject, counted from
    ix_forum_threads_subject_listing alone (an index-only scan on PostgreSQL): a few index pages
    whatever the subject's years. Counting a network's threads grouped by subject read every
    thread's row, a heap block for every few (national bench, network 1, 78 threads: 70 -> 9
    buffers; tests/forum/test_scale.py)."""
    return (
        select(func.count())
        .select_from(Thread)
        .where(Thread.subject_id == Subject.id)
        .correlate(Subject)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class NetworkVisit:
    """A network with its subjects in the moderators' order and each subject's number of threads."""

    network: Network
    subjects: list[Subject]
    counts: dict[int, int]  # threads by subject id

    @property
    def threads(self) -> int:
        """The network's threads: a thread is always in a subject of its own network
        (services.discussions.move_thread), so the subjects' counts add up to them."""
        return sum(self.counts.values())


def network_visit(network_id: int, *, user_id: int) -> tuple[NetworkVisit, bool, bool] | None:
    """Return a network with its subjects and their threads counted, whether `user_id` is a member
    and whether a moderator, in one statement (a row per subject)."""
    rows = db.session.execute(_network_visit_stmt(), {"network_id": network_id, "user_id": user_id}).all()
    if not rows:
        return None
    network, membership_id, moderator = rows[0][:3]
    subjects = [subject for _n, _m, _mod, subject, _count in rows if subject is not None]
    counts = {subject.id: int(count) for _n, _m, _mod, subject, count in rows if subject is not None}
    return NetworkVisit(network, subjects, counts), membership_id is not None, bool(moderator)


@cache
def _network_visit_stmt() -> Select[Network, int | None, bool | None, Subject | None, int]:
    """The network's row repeated beside each of its subjects (a network has a handful), each
    with its threads counted (`_subjects_threads`). As a statement of its own the subjects cost
    a round trip and SQLAlchemy's execution (about 0.2-0.3 ms a request)."""
    threads = _subjects_threads()
    return (
        select(
            Network,
            NetworkMembership.id,
            NetworkMembership.is_moderator,
            Subject,
            threads,  # a count: 0, never NULL, where the network has no subject
        )
        .outerjoin(
            NetworkMembership,
            (NetworkMembership.network_id == Network.id)
            & (NetworkMembership.user_id == bindparam("user_id")),
        )
        .outerjoin(Subject, Subject.network_id == Network.id)
        .where(Network.id == bindparam("network_id"))
        .order_by(Subject.position, Subject.id)
    )


@dataclass(frozen=True)
class SubjectVisit:
    """A subject (its network loaded with it) and its number of threads."""

    subject: Subject
    threads: int


def subject_visit(subject_id: int, *, user_id: int) -> tuple[SubjectVisit, bool, bool] | None:
    """Return a subject with its network and its threads counted, whether `user_id` is a member of
    that network and whether a moderator, in one statement."""
    row = db.session.execute(_subject_visit_stmt(), {"subject_id": subject_id, "user_id": user_id}).first()
    if row is None:
        return None
    subject, membership_id, moderator, threads = row
    return SubjectVisit(subject, int(threads)), membership_id is not None, bool(moderator)


@cache
def _subject_visit_stmt() -> Select[Subject, int | None, bool | None, int]:
    """The subject with its network and the reader's membership, and the subject's threads
    counted (`_subjects_threads`), so that the page of threads needs no COUNT of its own."""
    threads = _subjects_threads()
    return (
        select(Subject, NetworkMembership.id, NetworkMembership.is_moderator, threads)
        .options(joinedload(Subject.network))
        .outerjoin(
            NetworkMembership,
            (NetworkMembership.network_id == Subject.network_id)
            & (NetworkMembership.user_id == bindparam("user_id")),
        )
        .where(Subject.id == bindparam("subject_id"))
    )


def _last_read(thread_id: int, user_id: int) -> int:
    read = db.session.scalar(
        select(ThreadRead.last_read_number).where(
            ThreadRead.thread_id == thread_id, ThreadRead.user_id == user_id
        )
    )
    return read or 0


def thread_posts(
    thread: Thread, *, user_id: int, page: int, last_read: int | None = None
) -> tuple[Page, int]:
    """Return a page of a thread's posts (by number, one query) and the reader's last read number.

    `last_read`, when the caller has read it already (`thread_visit`), saves a statement.
    """
    page = page_number(page, thread.post_count, POSTS_PER_PAGE)
    first = (page - 1) * POSTS_PER_PAGE + 1
    if last_read is None:
        last_read = _last_read(thread.id, user_id)
    values = {"thread_id": thread.id, "first": first, "last": first + POSTS_PER_PAGE - 1}
    rows = db.session.execute(_thread_posts_stmt(), values).all()
    items = [
        PostRow(
            post=row,
            author_name=row.full_name or "",
            author_username=row.username or "",
            is_new=row.number > last_read,
        )
        for row in rows
    ]
    return Page(items=items, page=page, per_page=POSTS_PER_PAGE, total=thread.post_count), last_read


@cache
def _thread_posts_stmt() -> Select[*tuple[Any, ...]]:
    return (
        select(*POST_COLUMNS, User.full_name, User.username)
        .outerjoin(User, User.id == Post.author_id)
        .where(
            Post.thread_id == bindparam("thread_id"),
            Post.number.between(bindparam("first"), bindparam("last")),
        )
        .order_by(Post.number)
    )


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
    who = who.replace("\x00", "").strip().lower()  # PostgreSQL refuses NUL in text
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
