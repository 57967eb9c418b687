"""Networks and their members: staff and admins manage them; a user may be in several."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.forum.errors import ForumError
from coursehub.forum.models import DESCRIPTION_MAX, NAME_MAX, SLUG_MAX, Network, NetworkMembership

logger = logging.getLogger(__name__)


def slugify(name: str) -> str:
    """Return a URL-safe slug of `name` (å, ä, ö become a, a, o)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:SLUG_MAX] or "natverk"


def _checked_name(name: str, *, other_than: int | None = None) -> str:
    """Return `name` stripped, or raise a ForumError on the name field (empty, too long, taken)."""
    name = name.strip()
    if not name:
        raise ForumError(_("Skriv ett namn på nätverket."), field="name")
    if len(name) > NAME_MAX:
        raise ForumError(_("Namnet får vara högst %(max)d tecken.", max=NAME_MAX), field="name")
    taken = select(Network.id).where(Network.name == name)
    if other_than is not None:
        taken = taken.where(Network.id != other_than)
    if db.session.scalar(taken) is not None:
        raise ForumError(_("Det finns redan ett nätverk med det namnet."), field="name")
    return name


def _checked_description(description: str) -> str:
    """Return `description` stripped, or raise a ForumError when it is too long."""
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise ForumError(
            _("Beskrivningen får vara högst %(max)d tecken.", max=DESCRIPTION_MAX), field="description"
        )
    return description


def create_network(name: str, *, description: str = "", actor: User | None, now: datetime) -> Network:
    """Create a network named `name`."""
    name = _checked_name(name)
    description = _checked_description(description)
    slug = base = slugify(name)
    number = 1
    while db.session.scalar(select(Network.id).where(Network.slug == slug)) is not None:
        number += 1
        slug = f"{base[: SLUG_MAX - 4]}-{number}"
    network = Network(name=name, slug=slug, description=description, created_at=now)
    db.session.add(network)
    db.session.flush()
    logger.info("network %s created", network.id)
    return network


def update_network(
    network: Network, name: str, *, description: str = "", actor: User | None, now: datetime
) -> Network:
    """Rename `network` and change its description (its slug stays, so links keep working)."""
    network.name = _checked_name(name, other_than=network.id)
    network.description = _checked_description(description)
    db.session.flush()
    logger.info("network %s changed", network.id)
    return network


def find_membership(network: Network, user: User) -> NetworkMembership | None:
    """Return `user`'s membership of `network`, or None."""
    return db.session.scalar(
        select(NetworkMembership).where(
            NetworkMembership.network_id == network.id, NetworkMembership.user_id == user.id
        )
    )


def add_member(
    network: Network, user: User, *, is_moderator: bool = False, actor: User | None, now: datetime
) -> NetworkMembership:
    """Make `user` a member of `network` (a moderator when `is_moderator`)."""
    if not user.is_active:
        raise ForumError(_("Kontot är avslutat och kan inte bli medlem."), field="user")
    membership = find_membership(network, user)
    if membership is not None:
        raise ForumError(_("%(name)s är redan medlem i nätverket.", name=user.full_name), field="user")
    membership = NetworkMembership(network=network, user=user, is_moderator=is_moderator, created=now)
    db.session.add(membership)
    db.session.flush()
    logger.info("network %s member %s added", network.id, membership.id)
    return membership


def set_moderator(
    membership: NetworkMembership, is_moderator: bool, *, actor: User | None
) -> NetworkMembership:
    """Make a member a moderator of the network, or a plain member again."""
    membership.is_moderator = is_moderator
    db.session.flush()
    logger.info("network %s member %s moderator=%s", membership.network_id, membership.id, is_moderator)
    return membership


def remove_member(membership: NetworkMembership, *, actor: User | None) -> None:
    """End a membership; the member's subscriptions in the network end with it."""
    from coursehub.forum.models import Subscription

    network_id, user_id, membership_id = membership.network_id, membership.user_id, membership.id
    db.session.execute(
        delete(Subscription).where(Subscription.network_id == network_id, Subscription.user_id == user_id)
    )
    db.session.delete(membership)
    db.session.flush()
    logger.info("network %s member %s removed", network_id, membership_id)
