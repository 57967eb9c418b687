"""Fixtures of the recruitment tests: a posted interest registration, and staff."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coursehub.notifications.models import OutboxMessage
from tests.factories import MunicipalityFactory, UserFactory


@pytest.fixture
def municipality(db):
    found = MunicipalityFactory(name="Jönköping", code="0680")
    db.session.commit()
    return found


@pytest.fixture
def staff(db):
    user = UserFactory(staff=True, full_name="Sara Berg")
    db.session.commit()
    return user


def interest_data(municipality, **changes) -> dict:
    """A filled-in interest registration, as the form posts it."""
    data = {
        "adult1_first_name": "Åsa",
        "adult1_last_name": "Öberg",
        "adult1_email": "asa.oberg@hem.test",
        "adult1_phone": "070-111 22 33",
        "street": "Storgatan 1",
        "postal_code": "55111",
        "city": "Jönköping",
        "municipality_id": str(municipality.id),
        "children": "4, 16",
        "housing": "Villa med fem rum och trädgård.",
        "experience": "Två egna barn, och Åsa arbetar som förskollärare.",
        "kinds": ["long_term", "emergency"],
        "min_child_age": "0",
        "max_child_age": "12",
        "consent": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def outbox(db, recipient: str | None = None) -> list[OutboxMessage]:
    db.session.rollback()
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient:
        stmt = stmt.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(stmt))
