"""Issue 16, point 4: failed logins slow the attacker down without locking the owner out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub.notifications.models import OutboxMessage
from tests.accounts.test_views import LOGIN_FAILED, _text, _without_csrf_token
from tests.factories import PASSWORD, UserFactory

WAIT = "För många misslyckade inloggningar. Vänta en stund och försök igen."


@pytest.fixture
def app_config():
    # Flask-Limiter on, with the production limits, so that the whole login path is under test.
    return {
        "RATELIMIT_ENABLED": True,
        "COURSEHUB_LOGIN_FREE_FAILURES": 5,
        "COURSEHUB_LOGIN_DELAY_SECONDS": 30,
        "COURSEHUB_LOGIN_DELAY_MAX_SECONDS": 3600,
        "COURSEHUB_RESET_MAILS_PER_HOUR": 3,
    }


def _post(client, login, password, address):
    return client.post(
        "/logga-in", data={"login": login, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_fifty_wrong_passwords_from_one_address_do_not_stop_the_owner(client, db):
    owner = UserFactory(email="anna@exempel.se")
    db.session.commit()
    answers = [_text(_post(client, owner.email, "fel-fel-fel", "10.6.6.6")) for _ in range(50)]
    assert all(LOGIN_FAILED in answer for answer in answers[:5])
    assert all(WAIT in answer for answer in answers[6:])
    # The attacker's address waits even with the right password...
    assert _post(client, owner.email, PASSWORD, "10.6.6.6").status_code == 429
    # ...but the owner, at home, gets in.
    assert _post(client, owner.email, PASSWORD, "10.0.0.1").status_code == 302


def test_fifty_wrong_passwords_from_many_addresses_do_not_stop_the_owner(client, db):
    owner = UserFactory(email="anna@exempel.se", username="anna.svensson")
    db.session.commit()
    for n in range(50):
        login = owner.username if n % 2 else owner.email.upper()
        assert LOGIN_FAILED in _text(_post(client, login, "fel-fel-fel", f"10.1.0.{n}"))
    # Every address that guessed now waits on this account (e-mail and username share one counter)...
    response = _post(client, owner.username, "annat-fel", "10.1.0.0")
    assert response.status_code == 429 and WAIT in _text(response)
    # ...but the owner's right password from an address without failures is let through.
    assert _post(client, owner.email, PASSWORD, "10.0.0.1").status_code == 302


def test_the_attackers_delay_doubles_with_each_failure_up_to_the_cap(app, client, db, clock):
    app.config["COURSEHUB_LOGIN_DELAY_MAX_SECONDS"] = 100
    owner = UserFactory()
    db.session.commit()
    for _ in range(5):
        assert LOGIN_FAILED in _text(_post(client, owner.email, "fel-fel-fel", "10.6.6.6"))
    for wait in (30, 60, 100, 100):
        clock.advance(seconds=wait - 1)
        assert WAIT in _text(_post(client, owner.email, "fel-fel-fel", "10.6.6.6"))
        clock.advance(seconds=1)
        assert LOGIN_FAILED in _text(_post(client, owner.email, "fel-fel-fel", "10.6.6.6"))
    # Failures are forgotten after a day.
    clock.advance(hours=24)
    assert _post(client, owner.email, PASSWORD, "10.6.6.6").status_code == 302


def test_reset_mails_are_capped_per_account_and_the_page_answers_the_same(client, db, clock):
    UserFactory(email="anna@exempel.se")
    db.session.commit()

    def ask(email):
        return _without_csrf_token(
            client.post("/glomt-losenord", data={"email": email}, follow_redirects=True)
        )

    answers = {ask("anna@exempel.se") for _ in range(10)} | {ask("okand@exempel.se")}
    assert len(answers) == 1
    mails = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert mails == 3
    clock.advance(hours=1, seconds=1)
    ask("anna@exempel.se")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 4
