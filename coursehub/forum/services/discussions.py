"""Subjects, threads and posts: writing, quoting, editing, deleting, moderating, read markers."""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.forum import permissions
from coursehub.forum.errors import ForumError
from coursehub.forum.models import (
    NAME_MAX,
    POST_MAX,
    REASON_MAX,
    TITLE_MAX,
    Network,
    Post,
    PostRevision,
    Subject,
    Thread,
    ThreadRead,
)
from coursehub.forum.text import holds_identity_number, render_markdown
from coursehub.lib.database import lock_for_update

logger = logging.getLogger(__name__)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\x00", "").strip()


def _check_member(actor: User, network: Network) -> None:
    if not permissions.can_post(actor, network):
        raise ForumError(_("Du är inte medlem i nätverket."))


def _check_moderator(actor: User, network: Network) -> None:
    if not permissions.can_moderate(actor, network):
        raise ForumError(_("Bara nätverkets moderatorer kan göra det."))


def _check_subject_name(network: Network, name: str, *, subject_id: int | None = None) -> str:
    name = _clean(name)
    if not name:
        raise ForumError(_("Skriv ett namn på ämnesområdet."), field="name")
    if len(name) > NAME_MAX:
        raise ForumError(_("Namnet får vara högst %(max)d tecken.", max=NAME_MAX), field="name")
    taken = db.session.scalar(
        select(Subject.id).where(
            Subject.network_id == network.id, Subject.name == name, Subject.id != (subject_id or 0)
        )
    )
    if taken is not None:
        raise ForumError(_("Nätverket har redan ett ämnesområde med det namnet."), field="name")
    return name


def create_subject(network: Network, name: str, *, actor: User, now: datetime) -> Subject:
    """Add a subject (ämnesområde) last in a network's order."""
    _check_moderator(actor, network)
    name = _check_subject_name(network, name)
    last = db.session.scalar(select(func.max(Subject.position)).where(Subject.network_id == network.id))
    subject = Subject(network=network, name=name, position=(last or 0) + 1, created_at=now)
    db.session.add(subject)
    db.session.flush()
    logger.info("subject %s created network=%s", subject.id, network.id)
    return subject


def rename_subject(subject: Subject, name: str, *, actor: User) -> Subject:
    """Give a subject a new name."""
    _check_moderator(actor, subject.network)
    subject.name = _check_subject_name(subject.network, name, subject_id=subject.id)
    db.session.flush()
    logger.info("subject %s renamed", subject.id)
    return subject


def move_subject(subject: Subject, *, up: bool, actor: User) -> Subject:
    """Move a subject one place up or down in its network's order."""
    _check_moderator(actor, subject.network)
    ordered = list(
        db.session.scalars(
            select(Subject)
            .where(Subject.network_id == subject.network_id)
            .order_by(Subject.position, Subject.id)
        )
    )
    index = ordered.index(subject)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered, start=1):
        row.position = position
    db.session.flush()
    logger.info("subject %s moved", subject.id)
    return subject


def _check_title(title: str) -> str:
    title = _clean(title)
    if not title:
        raise ForumError(_("Skriv en rubrik."), field="title")
    if len(title) > TITLE_MAX:
        raise ForumError(_("Rubriken får vara högst %(max)d tecken.", max=TITLE_MAX), field="title")
    if holds_identity_number(title):
        raise ForumError(_identity_message(), field="title")
    return title


def _identity_message() -> str:
    return str(
        _(
            "Texten ser ut att innehålla ett personnummer eller samordningsnummer. Ta bort det: "
            "skriv aldrig något som kan identifiera ett barn."
        )
    )


def _check_body(body: str) -> str:
    body = unicodedata.normalize("NFC", body).replace("\x00", "").strip()
    if not body:
        raise ForumError(_("Skriv ett inlägg."), field="body")
    if len(body) > POST_MAX:
        raise ForumError(
            _("Inlägget får vara högst %(max)d tecken (nu %(n)d).", max=POST_MAX, n=len(body)), field="body"
        )
    if holds_identity_number(body):
        raise ForumError(_identity_message(), field="body")
    return body


def start_thread(subject: Subject, title: str, body: str, *, actor: User, now: datetime) -> Post:
    """Start a thread in a subject with its first post; return the post."""
    network = subject.network
    _check_member(actor, network)
    title = _check_title(title)
    body = _check_body(body)
    thread = Thread(
        network_id=network.id,
        subject=subject,
        title=title,
        author_id=actor.id,
        created_at=now,
        last_post_at=now,
    )
    db.session.add(thread)
    db.session.flush()
    post = _add_post(thread, body, actor=actor, now=now, quoted=None)
    logger.info("thread %s started subject=%s", thread.id, subject.id)
    return post


def reply(thread: Thread, body: str, *, quoted: Post | None = None, actor: User, now: datetime) -> Post:
    """Add a reply to a thread, maybe quoting one of its posts; return the new post."""
    _check_member(actor, thread.network)
    if thread.is_locked:
        raise ForumError(_("Tråden är låst. Det går inte att svara i den."), field="body")
    if quoted is not None and (quoted.thread_id != thread.id or not quoted.is_visible):
        raise ForumError(_("Inlägget du citerar finns inte i den här tråden."), field="body")
    body = _check_body(body)
    thread = lock_for_update(Thread, thread.id)  # post numbers are given one after the other
    post = _add_post(thread, body, actor=actor, now=now, quoted=quoted)
    logger.info("post %s in thread %s", post.id, thread.id)
    return post


def _add_post(thread: Thread, body: str, *, actor: User, now: datetime, quoted: Post | None) -> Post:
    thread.post_count += 1
    thread.last_post_at = now
    post = Post(
        thread=thread,
        number=thread.post_count,
        author_id=actor.id,
        body_source=body,
        body_html=render_markdown(body),
        quoted_post_id=quoted.id if quoted is not None else None,
        created_at=now,
        hidden_reason="",
    )
    db.session.add(post)
    db.session.flush()
    mark_read(thread, actor, upto=post.number, now=now)
    from coursehub.forum.services import notify

    notify.post_written(post, actor=actor, now=now)
    return post


def edit_post(post: Post, body: str, *, actor: User, now: datetime) -> Post:
    """Change one's own post; the earlier text is kept for the moderators."""
    if post.author_id != actor.id or not permissions.can_post(actor, post.thread.network):
        raise ForumError(_("Du kan bara ändra dina egna inlägg."))
    if not post.is_visible:
        raise ForumError(_("Inlägget är borttaget eller dolt och kan inte ändras."))
    if post.thread.is_locked:
        raise ForumError(_("Tråden är låst. Det går inte att ändra inlägg i den."))
    body = _check_body(body)
    if body == post.body_source:
        return post
    db.session.add(
        PostRevision(
            post_id=post.id,
            body_source=post.body_source,
            body_html=post.body_html,
            written_at=post.edited_at or post.created_at,
            replaced_at=now,
        )
    )
    post.body_source = body
    post.body_html = render_markdown(body)
    post.edited_at = now
    db.session.flush()
    logger.info("post %s edited", post.id)
    return post


def delete_post(post: Post, *, actor: User, now: datetime) -> Post:
    """Delete one's own post (its place in the thread stays, marked as deleted)."""
    if post.author_id != actor.id or not permissions.can_post(actor, post.thread.network):
        raise ForumError(_("Du kan bara ta bort dina egna inlägg."))
    if post.deleted_at is None:
        post.deleted_at = now
        db.session.flush()
        logger.info("post %s deleted", post.id)
    return post


def hide_post(post: Post, reason: str, *, actor: User, now: datetime) -> Post:
    """A moderator hides a post from the members, with a reason they see in its place."""
    _check_moderator(actor, post.thread.network)
    reason = _clean(reason)
    if not reason:
        raise ForumError(_("Skriv varför inlägget döljs."), field="reason")
    if len(reason) > REASON_MAX:
        raise ForumError(_("Skälet får vara högst %(max)d tecken.", max=REASON_MAX), field="reason")
    post.hidden_at = now
    post.hidden_by_id = actor.id
    post.hidden_reason = reason
    db.session.flush()
    logger.info("post %s hidden", post.id)
    return post


def unhide_post(post: Post, *, actor: User) -> Post:
    """A moderator shows a hidden post again."""
    _check_moderator(actor, post.thread.network)
    post.hidden_at = None
    post.hidden_by_id = None
    post.hidden_reason = ""
    db.session.flush()
    logger.info("post %s shown again", post.id)
    return post


def set_thread_flags(
    thread: Thread, *, is_locked: bool | None = None, is_pinned: bool | None = None, actor: User
) -> Thread:
    """A moderator locks or unlocks, pins or unpins a thread."""
    _check_moderator(actor, thread.network)
    if is_locked is not None:
        thread.is_locked = is_locked
    if is_pinned is not None:
        thread.is_pinned = is_pinned
    db.session.flush()
    logger.info("thread %s locked=%s pinned=%s", thread.id, thread.is_locked, thread.is_pinned)
    return thread


def move_thread(thread: Thread, subject: Subject | None, *, actor: User) -> Thread:
    """A moderator moves a thread to another subject of the same network."""
    _check_moderator(actor, thread.network)
    if subject is None or subject.network_id != thread.network_id:
        raise ForumError(_("Välj ett ämnesområde i det här nätverket."), field="subject_id")
    thread.subject_id = subject.id
    db.session.flush()
    logger.info("thread %s moved to subject %s", thread.id, subject.id)
    return thread


def mark_read(thread: Thread, user: User, *, upto: int, now: datetime) -> None:
    """Remember that `user` has read `thread` up to post number `upto` (never moves back)."""
    row = db.session.scalar(
        select(ThreadRead).where(ThreadRead.thread_id == thread.id, ThreadRead.user_id == user.id)
    )
    if row is None:
        db.session.add(ThreadRead(thread_id=thread.id, user_id=user.id, last_read_number=upto, read_at=now))
    elif upto > row.last_read_number:
        db.session.execute(
            update(ThreadRead)
            .where(ThreadRead.id == row.id, ThreadRead.last_read_number < upto)
            .values(last_read_number=upto, read_at=now)
        )
    db.session.flush()
