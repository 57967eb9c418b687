"""Issue 16, point 2: rate limits on a family registering itself, and fifty scripted registrations.

Flask-Limiter is on here, with the limits the product ships (coursehub.config).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub import clock
from coursehub.accounts.models import Household, Role, User
from coursehub.config import Defaults
from coursehub.enrollment import services
from coursehub.enrollment.models import Enrollment
from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from coursehub.notifications.models import OutboxMessage
from tests.factories import CourseRunFactory, HouseholdFactory, UserFactory

TOO_MANY = "Det har kommit många anmälningar på kort tid, så vi tar inte emot fler just nu."


# The limits the product ships with (test_the_shipped_limits_are_the_ones_tested checks).
LIMITS = {
    "COURSEHUB_REGISTER_LIMIT_ADDRESS": "5 per hour",
    "COURSEHUB_REGISTER_LIMIT_EMAIL": "3 per day",
    "COURSEHUB_REGISTER_LIMIT_ALL": "30 per hour",
}


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, **LIMITS}


def test_the_shipped_limits_are_the_ones_tested():
    assert {name: getattr(Defaults, name, None) for name in LIMITS} == LIMITS


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(client, run, municipality, email, address="10.1.1.1", name="Eva Ek"):
    return client.post(
        f"/kurser/{run.id}/ny-familj",
        data={"adult1_name": name, "adult1_email": email, "municipality_id": str(municipality.id)},
        environ_base={"REMOTE_ADDR": address},
    )


def test_one_client_address_may_register_five_times_an_hour(client, municipality, run):
    db.session.commit()
    for number in range(5):
        assert _post(client, run, municipality, f"p{number}@exempel.se").status_code == 302
    refused = _post(client, run, municipality, "p5@exempel.se")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert TOO_MANY in page and "Inget av det ni skrev har sparats." in page
    assert 'value="p5@exempel.se"' in page  # the form comes back with what was typed
    assert _count(Household) == 5
    # Another client address is not held up by the first one.
    assert _post(client, run, municipality, "p5@exempel.se", address="10.2.2.2").status_code == 302


def test_one_e_mail_address_is_counted_whatever_client_address_or_spelling(client, municipality, run):
    db.session.commit()
    for number, spelling in enumerate(("eva@exempel.se", "EVA@exempel.se", " Eva@Exempel.se ")):
        assert _post(client, run, municipality, spelling, address=f"10.3.3.{number}").status_code == 302
    assert _post(client, run, municipality, "eva@exempel.se", address="10.3.3.9").status_code == 429
    # The owner got the invitation and one "someone tried" mail; the fourth try mailed nobody.
    assert {m.dedupe_key.split(":")[0] for m in db.session.scalars(select(OutboxMessage))} == {
        "enrollment-invitation",
        "accounts.registration_attempt",
    }


def test_everybody_together_is_limited_too(app, client, municipality, run):
    app.config["COURSEHUB_REGISTER_LIMIT_ALL"] = "3 per hour"
    db.session.commit()
    for number in range(3):
        assert (
            _post(client, run, municipality, f"q{number}@exempel.se", f"10.4.4.{number}").status_code == 302
        )
    assert _post(client, run, municipality, "q9@exempel.se", "10.4.4.9").status_code == 429


def test_fifty_scripted_registrations_in_a_minute_take_no_seat_and_reach_a_handful(
    client, smtp_server, municipality
):
    run = CourseRunFactory(capacity=10, course_type__requires_municipal_approval=True)
    family = HouseholdFactory(municipality=municipality, is_confirmed=True)
    adult = UserFactory(household=family, roles=[Role.FAMILY])
    services.sign_up(run, family, [adult], actor=adult, now=clock.now())
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=municipality)
    known = UserFactory(roles=[Role.FAMILY], household=HouseholdFactory(municipality=municipality))
    db.session.commit()
    send_outbox(clock.now())  # the mails of the setting up go out before the script starts
    db.session.commit()
    free_before = run.capacity - run.seats_taken
    smtp_server.clear()
    users_before = _count(User)

    # The clock stands still: all fifty arrive within the same minute, from one script.
    answers = []
    for number in range(50):
        email = known.email if number % 10 == 0 else f"skript{number}@exempel.se"
        answers.append(_post(client, run, municipality, email, name=f"Skript {number}").status_code)

    send_outbox(clock.now())
    db.session.commit()
    db.session.expire_all()
    assert run.capacity - run.seats_taken == free_before
    assert _count(Enrollment) == 1 + (_count(User) - users_before)  # the unconfirmed ones hold nothing
    recipients = {rcpt for _sender, rcpts in smtp_server.envelopes for rcpt in rcpts}
    assert 0 < len(recipients) <= 5, recipients
    assert worker.email not in recipients and adult.email not in recipients
    # The script was told what a person is told: thanks, and then to wait (never which address exists).
    assert set(answers) <= {302, 429} and answers[:5] == [302] * 5
