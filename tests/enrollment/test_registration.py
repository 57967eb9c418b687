"""Issue 16, point 2: a family registering itself holds nothing until its address is confirmed.

The sign-up waits (UNVERIFIED, no seat) until an adult accepts the invitation, then goes through
the normal sign-up rules; unconfirmed it lapses with its household. The form answers the same for
known addresses (their owners get a mail), a honeypot stops scripts, the mails to municipal
workers quote typed text as the family's own and inert, and staff see floods per municipality.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub import clock
from coursehub.accounts.errors import InvalidLinkError
from coursehub.accounts.models import AccountToken, Household, Role, TokenPurpose, User
from coursehub.accounts.services import find_link
from coursehub.enrollment import jobs, services
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.extensions import db
from tests.enrollment.registration import accept_invitation, invitation_token
from tests.factories import MunicipalityFactory, UserFactory


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _register(run, municipality, *adults, name="Familjen Ek", **needs):
    return services.register_family(
        run,
        household_name=name,
        municipality=municipality,
        adults=[services.NewAdult(full_name, email) for full_name, email in adults],
        now=clock.now(),
        **needs,
    )


def _invitation(outbox, email):
    [mail] = outbox(recipient=email, template_prefix="enrollment-invitation")
    return mail


# -- no seat until the address is confirmed --------------------------------------------------------


def test_a_self_registered_family_holds_no_seat_until_an_adult_accepts(run, municipality, outbox):
    enrollment = _register(
        run, municipality, ("Eva Ek", "eva@exempel.se"), ("Erik Ek", "erik@exempel.se"), diet="Vegan"
    )
    assert enrollment.status == EnrollmentStatus.UNVERIFIED
    assert run.seats_taken == 0 and services.seats_taken(run.id) == 0
    accept_invitation(_invitation(outbox, "erik@exempel.se"))
    # The normal rules now: an unconfirmed household waits for its municipality, holding its seats.
    assert enrollment.status == EnrollmentStatus.PENDING and enrollment.needs_approval
    assert run.seats_taken == 2 and enrollment.needs_diet == "Vegan"
    assert {p.user.email for p in enrollment.persons} == {"eva@exempel.se", "erik@exempel.se"}
    # The second adult accepting later changes nothing.
    accept_invitation(_invitation(outbox, "eva@exempel.se"))
    assert enrollment.status == EnrollmentStatus.PENDING and run.seats_taken == 2


def test_seats_taken_while_the_family_had_not_confirmed_put_it_on_the_waiting_list(
    run, municipality, make_family, outbox
):
    enrollment = _register(run, municipality, ("Eva Ek", "eva@exempel.se"))
    household, adults = make_family(4)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    assert run.seats_taken == 4  # all four seats went to the family that was there first
    accept_invitation(_invitation(outbox, "eva@exempel.se"))
    assert enrollment.status == EnrollmentStatus.WAITLISTED and enrollment.waitlist_position == 1
    assert run.seats_taken == 4


def test_a_run_that_closed_before_the_address_was_confirmed_cancels_the_waiting_sign_up(
    run, municipality, outbox, clock
):
    enrollment = _register(run, municipality, ("Eva Ek", "eva@exempel.se"))
    run.signup_closes_at = clock.now  # staff closed the sign-up meanwhile
    db.session.flush()
    user = accept_invitation(_invitation(outbox, "eva@exempel.se"))
    assert user.password_hash is not None  # the password stands
    assert enrollment.status == EnrollmentStatus.CANCELLED
    assert enrollment.cancel_reason == "Anmälan till kursomgången har stängt."
    assert run.seats_taken == 0


# -- the deadline ------------------------------------------------------------------------------------


def test_an_unconfirmed_registration_lapses_after_the_deadline_with_its_household(
    run, municipality, outbox, clock
):
    start = clock.now
    _register(run, municipality, ("Eva Ek", "eva@exempel.se"), ("Erik Ek", "erik@exempel.se"))
    mail = _invitation(outbox, "eva@exempel.se")
    users = _count(User)
    clock.set(start + timedelta(hours=47, minutes=59))
    assert jobs.lapse_unconfirmed_signups(clock.now) == 0
    clock.set(start + timedelta(hours=48))
    assert jobs.lapse_unconfirmed_signups(clock.now) == 1
    assert _count(Enrollment) == 0 and _count(Household) == 0 and _count(AccountToken) == 0
    assert _count(User) == users - 2
    assert run.seats_taken == 0
    assert jobs.lapse_unconfirmed_signups(clock.now) == 0  # a second run finds nothing
    with pytest.raises(InvalidLinkError):
        find_link(invitation_token(mail), TokenPurpose.INVITATION, now=clock.now)
    # The address is free again: the real owner can register.
    assert _register(run, municipality, ("Eva Ek", "eva@exempel.se")).status == EnrollmentStatus.UNVERIFIED


def test_a_household_its_municipality_confirmed_is_kept_when_the_sign_up_lapses(
    run, municipality, worker, clock
):
    enrollment = _register(run, municipality, ("Eva Ek", "eva@exempel.se"))
    household = enrollment.household
    services.confirm_household(household, actor=worker, now=clock.now)
    clock.advance(hours=49)
    assert jobs.lapse_unconfirmed_signups(clock.now) == 1
    assert enrollment.status == EnrollmentStatus.CANCELLED
    assert db.session.get(Household, household.id) is not None


def test_a_confirmed_registration_does_not_lapse(run, municipality, outbox, clock):
    enrollment = _register(run, municipality, ("Eva Ek", "eva@exempel.se"))
    accept_invitation(_invitation(outbox, "eva@exempel.se"))
    clock.advance(hours=72)
    assert jobs.lapse_unconfirmed_signups(clock.now) == 0
    assert enrollment.status == EnrollmentStatus.PENDING and run.seats_taken == 1


# -- known addresses ------------------------------------------------------------------------------


def test_a_known_address_is_left_out_and_its_owner_told_at_most_once_a_day(
    run, municipality, make_family, outbox, clock
):
    _household, [owner] = make_family(1)
    enrollment = _register(run, municipality, ("Eva Ek", owner.email), ("Ny Person", "ny@exempel.se"))
    assert [adult.email for adult in enrollment.household.adults] == ["ny@exempel.se"]
    assert owner.household_id != enrollment.household_id
    for _ in range(3):
        assert _register(run, municipality, ("Eva Ek", owner.email)) is None
    [told] = outbox(recipient=owner.email)
    assert told.subject == "Någon försökte anmäla en familj med din e-postadress"
    assert "Om det inte var du behöver du inte göra något." in told.body_text
    clock.advance(days=1)
    _register(run, municipality, ("Eva Ek", owner.email))
    assert len(outbox(recipient=owner.email)) == 2


# -- mails to municipal workers ---------------------------------------------------------------------


def test_the_approval_request_quotes_typed_text_inert_and_never_in_the_subject(
    run, municipality, worker, outbox
):
    _register(
        run,
        municipality,
        ("Eva www.ond.example", "eva@exempel.se"),
        name="Logga in på http://ond.example/bankid nu",
    )
    accept_invitation(_invitation(outbox, "eva@exempel.se"))
    [mail] = outbox(recipient=worker.email)
    assert mail.subject == f"Anmälan att godkänna till {run.title}"
    assert "Familjen skrev:\n> Hushåll: Logga in på http[:]/ /ond[.]example/bankid nu" in mail.body_text
    assert "> Vuxna: Eva www[.]ond[.]example" in mail.body_text
    for body in (mail.body_text, mail.body_html):
        assert "http://ond" not in body and "ond.example" not in body
    assert "<blockquote" in mail.body_html and "Familjen skrev:" in mail.body_html


# -- the form ----------------------------------------------------------------------------------------


def _form(municipality, email="eva@exempel.se", **extra):
    return {
        "household_name": "Familjen Ek",
        "adult1_name": "Eva Ek",
        "adult1_email": email,
        "municipality_id": str(municipality.id),
        **extra,
    }


def test_a_filled_honeypot_creates_nothing_and_answers_like_success(client, run, municipality):
    db.session.commit()
    real = client.post(f"/kurser/{run.id}/ny-familj", data=_form(municipality))
    households, users = _count(Household), _count(User)
    from coursehub.notifications.models import OutboxMessage

    mails = _count(OutboxMessage)
    script = client.post(
        f"/kurser/{run.id}/ny-familj",
        data=_form(municipality, email="bot@exempel.se", homepage="http://spam.example"),
    )
    assert script.status_code == real.status_code == 302
    assert script.headers["Location"] == real.headers["Location"]
    assert (_count(Household), _count(User), _count(OutboxMessage)) == (households, users, mails)


def test_the_honeypot_is_hidden_out_of_the_tab_order_and_tells_people_to_leave_it(client, run):
    db.session.commit()
    html = client.get(f"/kurser/{run.id}/ny-familj").get_data(as_text=True)
    start = html.index('<div class="visually-hidden">')
    hidden = html[start : html.index("</div>", html.index('name="homepage"', start))]
    assert "Lämna det här fältet tomt" in hidden
    assert 'autocomplete="off"' in hidden and 'tabindex="-1"' in hidden


# -- staff see floods --------------------------------------------------------------------------------


def test_staff_are_warned_of_a_municipality_with_many_unconfirmed_registrations(
    client, login_as, run, municipality, staff, clock
):
    quiet = MunicipalityFactory(name="Vaggeryd")
    run.is_open_to_all = True
    for number in range(6):
        _register(run, municipality, (f"Person {number}", f"p{number}@exempel.se"))
    for number in range(5):
        _register(run, quiet, (f"Annan {number}", f"a{number}@exempel.se"))
    db.session.commit()
    login_as(client, staff)
    page = client.get("/kurser/deltagare-per-kommun").get_data(as_text=True)
    assert "Ovanligt många obekräftade anmälningar" in page
    assert "Jönköping: 6 obekräftade" in page and "Vaggeryd" not in page
    steering = UserFactory(roles=[Role.STEERING])
    db.session.commit()
    login_as(client, steering)
    assert "Ovanligt många" not in client.get("/kurser/deltagare-per-kommun").get_data(as_text=True)
    # A day later the registrations no longer count as a sudden flood.
    clock.advance(hours=24)
    login_as(client, staff)
    assert "Ovanligt många" not in client.get("/kurser/deltagare-per-kommun").get_data(as_text=True)
