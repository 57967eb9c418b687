"""The staff page of the outbox: what staff see, what others may not, and its query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from coursehub.notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory


@pytest.fixture
def staff_client(client, login_as):
    return login_as(client, UserFactory(staff=True))


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)[1:]  # without the header row


def test_failed_message_from_a_550_reply_is_listed_first_with_its_error(
    staff_client, smtp_server, clock, queue_test_message
):
    OutboxMessageFactory(sent=True, subject="Redan skickat")
    queue_test_message("bertil@exempel.test")
    smtp_server.reject_with("550 5.1.1 Mailbox unavailable")
    send_outbox(clock.now)
    OutboxMessageFactory(subject="Väntar på tur")
    db.session.commit()

    html = staff_client.get("/admin/utkorg").get_data(as_text=True)

    rows = _rows(html)
    assert "Misslyckades" in rows[0] and "bertil@exempel.test" in rows[0]
    assert "Servern svarade 550 5.1.1 Mailbox unavailable" in rows[0]
    assert "Försök igen nu" in rows[0]
    assert "Väntar på tur" in rows[1] and "Väntar" in rows[1]
    assert "Redan skickat" in rows[2] and "Skickat" in rows[2]
    assert "Väntar: 1. Misslyckade: 1." in html


def test_without_a_mail_server_the_page_says_so_and_the_message_can_be_read(
    staff_client, clock, queue_test_message
):
    message = queue_test_message("cecilia@exempel.test", name="Cecilia")
    send_outbox(clock.now)  # no MAIL_SERVER: nothing happens

    listing = staff_client.get("/admin/utkorg").get_data(as_text=True)
    assert "Ingen e-postserver är inställd" in listing

    page = staff_client.get(f"/admin/utkorg/{message.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Testmeddelande från Familjehemsresursen i Jönköpings län</h1>" in html
    assert "cecilia@exempel.test" in html
    assert "Hej Cecilia!" in html and "Du behöver inte göra något." in html
    assert page.headers["Cache-Control"] == "no-store"


def test_retry_button_puts_a_failed_message_back_and_the_next_run_sends_it(staff_client, smtp_server, clock):
    message = OutboxMessageFactory(
        failed=True, recipient="david@exempel.test", failed_at=clock.now - timedelta(hours=1)
    )
    db.session.commit()

    response = staff_client.post(f"/admin/utkorg/{message.id}/forsok-igen", follow_redirects=True)

    assert "Meddelandet skickas vid nästa utskick" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).is_pending
    send_outbox(clock.now)
    assert smtp_server.wait_for(1)[0]["To"] == "david@exempel.test"


def test_retry_of_a_sent_message_says_it_is_already_sent(staff_client, clock):
    message = OutboxMessageFactory(sent=True)
    sent_at = message.sent_at
    db.session.commit()
    response = staff_client.post(f"/admin/utkorg/{message.id}/forsok-igen", follow_redirects=True)
    assert "Meddelandet är redan skickat." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).sent_at == sent_at


def test_retry_of_a_message_whose_text_was_removed_says_so_and_sends_nothing(
    staff_client, smtp_server, clock
):
    message = OutboxMessageFactory(
        failed=True, subject="Gammal kallelse", body_text="", body_html=None, body_dropped_at=clock.now
    )
    db.session.commit()

    page = staff_client.get(f"/admin/utkorg/{message.id}").get_data(as_text=True)
    # The page says why there is no text, and offers no retry and no new address.
    assert "ett meddelande som inte kunde skickas sparas bara en tid" in page
    assert "Försök igen nu" not in page and 'name="recipient"' not in page
    [row] = _rows(staff_client.get("/admin/utkorg").get_data(as_text=True))
    assert "Gammal kallelse" in row and "Försök igen nu" not in row and "Rätta adressen" not in row

    # A retry posted anyway (an old page, a second tab) is refused with the reason.
    response = staff_client.post(f"/admin/utkorg/{message.id}/forsok-igen", follow_redirects=True)
    assert "Texten i meddelandet är gallrad, så det kan inte skickas igen." in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(OutboxMessage, message.id).is_pending
    assert send_outbox(clock.now).sent == 0 and smtp_server.messages == []
    # The address form, reached by an old link, says the same instead of offering a new address.
    correction = staff_client.get(f"/admin/utkorg/{message.id}/mottagare", follow_redirects=True)
    html = correction.get_data(as_text=True)
    assert "Texten i meddelandet är gallrad, så det kan inte skickas igen." in html
    assert 'name="recipient"' not in html


def test_retry_is_refused_on_get(staff_client):
    message = OutboxMessageFactory(failed=True)
    assert staff_client.get(f"/admin/utkorg/{message.id}/forsok-igen").status_code == 405


def test_unknown_message_is_not_found(staff_client):
    assert staff_client.get("/admin/utkorg/999999").status_code == 404


def test_family_user_is_refused_the_outbox_and_its_messages(client, login_as):
    message = OutboxMessageFactory()
    login_as(client, UserFactory(family=True))
    assert client.get("/admin/utkorg").status_code == 403
    assert client.get(f"/admin/utkorg/{message.id}").status_code == 403
    assert client.post(f"/admin/utkorg/{message.id}/forsok-igen").status_code == 403


def test_visitor_is_sent_to_the_login_page(client):
    response = client.get("/admin/utkorg")
    assert response.status_code == 302 and "/logga-in" in response.location


# One login per test: Flask-Login keeps the user on `g`, which lives as long as the test's context.
def test_menu_shows_the_outbox_to_admins(client, login_as):
    login_as(client, UserFactory(admin=True))
    assert ">Utkorg</a>" in client.get("/").get_data(as_text=True)


def test_menu_hides_the_outbox_from_families(client, login_as):
    login_as(client, UserFactory(family=True))
    html = client.get("/").get_data(as_text=True)
    assert "Logga ut" in html and ">Utkorg</a>" not in html


def test_long_outbox_is_paginated(staff_client, clock):
    for n in range(30):
        OutboxMessageFactory(subject=f"Meddelande nummer {n:02d}")
        clock.advance(seconds=1)
    db.session.commit()
    first = staff_client.get("/admin/utkorg").get_data(as_text=True)
    second = staff_client.get("/admin/utkorg?sida=2").get_data(as_text=True)
    assert "Sida 1 av 2" in first and len(_rows(first)) == 25
    # Waiting messages go out oldest first, and are listed so.
    assert "Meddelande nummer 00" in first and "Meddelande nummer 29" in second
    assert len(_rows(second)) == 5


@pytest.mark.parametrize("size", [5, 50])
def test_outbox_page_runs_a_fixed_number_of_queries(staff_client, count_queries, clock, size, request):
    for n in range(size):
        trait = ("sent", "failed", None)[n % 3]
        OutboxMessageFactory(
            **({trait: True} if trait else {}), next_attempt_at=clock.now + timedelta(minutes=n)
        )
    db.session.commit()
    with count_queries() as statements:
        response = staff_client.get("/admin/utkorg")
    assert response.status_code == 200
    # Pin the number: it must be the same for 5 and for 50 messages.
    assert len(statements) == EXPECTED_QUERIES, statements


# The logged-in user with their roles and the count of what needs action that staff's menu shows
# (reports.queries_start.action_count_facts, with the user: one statement), the counts of the three
# parts, the page of messages.
EXPECTED_QUERIES = 3


def test_staff_reading_a_password_reset_mail_do_not_get_its_link(staff_client, app, clock):
    # Anyone can ask for a reset of an admin's password; the link in the outbox must not let
    # staff (who may not edit an admin) take the admin's account over.
    from coursehub.accounts import services as account_services

    admin = UserFactory(admin=True, email="chefen@exempel.test")
    with app.test_request_context():
        account_services.request_password_reset(admin.email, now=clock.now)
    db.session.commit()
    message = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.recipient == admin.email)).one()
    token_path = re.search(r"http://coursehub\.test(/aterstall-losenord/\S+)", message.body_text).group(1)

    html = staff_client.get(f"/admin/utkorg/{message.id}").get_data(as_text=True)

    assert "aterstall-losenord/" in html  # the text is there to read ...
    assert token_path not in html  # ... but not the secret part of the link
    assert token_path.rsplit("/", 1)[1] not in html
