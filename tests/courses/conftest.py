"""Fixtures of the courses tests: staff and leaders, a basic course type, seats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from coursehub.courses import queries
from coursehub.enrollment.models import SEAT_HOLDING, Enrollment, EnrollmentPerson
from coursehub.extensions import db
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


def count_seat_holders(run_ids):
    """A seat counter like the one enrollment registers: one query over the sign-up tables."""
    rows = db.session.execute(
        select(Enrollment.run_id, func.count(EnrollmentPerson.id))
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(Enrollment.run_id.in_(list(run_ids)), Enrollment.status.in_(SEAT_HOLDING))
        .group_by(Enrollment.run_id)
    ).all()
    return dict(rows)


@pytest.fixture
def seat_counter():
    """Use the test's own seat counter; put back whatever was registered afterwards."""
    saved = list(queries._seat_counters)
    queries.register_seat_counter(count_seat_holders)
    yield count_seat_holders
    queries._seat_counters[:] = saved


@pytest.fixture
def no_seat_counter():
    saved = list(queries._seat_counters)
    queries._seat_counters.clear()
    yield
    queries._seat_counters[:] = saved


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
