"""Who may see and act in a network.

A network and everything in it (subjects, threads, posts, feeds, mails) is seen by its members
only; to anyone else it answers 404, as if it did not exist (SECURITY.md, Access). Staff and admins
manage every network's membership and may read every network (they answer for what is written
there), but they write in a network only as members, and moderate it only as its moderators.
"""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import ColumnElement, exists, select

from coursehub.accounts.models import User
from coursehub.accounts.permissions import is_staff
from coursehub.extensions import db
from coursehub.forum.models import Network, NetworkMembership
from coursehub.lib.user_facts import loaded_fact


def _user_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id


def membership(user: Any, network: Network) -> NetworkMembership | None:
    """Return `user`'s membership of `network`, or None."""
    user_id = _user_id(user)
    if user_id is None:
        return None
    return db.session.scalar(
        select(NetworkMembership).where(
            NetworkMembership.network_id == network.id, NetworkMembership.user_id == user_id
        )
    )


def is_member(user: Any, network: Network) -> bool:
    """Whether `user` is a member of `network`."""
    return membership(user, network) is not None


def is_moderator(user: Any, network: Network) -> bool:
    """Whether `user` moderates `network`."""
    found = membership(user, network)
    return found is not None and found.is_moderator


def can_read_network(user: Any, network: Network) -> bool:
    """Members read a network; staff and admins read every network."""
    return _user_id(user) is not None and (is_staff(user) or is_member(user, network))


def can_read_network_as(user: Any, *, is_member: bool) -> bool:
    """`can_read_network` when the caller has already looked up whether `user` is a member."""
    return _user_id(user) is not None and (is_staff(user) or is_member)


def can_post(user: Any, network: Network) -> bool:
    """Members write in their network."""
    return is_member(user, network)


def can_moderate(user: Any, network: Network) -> bool:
    """Moderators arrange subjects, hide posts, lock, pin and move threads."""
    return is_moderator(user, network)


def can_manage_members(user: Any, network: Network | None = None) -> bool:
    """Staff and admins add and remove members and name moderators, in every network."""
    return is_staff(user)


def can_manage_networks(user: Any) -> bool:
    """Staff and admins create networks and change their names and descriptions."""
    return _user_id(user) is not None and is_staff(user)


def remember_member(user: Any) -> None:
    """Note that `user` was just found a member of a network: `in_any_network` (the menu) then
    answers without asking the database again in this request."""
    user_id = _user_id(user)
    if user_id is not None:
        g.setdefault("forum_in_any_network", {})[user_id] = True


def in_any_network(user: Any) -> bool:
    """Whether `user` is in some network (or is staff): the menu shows "Nätverk" to them."""
    user_id = _user_id(user)
    if user_id is None:
        return False
    if is_staff(user):
        return True
    # Asked more than once per page (the menu, the documents' menu item): one statement per request.
    remembered: dict[int, bool] = g.setdefault("forum_in_any_network", {})
    if user_id not in remembered:
        # Loaded with the session's user (`in_some_network`, added in forum.init_app), else asked.
        loaded = loaded_fact(user, IN_ANY_NETWORK)
        remembered[user_id] = (
            bool(loaded) if loaded is not None else bool(db.session.scalar(select(_membership_of(user_id))))
        )
    return remembered[user_id]


# The name of `in_some_network` among the facts loaded with the session's user (lib.user_facts).
IN_ANY_NETWORK = "forum_in_any_network"


def in_some_network() -> ColumnElement[bool]:
    """Whether the user of the statement that selects it is in some network: the menu asks it on
    every page, so it comes with the session's user instead of in a statement of its own."""
    return _membership_of(User.id)


def _membership_of(user_id: Any) -> ColumnElement[bool]:
    """Whether `user_id` (a value, or a column of the statement around it) is in some network.

    EXISTS, not a LIMIT 1 read: with a few people in many networks (the bench's national set: 121
    people, 36,300 memberships) the planner expects ~300 rows a person and scans the table for a
    LIMIT 1 (2.7 ms for someone in none); EXISTS reads the index (0.1 ms).
    """
    return exists().where(NetworkMembership.user_id == user_id)
