"""The presentation: versions kept, sent with a single-use link, approved by the family (point 4)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import AuditEntry, Role
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from coursehub.recruitment.errors import RecruitmentError
from coursehub.recruitment.models import Presentation, PresentationVersion, Step, StepChange
from coursehub.recruitment.services import presentation as services
from tests.factories import UserFactory
from tests.recruitment.factories import CaseFactory

TEXT = "Vi är en familj med två vuxna och en katt i ett hus nära skogen.\nVi tycker om friluftsliv."


@pytest.fixture
def staff(app):
    return UserFactory(roles=[Role.STAFF])


@pytest.fixture
def case(app):
    return CaseFactory(step=Step.PRESENTATION)


def _sent(case, staff, clock) -> str:
    """Save and send a version; return the token of the link in the family's mail."""
    services.save_presentation(case, text=TEXT, actor=staff, now=clock.now)
    services.send_presentation(case, actor=staff, now=clock.now)
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/presentation/([A-Za-z0-9_-]+)", mail.body_text).group(1)


def test_every_saved_text_is_a_new_version_and_an_unchanged_one_is_not(case, staff, clock):
    first = services.save_presentation(case, text=TEXT, actor=staff, now=clock.now)
    same = services.save_presentation(case, text=TEXT + "\n", actor=staff, now=clock.now)
    second = services.save_presentation(case, text=TEXT + " Och en hund.", actor=staff, now=clock.now)
    assert (first.number, same.id, second.number) == (1, first.id, 2)
    assert [v.text for v in services.presentation_of(case).versions] == [TEXT, TEXT + " Och en hund."]


@pytest.mark.parametrize(("text", "field"), [("   ", "text"), ("x" * 8001, "text")])
def test_an_empty_or_too_long_text_is_refused(case, staff, clock, text, field):
    with pytest.raises(RecruitmentError) as raised:
        services.save_presentation(case, text=text, actor=staff, now=clock.now)
    assert raised.value.field == field
    assert db.session.scalar(select(func.count(PresentationVersion.id))) == 0


def test_the_presentation_is_written_only_in_its_step(staff, clock):
    with pytest.raises(RecruitmentError, match="steg 6"):
        services.save_presentation(CaseFactory(step=Step.HOME_VISIT), text=TEXT, actor=staff, now=clock.now)


def test_sending_mails_a_link_without_content_and_keeps_only_its_hash(case, staff, clock):
    token = _sent(case, staff, clock)
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == case.adults[0].email
    assert "katt" not in mail.body_text and "katt" not in mail.body_html
    presentation = services.presentation_of(case)
    assert presentation.approval_token_hash == services.hash_link_token(token)
    assert token not in str(presentation.approval_token_hash)


def test_the_family_approves_once_and_the_case_becomes_available(case, staff, clock):
    token = _sent(case, staff, clock)
    clock.advance(days=2)
    presentation = services.approve_presentation(token, now=clock.now)
    assert presentation.approved_at == clock.now
    assert presentation.approved_version_id == presentation.versions[-1].id
    assert case.step == Step.AVAILABLE
    change = db.session.scalars(select(StepChange).where(StepChange.case_id == case.id)).one()
    assert (change.from_step, change.to_step, change.actor_id) == (Step.PRESENTATION, Step.AVAILABLE, None)
    with pytest.raises(services.PresentationLinkError, match="redan godkänt"):
        services.approve_presentation(token, now=clock.now)


def test_an_expired_or_replaced_link_is_refused_politely(case, staff, clock):
    old = _sent(case, staff, clock)
    services.save_presentation(case, text=TEXT + " Ny mening.", actor=staff, now=clock.now)
    new = _sent(case, staff, clock)
    with pytest.raises(services.PresentationLinkError, match="Länken gäller inte"):
        services.find_approval(old, now=clock.now)
    clock.advance(days=31)
    with pytest.raises(services.PresentationLinkError, match="gått ut"):
        services.approve_presentation(new, now=clock.now)
    assert db.session.scalar(select(Presentation.approved_at)) is None


def test_the_public_page_shows_the_text_and_a_reused_link_a_polite_refusal(client, case, staff, clock):
    token = _sent(case, staff, clock)
    db.session.commit()
    page = client.get(f"/presentation/{token}").get_data(as_text=True)
    assert "nära skogen" in page
    done = client.post(f"/presentation/{token}", data={})
    assert "Tack för ert godkännande" in done.get_data(as_text=True)
    again = client.post(f"/presentation/{token}", data={})
    assert again.status_code == 200
    assert "Ni har redan godkänt presentationen" in again.get_data(as_text=True)
    assert "nära skogen" not in client.get(f"/presentation/{token}").get_data(as_text=True)


def test_staff_reading_the_presentation_page_writes_an_audit_row(client, login_as, case, staff, clock):
    services.save_presentation(case, text=TEXT, actor=staff, now=clock.now)
    db.session.commit()
    login_as(client, staff)
    page = client.get(f"/rekrytering/arenden/{case.id}/presentation").get_data(as_text=True)
    assert "Version 1" in page
    reads = select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "recruitment.presentation.read", AuditEntry.object_id == case.id
    )
    assert db.session.scalar(reads) == 1


def test_staff_save_and_send_from_the_page(client, login_as, case, staff, clock):
    db.session.commit()
    login_as(client, staff)
    empty = client.post(f"/rekrytering/arenden/{case.id}/presentation", data={"text": ""})
    assert "Skriv presentationen." in empty.get_data(as_text=True)
    client.post(f"/rekrytering/arenden/{case.id}/presentation", data={"text": TEXT})
    client.post(f"/rekrytering/arenden/{case.id}/presentation/skicka", data={})
    page = client.get(f"/rekrytering/arenden/{case.id}/presentation").get_data(as_text=True)
    assert "Väntar på familjens godkännande" in page
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    assert clock.now - services.presentation_of(case).sent_at < timedelta(seconds=1)
