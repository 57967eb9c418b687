"""Demo data of the forum: the county's four networks, their members and a few subjects.
Idempotent: only what is missing is added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coursehub.accounts.models import User
from coursehub.extensions import db
from coursehub.forum.models import Network, Subject
from coursehub.forum.services import networks

# (name, description, [(username, is_moderator)], subjects)
NETWORKS: list[tuple[str, str, list[tuple[str, bool]], list[str]]] = [
    (
        "Familjehemsnätverket",
        "Familjehemssekreterarna i medlemskommunerna delar erfarenheter och frågor om familjehemsvård.",
        [("sara.berg", True), ("maria.ek", False), ("nils.strand", False)],
        ["Rekrytering", "Utredning av familjehem", "Stöd och handledning"],
    ),
    (
        "Chefsnätverket barn och unga",
        "Enhetschefer för barn och unga i medlemskommunerna.",
        [("astrid.lind", True), ("nils.strand", False)],
        ["Samverkan", "Uppdrag och budget"],
    ),
    (
        "Styrgruppen",
        "Styrgruppen för familjehemsresursen: verksamhetsplan, uppföljning och beslut.",
        [("astrid.lind", True), ("goran.sjo", False)],
        ["Verksamhetsplan", "Uppföljning"],
    ),
    (
        "Kursledarna",
        "Kursledarna i Ett hem att växa i och fortbildningarna.",
        [("sara.berg", True), ("lars.holm", False)],
        ["Kursupplägg", "Övningar och material"],
    ),
]


def seed(now: datetime) -> None:
    """Create what is missing of the forum demo data."""
    users = {u.username: u for u in db.session.scalars(select(User))}
    for name, description, members, subject_names in NETWORKS:
        network = db.session.scalar(select(Network).where(Network.name == name))
        if network is None:
            network = networks.create_network(name, description=description, actor=None, now=now)
        for username, is_moderator in members:
            user = users.get(username)
            if user is not None and networks.find_membership(network, user) is None:
                networks.add_member(network, user, is_moderator=is_moderator, actor=None, now=now)
        have = {s.name for s in db.session.scalars(select(Subject).where(Subject.network_id == network.id))}
        for position, subject_name in enumerate(subject_names, start=1):
            if subject_name not in have:
                db.session.add(Subject(network=network, name=subject_name, position=position, created_at=now))
    db.session.flush()
