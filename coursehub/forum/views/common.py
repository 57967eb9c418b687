"""Loading forum rows for a view: a row of a network the user may not read answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from flask import abort
from flask_login import current_user

from coursehub.forum import permissions, queries
from coursehub.forum.models import Network, NetworkMembership, Post, Subject, Thread
from coursehub.lib.params import as_id
from coursehub.lib.work import load_or_404

_Row = TypeVar("_Row")
_Found = TypeVar("_Found", covariant=True)


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


class _Visit(Protocol[_Found]):
    """A query of a row with the reader's membership of its network: (row, is_member, is_moderator)."""

    def __call__(self, number: int, /, *, user_id: int) -> tuple[_Found, bool, bool] | None: ...


def _load_visit(ident: int, look_up: _Visit[_Row]) -> tuple[_Row, Standing]:
    """Return the row `look_up` finds with the reader's standing in its network (one statement), or
    answer 404: no such row, or a network the reader may not read."""
    number = as_id(ident)
    found = look_up(number, user_id=current_user.id) if number is not None else None
    if found is None:
        abort(404)
    row, is_member, is_moderator = found
    here = _standing_of(is_member, is_moderator)
    if not _reads_with(here, current_user):
        abort(404)
    return row, here


def load_network_standing(network_id: int) -> tuple[queries.NetworkVisit, Standing]:
    """`load_network` and `standing`, with the network's subjects and their threads counted: the
    network, its subjects and the membership in one statement."""
    return _load_visit(network_id, queries.network_visit)


def load_subject_standing(subject_id: int) -> tuple[queries.SubjectVisit, Standing]:
    """`load_subject` and `standing` of its network, with the subject's threads counted: the
    subject, its network, the count and the membership in one statement."""
    return _load_visit(subject_id, queries.subject_visit)


def _thread_visit(number: int, /, *, user_id: int) -> tuple[queries.ThreadVisit, bool, bool] | None:
    visit = queries.thread_visit(number, user_id=user_id)
    return None if visit is None else (visit, visit.is_member, visit.is_moderator)


def load_thread_visit(thread_id: int) -> tuple[queries.ThreadVisit, Standing]:
    """`load_thread` and `standing` of its network, with the thread's network and subject and how far
    the reader has read, in one statement."""
    return _load_visit(thread_id, _thread_visit)
