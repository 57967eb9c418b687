"""Every read of recruitment data writes an audit row; every refused attempt a denied row."""

import pytest
from sqlalchemy import select

from coursehub.accounts.models import AuditEntry, AuditOutcome
from tests.factories import UserFactory


def _entries(db, action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_reading_the_board_writes_an_audit_row(db, client, login_as):
    staff = UserFactory(staff=True)
    db.session.commit()
    page = login_as(client, staff).get("/rekrytering/")
    assert page.status_code == 200
    assert "Intresseanmälan" in page.get_data(as_text=True)
    [entry] = _entries(db, "recruitment.board.read")
    assert entry.actor_id == staff.id and entry.outcome == AuditOutcome.OK


@pytest.mark.parametrize("role", ["family", "municipal", "member", "leader", "steering"])
def test_others_get_404_and_a_denied_row(db, client, login_as, role):
    user = UserFactory(**{role: True})
    db.session.commit()
    page = login_as(client, user).get("/rekrytering/")
    assert page.status_code == 404
    [entry] = _entries(db, "recruitment.board.read")
    assert entry.actor_id == user.id and entry.outcome == AuditOutcome.DENIED


def test_a_visitor_is_sent_to_log_in_and_nothing_is_shown(client):
    page = client.get("/rekrytering/")
    assert page.status_code == 302 and "/logga-in" in page.location
