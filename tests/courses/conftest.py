"""Fixtures of the courses tests: staff and leaders, a basic course type."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.factories import CourseTypeFactory, UserFactory, VenueFactory

# Summer time ends on Sunday 25 October 2026; 6 October is a Tuesday in summer time.
SUMMER_TUESDAY = date(2026, 10, 6)


@pytest.fixture
def staff(db):
    return UserFactory(staff=True, full_name="Sara Berg")


@pytest.fixture
def leader(db):
    return UserFactory(leader=True, full_name="Lars Holm")


@pytest.fixture
def basic_type(db):
    return CourseTypeFactory(name="Ett hem att växa i", themes=8)


@pytest.fixture
def venue(db):
    return VenueFactory(name="Kurslokalen", accessibility_notes="Hiss till plan 2.")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
