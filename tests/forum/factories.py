"""Factories of the forum's models."""

from __future__ import annotations

import factory

from coursehub import clock
from coursehub.forum.models import Network, NetworkMembership, Subject
from tests.factories import Base, UserFactory


class NetworkFactory(Base):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Nätverk {n}")
    slug = factory.Sequence(lambda n: f"natverk-{n}")
    description = "Ett nätverk för test."
    created_at = factory.LazyFunction(clock.now)


class MembershipFactory(Base):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory, member=True)
    is_moderator = False
    created = factory.LazyFunction(clock.now)


class SubjectFactory(Base):
    class Meta:
        model = Subject

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Ämne {n}")
    position = factory.Sequence(lambda n: n)
    created_at = factory.LazyFunction(clock.now)
