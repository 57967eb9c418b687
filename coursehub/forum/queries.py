"""Reads of the forum pages, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from sqlalchemy import Select, select

from coursehub.extensions import db
from coursehub.forum.models import Network, NetworkMembership, Subject
from coursehub.lib.pagination import Page, paginate


def networks_page(*, user_id: int, everything: bool, page: int, per_page: int = 25) -> Page:
    """Return a page of the networks `user_id` is in (every network when `everything`)."""
    stmt: Select[Network] = select(Network).order_by(Network.name, Network.id)
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
