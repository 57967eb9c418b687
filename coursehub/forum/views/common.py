"""Loading forum rows for a view: a row of a network the user may not read answers 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, url_for
from flask_login import current_user

from coursehub.forum import permissions, queries
from coursehub.forum.models import Network, NetworkMembership, Post, Subject, Thread
from coursehub.lib.checks import known
from coursehub.lib.params import as_id
from coursehub.lib.work import load_or_404

_STAND_IN = 2_147_483_647  # an id no row has: url_for builds with it, the real id takes its place


def _reads(user: Any, row: Any) -> bool:
    return permissions.can_read_network(user, row.network)


def load_network(network_id: int) -> Network:
    """Load a network the user may read, or answer 404 (a non-member must not learn it exists)."""
    return load_or_404(Network, network_id, allowed=permissions.can_read_network)


def load_subject(subject_id: int) -> Subject:
    """Load a subject of a network the user may read, or 404."""
    return load_or_404(Subject, subject_id, allowed=_reads)


def load_thread(thread_id: int) -> Thread:
    """Load a thread of a network the user may read, or 404."""
    return load_or_404(Thread, thread_id, allowed=_reads)


def load_post(post_id: int) -> Post:
    """Load a post of a network the user may read, or 404."""
    return load_or_404(
        Post, post_id, allowed=lambda user, post: permissions.can_read_network(user, post.thread.network)
    )


def load_membership(membership_id: int) -> NetworkMembership:
    """Load a membership for staff, who manage them; 404 for everyone else."""
    return load_or_404(
        NetworkMembership,
        membership_id,
        allowed=lambda user, m: permissions.can_manage_members(user, m.network),
    )


@dataclass(frozen=True)
class Standing:
    """What the user is in a network, read once per page: member, moderator, staff."""

    is_member: bool
    is_moderator: bool
    can_manage_members: bool


def standing(network: Network) -> Standing:
    """Return the user's standing in `network` (one query)."""
    found = permissions.membership(current_user, network)
    return Standing(
        is_member=found is not None,
        is_moderator=found is not None and found.is_moderator,
        can_manage_members=permissions.can_manage_members(current_user, network),
    )


def _reads_with(standing_of: Standing, user: Any) -> bool:
    """`permissions.can_read_network`, from a standing already read."""
    return permissions.can_read_network_as(user, is_member=standing_of.is_member)


def _standing_of(is_member: bool, is_moderator: bool) -> Standing:
    if is_member:
        permissions.remember_member(current_user)  # the menu's "Nätverk" needs no statement of its own
    return Standing(
        is_member=is_member,
        is_moderator=is_member and is_moderator,
        can_manage_members=permissions.can_manage_members(current_user),
    )


def load_network_standing(network_id: int) -> tuple[Network, Standing]:
    """`load_network` and `standing`, the network and the membership in one statement."""
    number = as_id(network_id)
    found = queries.network_visit(number, user_id=current_user.id) if number is not None else None
    if found is None:
        abort(404)
    network, is_member, is_moderator = found
    here = _standing_of(is_member, is_moderator)
    if not _reads_with(here, current_user):
        abort(404)
    return network, here


def load_subject_standing(subject_id: int) -> tuple[Subject, Standing]:
    """`load_subject` and `standing` of its network, the subject, its network and the membership in
    one statement."""
    number = as_id(subject_id)
    found = queries.subject_visit(number, user_id=current_user.id) if number is not None else None
    if found is None:
        abort(404)
    subject, is_member, is_moderator = found
    here = _standing_of(is_member, is_moderator)
    if not _reads_with(here, current_user):
        abort(404)
    return subject, here


def load_thread_visit(thread_id: int) -> tuple[queries.ThreadVisit, Standing]:
    """`load_thread` and `standing` of its network, with the thread's network and subject and how far
    the reader has read, in one statement."""
    number = as_id(thread_id)
    visit = queries.thread_visit(number, user_id=current_user.id) if number is not None else None
    if visit is None:
        abort(404)
    here = _standing_of(visit.is_member, visit.is_moderator)
    if not _reads_with(here, current_user):
        abort(404)
    return visit, here


def id_urls(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """Return a builder of `endpoint`'s URL for many ids: `url_for` runs once, not once per row."""
    arguments: dict[str, Any] = {**values, key: _STAND_IN}
    head, found, tail = url_for(endpoint, **arguments).partition(str(_STAND_IN))
    known(found or None, "the stand-in id is in the URL")
    return lambda ident: f"{head}{ident}{tail}"
