"""Staff correct the address of a message that could not be sent, which puts it back in line."""

from __future__ import annotations

import re

import pytest

from coursehub.errors import CoursehubError
from coursehub.extensions import db
from coursehub.notifications.jobs import SendResult, send_outbox
from coursehub.notifications.models import OutboxMessage
from coursehub.notifications.services import OutboxError, correct_recipient
from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory

BAD_ADDRESS = "åsa.öberg@exempel.test"


@pytest.fixture
def staff_client(client, login_as):
    return login_as(client, UserFactory(staff=True))


def _reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    found = db.session.get(OutboxMessage, message_id)
    assert found is not None
    return found


def _field_error(html: str) -> str:
    match = re.search(r'id="recipient-error" class="invalid-feedback">([^<]*)<', html)
    assert match, "no message beside the address field"
    return match.group(1)


# --- the service ------------------------------------------------------------------------------


def test_a_corrected_address_is_stored_in_its_stored_form_and_the_message_waits_again(clock):
    message = OutboxMessageFactory(failed=True, recipient=BAD_ADDRESS, attempts=3)
    staff = UserFactory(staff=True)

    correct_recipient(message, "  Asa.Oberg@Bücher.test ", actor=staff, now=clock.now)

    stored = _reload(message.id)
    assert stored.recipient == "asa.oberg@xn--bcher-kva.test"
    assert stored.is_pending and stored.attempts == 0
    assert stored.next_attempt_at == clock.now


def test_the_service_applies_the_address_rule_itself(clock):
    message = OutboxMessageFactory(failed=True, recipient=BAD_ADDRESS)
    with pytest.raises(OutboxError) as refused:
        correct_recipient(message, "åsa@exempel.test", actor=None, now=clock.now)
    assert refused.value.field == "recipient"
    assert "före @" in refused.value.message
    assert _reload(message.id).recipient == BAD_ADDRESS


@pytest.mark.parametrize("state", [{"sent": True}, {}], ids=["sent", "waiting"])
def test_only_a_failed_message_gets_a_new_recipient(clock, state):
    message = OutboxMessageFactory(**state)
    with pytest.raises(CoursehubError, match="inte kunde skickas"):
        correct_recipient(message, "ny@exempel.test", actor=None, now=clock.now)


def test_a_message_whose_text_retention_removed_gets_no_new_recipient(app, clock):
    message = OutboxMessageFactory(failed=True, recipient=BAD_ADDRESS, body_text="", body_html=None)
    message.body_dropped_at = clock.now
    with app.test_request_context(), pytest.raises(OutboxError, match="Texten i meddelandet är gallrad"):
        correct_recipient(message, "asa.oberg@exempel.test", actor=None, now=clock.now)
    assert message.recipient == BAD_ADDRESS and message.failed_at is not None


# --- the pages --------------------------------------------------------------------------------


def test_staff_see_why_a_message_failed_correct_it_and_the_next_run_delivers_it(
    staff_client, smtp_server, clock, queue_test_message
):
    queue_test_message("anna@exempel.test")
    bad = OutboxMessageFactory(recipient=BAD_ADDRESS, subject="Välkommen till kursen")
    db.session.commit()
    assert send_outbox(clock.now) == SendResult(sent=1, failed=1)

    listing = staff_client.get("/admin/utkorg").get_data(as_text=True)
    [row] = [
        row for row in re.findall(r"<tr>(.*?)</tr>", listing, flags=re.S) if "Välkommen till kursen" in row
    ]
    assert "Misslyckades" in row
    assert "Mottagarens adress går inte att skicka till" in row
    assert f"/admin/utkorg/{bad.id}/mottagare" in row

    page = staff_client.get(f"/admin/utkorg/{bad.id}").get_data(as_text=True)
    assert "Rätta mottagarens adress" in page and 'name="recipient"' in page

    response = staff_client.post(
        f"/admin/utkorg/{bad.id}/mottagare",
        data={"recipient": "asa.oberg@exempel.test"},
        follow_redirects=True,
    )
    assert "Adressen är ändrad" in response.get_data(as_text=True)
    assert _reload(bad.id).is_pending

    assert send_outbox(clock.now) == SendResult(sent=1)
    smtp_server.wait_for(2)
    assert smtp_server.envelopes[-1][1] == ["asa.oberg@exempel.test"]
    assert smtp_server.messages[-1]["Subject"] == "Välkommen till kursen"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("åsa@exempel.test", "Delen före @ får bara ha bokstäverna a–z"),
        ("inte en adress", "Skriv en e-postadress som namn@exempel.se."),
        ("", "Skriv e-postadressen."),
    ],
)
def test_an_address_the_rule_refuses_gets_a_message_beside_the_field(staff_client, clock, typed, message):
    bad = OutboxMessageFactory(failed=True, recipient=BAD_ADDRESS)
    db.session.commit()

    response = staff_client.post(f"/admin/utkorg/{bad.id}/mottagare", data={"recipient": typed})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _field_error(html).startswith(message)
    if typed:
        assert f'value="{typed}"' in html  # what was typed comes back, to be corrected
    stored = _reload(bad.id)
    assert stored.recipient == BAD_ADDRESS and stored.failed_at is not None


def test_the_form_page_shows_the_address_and_the_reason(staff_client, clock):
    bad = OutboxMessageFactory(
        failed=True,
        recipient="anna@exempel.invalid",
        last_error="Mottagarens adress går inte att skicka till: …",
    )
    db.session.commit()
    html = staff_client.get(f"/admin/utkorg/{bad.id}/mottagare").get_data(as_text=True)
    assert "<h1>Rätta mottagarens adress</h1>" in html
    assert 'value="anna@exempel.invalid"' in html
    assert "Mottagarens adress går inte att skicka till" in html


def test_a_sent_message_offers_no_correction_and_refuses_one(staff_client, clock):
    sent = OutboxMessageFactory(sent=True, recipient="anna@exempel.test")
    db.session.commit()
    assert 'name="recipient"' not in staff_client.get(f"/admin/utkorg/{sent.id}").get_data(as_text=True)
    response = staff_client.post(
        f"/admin/utkorg/{sent.id}/mottagare", data={"recipient": "ny@exempel.test"}, follow_redirects=True
    )
    assert "Bara ett meddelande som inte kunde skickas kan få en ny mottagare." in (
        response.get_data(as_text=True)
    )
    assert _reload(sent.id).recipient == "anna@exempel.test"


def test_a_family_may_not_correct_an_address(client, login_as, clock):
    bad = OutboxMessageFactory(failed=True, recipient=BAD_ADDRESS)
    db.session.commit()
    login_as(client, UserFactory(family=True))
    response = client.post(f"/admin/utkorg/{bad.id}/mottagare", data={"recipient": "eve@exempel.test"})
    assert response.status_code == 403
    assert _reload(bad.id).recipient == BAD_ADDRESS
