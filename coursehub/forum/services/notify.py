"""Who hears of a new post, and how: at once, in the daily digest, or not at all; unsubscribing.

A member hears of a post when they follow its network, subject or thread, when it mentions them
(@username), or when it answers a thread they started; the last two are on by default. Mentions
and replies always come at once; a followed network, subject or thread comes at once or in the
digest, as the member chose. Membership and an active account are checked when the mail is
queued (and again when the digest is put together), so a mail never carries a network's content
to someone outside it. Every mail carries a signed link that unsubscribes from what caused it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update

from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.forum.errors import ForumError
from coursehub.forum.models import (
    Delivery,
    DigestItem,
    Network,
    NetworkMembership,
    Post,
    Subject,
    Subscription,
    Thread,
)
from coursehub.forum.text import mentioned_usernames
from coursehub.notifications.services import link, queue_email

logger = logging.getLogger(__name__)

_SALT = "forum-unsubscribe"


class Reason:
    MENTION = "mention"
    REPLY = "reply"
    FOLLOW = "follow"


# -- following -------------------------------------------------------------------------------------


def target_key(subject: Subject | None = None, thread: Thread | None = None) -> str:
    """Return the key of what a subscription follows: the network, a subject or a thread."""
    if thread is not None:
        return f"thread:{thread.id}"
    if subject is not None:
        return f"subject:{subject.id}"
    return "network"


def follow(
    network: Network,
    *,
    subject: Subject | None = None,
    thread: Thread | None = None,
    delivery: Delivery,
    actor: User,
    now: datetime,
) -> Subscription:
    """Follow a network, one of its subjects or threads, at once or by digest (changes the choice)."""
    from coursehub.forum import permissions

    if not permissions.can_post(actor, network):
        raise ForumError(_("Du är inte medlem i nätverket."))
    if (subject is not None and subject.network_id != network.id) or (
        thread is not None and thread.network_id != network.id
    ):
        raise ForumError(_("Det du vill följa finns inte i det här nätverket."))
    key = target_key(subject, thread)
    found = db.session.scalar(
        select(Subscription).where(
            Subscription.user_id == actor.id,
            Subscription.network_id == network.id,
            Subscription.target == key,
        )
    )
    if found is None:
        found = Subscription(
            user_id=actor.id,
            network_id=network.id,
            subject_id=subject.id if subject is not None else None,
            thread_id=thread.id if thread is not None else None,
            target=key,
            delivery=delivery,
            created_at=now,
        )
        db.session.add(found)
    found.delivery = delivery
    db.session.flush()
    logger.info("subscription %s delivery=%s", found.id, delivery.value)
    return found


def unfollow(subscription: Subscription, *, actor: User) -> None:
    """Stop following (the member's own subscription)."""
    if subscription.user_id != actor.id:
        raise ForumError(_("Du kan bara ändra det du själv följer."))
    subscription_id = subscription.id
    db.session.delete(subscription)
    db.session.flush()
    logger.info("subscription %s ended", subscription_id)


def set_default_notices(membership: NetworkMembership, *, mentions: bool, replies: bool, actor: User) -> None:
    """Turn the mails about mentions and replies to one's own threads on or off."""
    if membership.user_id != actor.id:
        raise ForumError(_("Du kan bara ändra dina egna val."))
    membership.notify_mentions = mentions
    membership.notify_replies = replies
    db.session.flush()
    logger.info("membership %s notices mentions=%s replies=%s", membership.id, mentions, replies)


# -- a new post ------------------------------------------------------------------------------------


@dataclass
class _Recipient:
    user: User
    reason: str
    instant: bool
    unsubscribe: tuple[str, int]  # what its link turns off: ("sub", id) or ("mentions"/"replies", id)


def post_written(post: Post, *, actor: User, now: datetime) -> None:
    """Queue the mails (or digest items) that a new post causes; a fixed number of queries."""
    thread = post.thread
    recipients: dict[int, _Recipient] = {}
    for membership, user in _members_by_username(thread.network_id, mentioned_usernames(post.body_source)):
        if membership.notify_mentions:
            recipients[user.id] = _Recipient(user, Reason.MENTION, True, ("mentions", membership.id))
    if post.number > 1 and thread.author_id is not None and thread.author_id not in recipients:
        found = _active_membership(thread.network_id, thread.author_id)
        if found is not None and found[0].notify_replies:
            recipients[thread.author_id] = _Recipient(found[1], Reason.REPLY, True, ("replies", found[0].id))
    for subscription, user in _subscribers(thread):
        known = recipients.get(user.id)
        instant = subscription.delivery == Delivery.INSTANT
        if known is None or (instant and not known.instant):
            recipients[user.id] = _Recipient(user, Reason.FOLLOW, instant, ("sub", subscription.id))
    recipients.pop(actor.id, None)
    for recipient in recipients.values():
        if recipient.instant:
            _queue_post_mail(post, recipient)
        else:
            db.session.add(DigestItem(user_id=recipient.user.id, post_id=post.id, created_at=now))
    db.session.flush()


def _members_by_username(network_id: int, usernames: set[str]) -> list[tuple[NetworkMembership, User]]:
    if not usernames:
        return []
    rows = db.session.execute(
        select(NetworkMembership, User)
        .join(User, User.id == NetworkMembership.user_id)
        .where(
            NetworkMembership.network_id == network_id,
            User.username.in_(sorted(usernames)),
            User.deactivated_at.is_(None),
        )
    ).all()
    return [(row[0], row[1]) for row in rows]


def _active_membership(network_id: int, user_id: int) -> tuple[NetworkMembership, User] | None:
    row = db.session.execute(
        select(NetworkMembership, User)
        .join(User, User.id == NetworkMembership.user_id)
        .where(
            NetworkMembership.network_id == network_id,
            NetworkMembership.user_id == user_id,
            User.deactivated_at.is_(None),
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def _subscribers(thread: Thread) -> list[tuple[Subscription, User]]:
    """The subscriptions that cover `thread`, of members with an active account."""
    keys = ["network", f"subject:{thread.subject_id}", f"thread:{thread.id}"]
    rows = db.session.execute(
        select(Subscription, User)
        .join(User, User.id == Subscription.user_id)
        .join(
            NetworkMembership,
            (NetworkMembership.user_id == Subscription.user_id)
            & (NetworkMembership.network_id == Subscription.network_id),
        )
        .where(
            Subscription.network_id == thread.network_id,
            Subscription.target.in_(keys),
            User.deactivated_at.is_(None),
        )
        .order_by(Subscription.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _queue_post_mail(post: Post, recipient: _Recipient) -> None:
    thread = post.thread
    token = unsubscribe_token(recipient.user.id, *recipient.unsubscribe)
    queue_email(
        dedupe_key=f"forum-post:{post.id}:{recipient.user.id}",
        recipient=recipient.user.email,
        template="forum_post",
        headers=unsubscribe_headers(token),
        user=recipient.user,
        reason=recipient.reason,
        post=post,
        thread=thread,
        network=thread.network,
        author_name=post.author.full_name if post.author is not None else "",
        post_url=link(post_path(thread.id, post.number)),
        unsubscribe_url=link(unsubscribe_path(token)),
    )


def post_path(thread_id: int, number: int) -> str:
    """Return the path of a post on its thread's pages (mails are built outside requests)."""
    return f"/natverk/trad/{thread_id}/inlagg/{number}"


def unsubscribe_path(token: str) -> str:
    """Return the path of an unsubscribe link."""
    return f"/natverk/avregistrera/{token}"


# -- the daily digest ------------------------------------------------------------------------------


def send_digests(now: datetime) -> int:
    """Put one digest mail per member into the outbox with the posts waiting for them; return how many.

    Reads only the items not yet sent. Items of a network the member has left (or of a closed
    account, or of a post since hidden or deleted) are dropped without a mail.
    """
    rows = db.session.execute(
        select(DigestItem, Post, Thread, User)
        .join(Post, Post.id == DigestItem.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(User, User.id == DigestItem.user_id)
        .where(DigestItem.sent_at.is_(None))
        .order_by(DigestItem.user_id, Thread.network_id, Thread.id, Post.number)
    ).all()
    if not rows:
        return 0
    memberships = set(
        db.session.execute(
            select(NetworkMembership.user_id, NetworkMembership.network_id).where(
                NetworkMembership.user_id.in_({row[3].id for row in rows})
            )
        ).all()
    )
    per_user: dict[int, tuple[User, list[tuple[Post, Thread]], int]] = {}
    for item, post, thread, user in rows:
        keep = user.is_active and post.is_visible and (user.id, thread.network_id) in memberships
        entry = per_user.setdefault(user.id, (user, [], 0))
        if keep:
            entry[1].append((post, thread))
        per_user[user.id] = (user, entry[1], max(entry[2], item.id))
    sent = 0
    for user, posts, last_item_id in per_user.values():
        if posts:
            _queue_digest(user, posts, last_item_id)
            sent += 1
    db.session.execute(
        update(DigestItem).where(DigestItem.id.in_([row[0].id for row in rows])).values(sent_at=now)
    )
    db.session.flush()
    logger.info("forum digests queued: %s", sent)
    return sent


def _queue_digest(user: User, posts: list[tuple[Post, Thread]], last_item_id: int) -> None:
    token = unsubscribe_token(user.id, "digest", user.id)
    threads: dict[int, dict[str, Any]] = {}
    for post, thread in posts:
        entry = threads.setdefault(
            thread.id,
            {
                "thread": thread,
                "url": link(post_path(thread.id, post.number)),
                "posts": [],
            },
        )
        entry["posts"].append(post)
    queue_email(
        dedupe_key=f"forum-digest:{user.id}:{last_item_id}",
        recipient=user.email,
        template="forum_digest",
        headers=unsubscribe_headers(token),
        user=user,
        threads=list(threads.values()),
        count=len(posts),
        unsubscribe_url=link(unsubscribe_path(token)),
    )


# -- unsubscribing ---------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, kind: str, ident: int) -> str:
    """Return the signed token of an unsubscribe link: who, and what it turns off."""
    return _serializer().dumps([user_id, kind, ident])


def unsubscribe_headers(token: str) -> dict[str, str]:
    """Return the List-Unsubscribe headers (RFC 2369, and RFC 8058's one click) for a mail."""
    url = link(unsubscribe_path(token))
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class Unsubscribe:
    """What an unsubscribe link turns off, read from its token."""

    user_id: int
    kind: str
    ident: int


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """Return what a token turns off, or None for a token that is not ours (or was altered)."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(isinstance(part, t) for part, t in zip(value, (int, str, int), strict=True))
    ):
        return None
    return Unsubscribe(user_id=value[0], kind=value[1], ident=value[2])


def describe_unsubscribe(request: Unsubscribe) -> str | None:
    """Return what the link turns off, in words, or None when there is nothing left to turn off."""
    if request.kind == "sub":
        subscription = db.session.get(Subscription, request.ident)
        if subscription is None or subscription.user_id != request.user_id:
            return None
        network = db.session.get(Network, subscription.network_id)
        name = network.name if network is not None else ""
        if subscription.thread_id is not None:
            return str(_("e-post om nya inlägg i en tråd du följer i %(network)s", network=name))
        if subscription.subject_id is not None:
            return str(_("e-post om nya inlägg i ett ämnesområde du följer i %(network)s", network=name))
        return str(_("e-post om nya inlägg i %(network)s", network=name))
    if request.kind in ("mentions", "replies"):
        membership = db.session.get(NetworkMembership, request.ident)
        if membership is None or membership.user_id != request.user_id:
            return None
        if request.kind == "mentions":
            return str(_("e-post när någon nämner dig i %(network)s", network=membership.network.name))
        return str(_("e-post om svar i trådar du har startat i %(network)s", network=membership.network.name))
    if request.kind == "digest" and request.ident == request.user_id:
        return str(_("den dagliga sammanfattningen från nätverken"))
    return None


def unsubscribe(request: Unsubscribe, *, now: datetime) -> bool:
    """Turn off what the link names; return False when there was nothing (left) to turn off."""
    if describe_unsubscribe(request) is None:
        return False
    if request.kind == "sub":
        db.session.execute(
            delete(Subscription).where(
                Subscription.id == request.ident, Subscription.user_id == request.user_id
            )
        )
    elif request.kind == "mentions":
        db.session.execute(
            update(NetworkMembership)
            .where(NetworkMembership.id == request.ident)
            .values(notify_mentions=False)
        )
    elif request.kind == "replies":
        db.session.execute(
            update(NetworkMembership)
            .where(NetworkMembership.id == request.ident)
            .values(notify_replies=False)
        )
    else:
        db.session.execute(
            delete(Subscription).where(
                Subscription.user_id == request.user_id, Subscription.delivery == Delivery.DIGEST
            )
        )
        db.session.execute(
            update(DigestItem)
            .where(DigestItem.user_id == request.user_id, DigestItem.sent_at.is_(None))
            .values(sent_at=now)
        )
    db.session.flush()
    logger.info("unsubscribed kind=%s", request.kind)
    return True


def end_notifications(user: User, *, now: datetime) -> None:
    """End every forum notification of `user` (their account was closed)."""
    db.session.execute(delete(Subscription).where(Subscription.user_id == user.id))
    db.session.execute(
        update(NetworkMembership)
        .where(NetworkMembership.user_id == user.id)
        .values(notify_mentions=False, notify_replies=False)
    )
    db.session.execute(
        update(DigestItem)
        .where(DigestItem.user_id == user.id, DigestItem.sent_at.is_(None))
        .values(sent_at=now)
    )
    db.session.flush()
    logger.info("forum notifications ended for user %s", user.id)
