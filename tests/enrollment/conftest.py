"""Fixtures of the enrollment tests: families, municipal workers, runs and the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursehub.accounts.models import Role
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.support.seats import check_no_seat_drift


@pytest.fixture(autouse=True)
def _database(db):
    """Every enrollment test runs inside the app and its database."""
    return db


@pytest.fixture(autouse=True)
def _no_seat_drift(db):
    """After every test, each run's seats_taken equals the persons holding seats in it."""
    yield
    check_no_seat_drift(db.session)


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Jönköping")


@pytest.fixture
def make_family(municipality):
    """Return a function that makes a confirmed household with `adults` family members."""

    def _make(adults: int = 2, *, municipality=municipality, confirmed: bool = True):
        household = HouseholdFactory(municipality=municipality, is_confirmed=confirmed)
        members = [UserFactory(household=household, roles=[Role.FAMILY]) for _ in range(adults)]
        db.session.refresh(household)
        return household, members

    return _make


@pytest.fixture
def worker(municipality):
    """A municipal worker of the families' municipality."""
    return UserFactory(roles=[Role.MUNICIPAL], municipality=municipality, full_name="Kim Handläggare")


@pytest.fixture
def staff():
    return UserFactory(staff=True)


@pytest.fixture
def run():
    """A published continuing-education run with open sign-up and 4 seats."""
    return CourseRunFactory(capacity=4)


@pytest.fixture
def basic_run():
    """A published basic-training run whose family sign-ups need the municipality's approval."""
    course_type = CourseTypeFactory(name="Ett hem att växa i", requires_municipal_approval=True)
    return CourseRunFactory(course_type=course_type, capacity=10)


@pytest.fixture
def outbox():
    """Return a function listing the outbox messages (optionally for one recipient)."""

    def _messages(recipient: str | None = None, template_prefix: str | None = None):
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            stmt = stmt.where(OutboxMessage.recipient == recipient)
        rows = list(db.session.scalars(stmt))
        if template_prefix:
            rows = [m for m in rows if m.dedupe_key.startswith(template_prefix)]
        return rows

    return _messages
