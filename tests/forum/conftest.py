"""Fixtures of the forum tests: a network with a subject, a moderator and two members."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coursehub import clock
from coursehub.forum.models import Network, Subject
from coursehub.forum.services import discussions
from tests.factories import UserFactory
from tests.forum.factories import MembershipFactory, NetworkFactory, SubjectFactory


@dataclass
class Forum:
    network: Network
    subject: Subject
    moderator: object
    anna: object
    bo: object


@pytest.fixture
def forum(db) -> Forum:
    network = NetworkFactory(name="Familjehemsnätverket")
    subject = SubjectFactory(network=network, name="Rekrytering")
    people = {}
    for key, username, is_moderator in (
        ("moderator", "mona.mod", True),
        ("anna", "anna.ek", False),
        ("bo", "bo.lund", False),
    ):
        user = UserFactory(member=True, username=username, full_name=username.replace(".", " ").title())
        MembershipFactory(network=network, user=user, is_moderator=is_moderator)
        people[key] = user
    db.session.commit()  # a refused request rolls back; the forum must outlive it
    return Forum(network=network, subject=subject, **people)


def start(
    forum: Forum,
    author,
    title: str = "Hur rekryterar ni?",
    body: str = "Vi söker fler familjer.",
    subject=None,
):
    """Start a thread through the service, commit, and return its first post."""
    from coursehub.extensions import db

    post = discussions.start_thread(subject or forum.subject, title, body, actor=author, now=clock.now())
    db.session.commit()
    return post


def html(response) -> str:
    return response.get_data(as_text=True)
