"""The rules of sign-up, approval, waiting list, offers and cancellation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub import clock
from coursehub.accounts.models import AccountToken, AuditEntry, Household, Role, User
from coursehub.courses.models import RunStatus
from coursehub.enrollment import services
from coursehub.enrollment.errors import (
    AlreadySignedUpError,
    CapacityError,
    CourseFullError,
    EnrollmentError,
    OfferExpiredError,
    SignupClosedError,
)
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.errors import NotFoundError
from coursehub.extensions import db
from tests.enrollment.registration import accept_invitation
from tests.factories import CourseRunFactory, CourseTypeFactory, MunicipalityFactory, UserFactory


def _sign_up(run, household, members, actor=None, **needs):
    return services.sign_up(run, household, members, actor=actor or members[0], now=clock.now(), **needs)


def _count(model=Enrollment):
    return db.session.scalar(select(func.count()).select_from(model))


# -- sign-up by a family -------------------------------------------------------------------------


def test_family_signs_up_both_adults_and_gets_a_confirmation_with_invite(run, make_family, outbox):
    household, adults = make_family(2)
    enrollment = _sign_up(run, household, adults, diet="Vegetarisk", interpreter="arabiska")
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert {p.user_id for p in enrollment.persons} == {a.id for a in adults}
    assert (enrollment.needs_diet, enrollment.needs_interpreter) == ("Vegetarisk", "arabiska")
    assert services.seats_taken(run.id) == 2
    mails = outbox(template_prefix="enrollment-confirmed")
    assert sorted(m.recipient for m in mails) == sorted(a.email for a in adults)
    assert "bekräftad" in mails[0].body_text
    invites = outbox(template_prefix="enrollment-invite")
    assert len(invites) == 2 * len(run.sessions)  # one per session and adult: Outlook reads one
    assert all(m.calendar_method == "REQUEST" and b"METHOD:REQUEST" in m.calendar_ics for m in invites)


def test_basic_training_sign_up_waits_for_the_municipality_who_is_told(
    basic_run, make_family, worker, outbox
):
    household, adults = make_family(2)
    other_worker = UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory())
    enrollment = _sign_up(basic_run, household, adults)
    assert enrollment.status == EnrollmentStatus.PENDING
    assert enrollment.needs_approval
    assert services.seats_taken(basic_run.id) == 2  # a pending sign-up holds its seats
    requests = outbox(template_prefix="enrollment-approval-request")
    assert [m.recipient for m in requests] == [worker.email]
    assert other_worker.email not in {m.recipient for m in outbox()}
    assert not outbox(template_prefix="enrollment-confirmed")


def test_approval_confirms_and_sends_the_invite(basic_run, make_family, worker, outbox):
    household, adults = make_family(2)
    enrollment = _sign_up(basic_run, household, adults)
    services.approve_enrollment(enrollment, actor=worker, now=clock.now())
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert enrollment.decided_by_id == worker.id
    assert len(outbox(template_prefix="enrollment-confirmed")) == 2


def test_decline_frees_the_seats_and_tells_the_family(basic_run, make_family, worker, outbox):
    household, adults = make_family(1)
    enrollment = _sign_up(basic_run, household, adults)
    services.decline_enrollment(enrollment, actor=worker, now=clock.now(), reason="Ej aktuellt")
    assert enrollment.status == EnrollmentStatus.DECLINED
    assert services.seats_taken(basic_run.id) == 0
    [mail] = outbox(template_prefix="enrollment-declined")
    assert "Ej aktuellt" in mail.body_text


def test_worker_of_another_municipality_cannot_approve(basic_run, make_family):
    household, adults = make_family(1)
    enrollment = _sign_up(basic_run, household, adults)
    stranger = UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory())
    with pytest.raises(NotFoundError):
        services.approve_enrollment(enrollment, actor=stranger, now=clock.now())
    assert enrollment.status == EnrollmentStatus.PENDING


def test_municipal_sign_up_needs_no_approval(basic_run, make_family, worker):
    household, adults = make_family(2)
    enrollment = _sign_up(basic_run, household, adults, actor=worker)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert not enrollment.needs_approval


def test_municipal_worker_of_another_municipality_gets_not_found(run, make_family):
    household, adults = make_family(1)
    stranger = UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory())
    with pytest.raises(NotFoundError):
        _sign_up(run, household, adults, actor=stranger)
    assert _count() == 0


# -- bad input: a clear Swedish message, nothing changed ------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": RunStatus.DRAFT}, "inte publicerad"),
        ({"status": RunStatus.CANCELLED}, "inställd"),
        ({"status": RunStatus.COMPLETED}, "redan börjat eller är avslutad"),
        ({"signup_closes_at": "past"}, "har stängt"),
        ({"signup_opens_at": "future"}, "har inte öppnat"),
    ],
)
def test_a_run_that_takes_no_sign_ups_is_refused(run, make_family, outbox, change, message):
    household, adults = make_family(1)
    for key, value in change.items():
        if value == "past":
            run.signup_opens_at = clock.now() - timedelta(days=10)
            value = clock.now() - timedelta(days=1)
        elif value == "future":
            run.signup_closes_at = clock.now() + timedelta(days=20)
            value = clock.now() + timedelta(days=2)
        setattr(run, key, value)
    db.session.flush()
    with pytest.raises(SignupClosedError, match=message):
        _sign_up(run, household, adults)
    assert _count() == 0 and outbox() == []


def test_a_run_that_has_started_is_refused(run, make_family, clock):
    household, adults = make_family(1)
    clock.set(run.starts_at + timedelta(minutes=5))
    run.signup_closes_at = clock.now + timedelta(days=1)
    with pytest.raises(SignupClosedError, match="redan börjat"):
        _sign_up(run, household, adults)
    assert _count() == 0


def test_signing_up_twice_is_refused(run, make_family):
    household, adults = make_family(2)
    _sign_up(run, household, adults[:1])
    with pytest.raises(AlreadySignedUpError, match="redan anmält"):
        _sign_up(run, household, adults[1:])
    assert services.seats_taken(run.id) == 1


def test_an_adult_of_another_household_is_refused(run, make_family):
    household, adults = make_family(1)
    _other, strangers = make_family(1)
    with pytest.raises(EnrollmentError, match="hör inte till hushållet") as caught:
        _sign_up(run, household, [adults[0], strangers[0]])
    assert caught.value.field == "persons"
    assert _count() == 0


def test_no_adult_chosen_is_refused(run, make_family):
    household, adults = make_family(1)
    with pytest.raises(EnrollmentError, match="minst en vuxen"):
        services.sign_up(run, household, [], actor=adults[0], now=clock.now())


def test_a_family_outside_the_audience_is_refused(make_family):
    outside = MunicipalityFactory(name="Vetlanda", is_member=False)
    household, adults = make_family(1, municipality=outside)
    run = CourseRunFactory()
    with pytest.raises(SignupClosedError, match="Vetlanda"):
        _sign_up(run, household, adults)


def test_a_run_for_listed_municipalities_only(make_family, municipality):
    household, adults = make_family(1)
    run = CourseRunFactory(is_open_to_all=False)
    with pytest.raises(SignupClosedError):
        _sign_up(run, household, adults)
    run.municipalities.append(municipality)
    db.session.flush()
    assert _sign_up(run, household, adults).status == EnrollmentStatus.CONFIRMED


def test_a_family_can_sign_up_again_after_cancelling(run, make_family):
    household, adults = make_family(2)
    first = _sign_up(run, household, adults)
    services.cancel_enrollment(first, actor=adults[0], now=clock.now())
    again = _sign_up(run, household, adults[:1])
    assert again.id == first.id and again.status == EnrollmentStatus.CONFIRMED
    assert services.seats_taken(run.id) == 1


# -- capacity and the waiting list ----------------------------------------------------------------


def test_over_capacity_goes_to_the_waiting_list_in_order(run, make_family, outbox):
    first, a1 = make_family(2)
    second, a2 = make_family(2)
    third, a3 = make_family(2)
    fourth, a4 = make_family(1)
    assert _sign_up(run, first, a1).status == EnrollmentStatus.CONFIRMED
    assert _sign_up(run, second, a2).status == EnrollmentStatus.CONFIRMED
    late = _sign_up(run, third, a3)
    later = _sign_up(run, fourth, a4)
    assert (late.status, late.waitlist_position) == (EnrollmentStatus.WAITLISTED, 1)
    assert (later.status, later.waitlist_position) == (EnrollmentStatus.WAITLISTED, 2)
    assert services.seats_taken(run.id) == 4
    assert "reservlistan" in outbox(template_prefix="enrollment-waitlisted")[0].body_text


def test_a_freed_seat_goes_to_the_first_household_that_fits(run, make_family, outbox, app):
    big, big_adults = make_family(3)
    pair, pair_adults = make_family(1)
    _sign_up(run, big, big_adults)  # 3 of 4 seats
    waiting_pair, wp = make_family(2)
    waiting_one, wo = make_family(1)
    _sign_up(run, pair, pair_adults)  # 4 of 4
    two = _sign_up(run, waiting_pair, wp)
    one = _sign_up(run, waiting_one, wo)
    assert two.waitlist_position == 1 and one.waitlist_position == 2
    services.cancel_enrollment(
        db.session.get(Enrollment, _enrollment_of(pair).id), actor=pair_adults[0], now=clock.now()
    )
    # One seat is free: the pair does not fit and is not split; the single adult gets the offer.
    assert two.status == EnrollmentStatus.WAITLISTED
    assert one.status == EnrollmentStatus.OFFERED
    hours = app.config["COURSEHUB_OFFER_HOURS"]
    assert one.offer_expires_at == clock.now() + timedelta(hours=hours)
    assert [m.recipient for m in outbox(template_prefix="enrollment-offer")] == [wo[0].email]


def _enrollment_of(household):
    return db.session.scalars(select(Enrollment).where(Enrollment.household_id == household.id)).one()


def test_accepting_an_offer_confirms(run, make_family, outbox):
    full, full_adults = make_family(4)
    first = _sign_up(run, full, full_adults)
    waiting, wa = make_family(2)
    offered = _sign_up(run, waiting, wa)
    services.cancel_enrollment(first, actor=full_adults[0], now=clock.now())
    assert offered.status == EnrollmentStatus.OFFERED
    services.accept_offer(offered, actor=wa[1], now=clock.now())
    assert offered.status == EnrollmentStatus.CONFIRMED
    assert offered.offer_expires_at is None
    assert len(outbox(template_prefix="enrollment-confirmed:" + str(offered.id))) == 2


def test_an_offer_accepted_after_its_deadline_is_refused(run, make_family, clock):
    full, full_adults = make_family(4)
    first = _sign_up(run, full, full_adults)
    waiting, wa = make_family(1)
    offered = _sign_up(run, waiting, wa)
    services.cancel_enrollment(first, actor=full_adults[0], now=clock.now)
    clock.advance(hours=49)
    with pytest.raises(OfferExpiredError, match="gått ut"):
        services.accept_offer(offered, actor=wa[0], now=clock.now)
    assert offered.status == EnrollmentStatus.OFFERED


def test_a_lapsed_offer_passes_on(run, make_family, clock, outbox):
    full, full_adults = make_family(4)
    first = _sign_up(run, full, full_adults)
    a, a_adults = make_family(1)
    b, b_adults = make_family(1)
    offered_a = _sign_up(run, a, a_adults)
    waiting_b = _sign_up(run, b, b_adults)
    services.cancel_enrollment(first, actor=full_adults[0], now=clock.now)
    assert offered_a.status == waiting_b.status == EnrollmentStatus.OFFERED  # 4 seats free
    # Fill up again and let a lapse.
    c, c_adults = make_family(2)
    _sign_up(run, c, c_adults)
    d, d_adults = make_family(1)
    waiting_d = _sign_up(run, d, d_adults)
    services.accept_offer(waiting_b, actor=b_adults[0], now=clock.now)
    clock.advance(hours=49)
    assert services.expire_offers(now=clock.now) == 1
    assert offered_a.status == EnrollmentStatus.CANCELLED
    assert waiting_d.status == EnrollmentStatus.OFFERED
    assert outbox(template_prefix="enrollment-offer_lapsed")[0].recipient == a_adults[0].email
    assert services.expire_offers(now=clock.now) == 0  # a second run changes nothing


def test_staff_reorder_the_list_with_a_reason(run, make_family, staff):
    full, full_adults = make_family(4)
    _sign_up(run, full, full_adults)
    waiting = [_sign_up(run, *make_family(1)) for _ in range(3)]
    services.reorder_waitlist(waiting[2], 1, actor=staff, now=clock.now(), reason="Förtur enligt kommunen")
    assert [w.waitlist_position for w in waiting] == [2, 3, 1]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "enrollment.waitlist_reorder")
    ).one()
    assert entry.actor_id == staff.id and "Förtur" in entry.detail


def test_reorder_needs_a_reason_and_a_valid_place(run, make_family, staff):
    full, full_adults = make_family(4)
    _sign_up(run, full, full_adults)
    waiting = [_sign_up(run, *make_family(1)) for _ in range(2)]
    with pytest.raises(EnrollmentError, match="Skriv varför"):
        services.reorder_waitlist(waiting[1], 1, actor=staff, now=clock.now(), reason=" ")
    with pytest.raises(EnrollmentError, match="mellan 1 och 2"):
        services.reorder_waitlist(waiting[1], 5, actor=staff, now=clock.now(), reason="x")
    with pytest.raises(NotFoundError):
        services.reorder_waitlist(waiting[1], 1, actor=full_adults[0], now=clock.now(), reason="x")
    assert [w.waitlist_position for w in waiting] == [1, 2]


def test_capacity_below_the_seats_taken_is_refused(run, make_family):
    household, adults = make_family(3)
    _sign_up(run, household, adults)
    with pytest.raises(CapacityError, match=r"lägre än antalet anmälda.*\(3\)") as caught:
        services.check_capacity_change(run, 2)
    assert caught.value.field == "capacity"
    services.check_capacity_change(run, 3)  # exactly the seats taken is fine


def test_raised_capacity_offers_seats_to_the_waiting_list(run, make_family):
    full, full_adults = make_family(4)
    _sign_up(run, full, full_adults)
    waiting = _sign_up(run, *make_family(2))
    run.capacity = 6
    services.fill_free_seats(run, now=clock.now())
    assert waiting.status == EnrollmentStatus.OFFERED


# -- cancellation ---------------------------------------------------------------------------------


def test_family_cancels_and_the_invite_is_withdrawn(run, make_family, outbox):
    household, adults = make_family(2)
    enrollment = _sign_up(run, household, adults)
    services.cancel_enrollment(enrollment, actor=adults[1], now=clock.now(), reason="Sjuk")
    assert enrollment.status == EnrollmentStatus.CANCELLED
    assert enrollment.cancelled_by_id == adults[1].id
    mails = outbox(template_prefix="enrollment_cancelled")
    notices = [m for m in mails if m.calendar_ics is None]
    cancels = [m for m in mails if m.calendar_ics is not None]
    assert len(notices) == 2 and len(cancels) == 2 * len(run.sessions)
    assert all(m.calendar_method == "CANCEL" and b"METHOD:CANCEL" in m.calendar_ics for m in cancels)


def test_municipality_and_staff_may_cancel_but_others_may_not(run, make_family, worker, staff):
    household, adults = make_family(1)
    _other, strangers = make_family(1)
    enrollment = _sign_up(run, household, adults)
    with pytest.raises(NotFoundError):
        services.cancel_enrollment(enrollment, actor=strangers[0], now=clock.now())
    services.cancel_enrollment(enrollment, actor=worker, now=clock.now())
    assert enrollment.status == EnrollmentStatus.CANCELLED
    second = _sign_up(run, household, adults)
    services.cancel_enrollment(second, actor=staff, now=clock.now())
    assert second.status == EnrollmentStatus.CANCELLED
    with pytest.raises(EnrollmentError, match="kan inte avbokas"):
        services.cancel_enrollment(second, actor=staff, now=clock.now())


def test_a_cancelled_run_cancels_every_sign_up_and_tells_everyone(run, make_family, outbox, staff):
    from coursehub.courses import services as course_services

    confirmed, c_adults = make_family(4)
    _sign_up(run, confirmed, c_adults)
    waiting, w_adults = make_family(1)
    _sign_up(run, waiting, w_adults)
    course_services.cancel_run(run, actor=staff, now=clock.now())
    statuses = set(db.session.scalars(select(Enrollment.status)))
    assert statuses == {EnrollmentStatus.CANCELLED}
    mails = outbox(template_prefix="enrollment_run_cancelled")
    notices = [m for m in mails if m.calendar_ics is None]
    assert sorted(m.recipient for m in notices) == sorted(a.email for a in c_adults + w_adults)
    cancels = [m for m in mails if m.calendar_method == "CANCEL"]
    assert sorted({m.recipient for m in cancels}) == sorted(a.email for a in c_adults)


# -- households and families without an account --------------------------------------------------


def test_a_new_family_registers_from_the_course_page(run, municipality, worker, outbox):
    enrollment = services.register_family(
        run,
        household_name="Familjen Åberg",
        municipality=municipality,
        adults=[
            services.NewAdult("Åsa Åberg", "Asa@Exempel.se"),
            services.NewAdult("Örjan Åberg", "orjan@exempel.se"),
        ],
        now=clock.now(),
    )
    household = enrollment.household
    assert not household.is_confirmed
    # Nothing is held and nobody at the municipality is told until an address is confirmed.
    assert enrollment.status == EnrollmentStatus.UNVERIFIED and services.seats_taken(run.id) == 0
    assert outbox(template_prefix="enrollment-approval-request") == []
    users = list(db.session.scalars(select(User).where(User.household_id == household.id)))
    assert sorted(u.email for u in users) == ["asa@exempel.se", "orjan@exempel.se"]
    assert all(u.password_hash is None and u.has_role(Role.FAMILY) for u in users)
    assert {u.username for u in users} == {"asa.aberg", "orjan.aberg"}
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 2
    invitations = outbox(template_prefix="enrollment-invitation")
    assert len(invitations) == 2 and "/inbjudan/" in invitations[0].body_text
    accept_invitation(invitations[0])
    assert enrollment.status == EnrollmentStatus.PENDING and enrollment.needs_approval
    assert services.seats_taken(run.id) == 2
    assert [m.recipient for m in outbox(template_prefix="enrollment-approval-request")] == [worker.email]
    # The municipal worker's approval confirms the household and the sign-up together.
    services.approve_enrollment(enrollment, actor=worker, now=clock.now())
    assert household.is_confirmed and household.confirmed_by_id == worker.id
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_a_new_family_with_a_known_email_creates_nothing_and_the_owner_is_told(
    run, municipality, make_family, outbox
):
    _household, adults = make_family(1)
    enrollment = services.register_family(
        run,
        household_name="",
        municipality=municipality,
        adults=[services.NewAdult("Ny Person", adults[0].email.upper())],
        now=clock.now(),
    )
    assert enrollment is None
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1
    [mail] = outbox()
    assert mail.recipient == adults[0].email
    assert "Någon försökte nyss anmäla en familj" in mail.body_text
    assert f"/logga-in?next=/kurser/{run.id}/anmalan" in mail.body_text


def test_a_new_family_s_invitations_are_audited(run, municipality, outbox):
    enrollment = services.register_family(
        run,
        household_name="Familjen Ek",
        municipality=municipality,
        adults=[
            services.NewAdult("Eva Ek", "eva@exempel.se"),
            services.NewAdult("Erik Ek", "erik@exempel.se"),
        ],
        now=clock.now(),
    )
    adults = enrollment.household.adults
    entries = list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.invite").order_by(AuditEntry.id)
        )
    )
    # Nobody is logged in: the family invited itself.
    assert [(e.actor_id, e.object_id, e.detail) for e in entries] == [
        (None, adult.id, "family") for adult in adults
    ]
    [mail, _] = outbox(template_prefix="enrollment-invitation")
    assert f"Ni har anmält er till {run.title}." in mail.body_text
    assert "Anmälan gäller först när lösenordet är valt. Gör det inom 48 timmar" in mail.body_text


@pytest.mark.parametrize(
    "email",
    [
        "eva@@exempel.se",
        "eva ek@exempel.se",
        "åsa@exempel.se",
        "eva@exempel.se\nBcc: alla@exempel.se",
        "e" * 250 + "@ex.se",
    ],
)
def test_a_new_family_with_a_refused_address_saves_nothing(run, municipality, outbox, email):
    users = db.session.scalar(select(func.count()).select_from(User))
    with pytest.raises(EnrollmentError) as caught:
        services.register_family(
            run,
            household_name="",
            municipality=municipality,
            adults=[services.NewAdult("Eva Ek", email)],
            now=clock.now(),
        )
    assert caught.value.field == "adults" and caught.value.message.startswith("Eva Ek: ")
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert outbox() == []


def test_a_family_of_an_unconfirmed_household_waits_for_confirmation(run, make_family):
    household, adults = make_family(1, confirmed=False)
    enrollment = _sign_up(run, household, adults)
    assert enrollment.status == EnrollmentStatus.PENDING


def test_a_worker_creates_a_household_that_is_invited(worker, municipality, outbox):
    household = services.create_household(
        name="Familjen Lind",
        municipality=municipality,
        adults=[services.NewAdult("Lena Lind", "lena@exempel.se"), services.NewAdult("", "")],
        actor=worker,
        now=clock.now(),
    )
    assert household.is_confirmed and [a.full_name for a in household.adults] == ["Lena Lind"]
    assert [m.recipient for m in outbox(template_prefix="enrollment-invitation")] == ["lena@exempel.se"]
    with pytest.raises(NotFoundError):
        services.create_household(
            name="X",
            municipality=MunicipalityFactory(),
            adults=[services.NewAdult("A B", "ab@exempel.se")],
            actor=worker,
            now=clock.now(),
        )


# -- make-up sign-ups -----------------------------------------------------------------------------


def test_make_up_sign_up_for_one_session_of_another_run(make_family):
    course_type = CourseTypeFactory(allows_makeup=True)
    own_run = CourseRunFactory(course_type=course_type)
    other_run = CourseRunFactory(course_type=course_type, capacity=3)
    household, adults = make_family(2)
    _sign_up(own_run, household, adults)
    session = other_run.sessions[1]
    makeup = services.sign_up_for_makeup(session, household, adults[:1], actor=adults[0], now=clock.now())
    assert makeup.scope == f"session:{session.id}" and makeup.status == EnrollmentStatus.CONFIRMED
    assert services.seats_taken(other_run.id) == 1
    with pytest.raises(AlreadySignedUpError):
        services.sign_up_for_makeup(session, household, adults[:1], actor=adults[0], now=clock.now())
    full, full_adults = make_family(3)
    _sign_up(own_run, full, full_adults)
    with pytest.raises(CourseFullError, match="platser"):
        services.sign_up_for_makeup(session, full, full_adults, actor=full_adults[0], now=clock.now())


def test_make_up_needs_a_run_of_the_same_course_type(make_family):
    other_run = CourseRunFactory()
    household, adults = make_family(1)
    with pytest.raises(EnrollmentError, match="går inte någon annan omgång"):
        services.sign_up_for_makeup(
            other_run.sessions[0], household, adults, actor=adults[0], now=clock.now()
        )


def test_make_up_is_refused_outside_the_runs_audience(make_family):
    course_type = CourseTypeFactory(allows_makeup=True)
    own_run = CourseRunFactory(course_type=course_type)
    elsewhere = CourseRunFactory(course_type=course_type, is_open_to_all=False)
    elsewhere.municipalities.append(MunicipalityFactory(name="Vetlanda"))
    household, adults = make_family(1)
    _sign_up(own_run, household, adults)
    with pytest.raises(SignupClosedError, match="inte öppen för familjer"):
        services.sign_up_for_makeup(
            elsewhere.sessions[1], household, adults, actor=adults[0], now=clock.now()
        )
    assert _count() == 1 and services.seats_taken(elsewhere.id) == 0


def test_make_up_of_a_type_needing_approval_waits_for_the_municipality(make_family, worker, outbox):
    course_type = CourseTypeFactory(allows_makeup=True, requires_municipal_approval=True)
    own_run = CourseRunFactory(course_type=course_type)
    other_run = CourseRunFactory(course_type=course_type)
    household, adults = make_family(2)
    _sign_up(own_run, household, adults, actor=worker)  # signed up by the municipality: confirmed
    session = other_run.sessions[1]
    makeup = services.sign_up_for_makeup(session, household, adults[:1], actor=adults[0], now=clock.now())
    assert makeup.status == EnrollmentStatus.PENDING and makeup.needs_approval
    assert [m.recipient for m in outbox(template_prefix="enrollment-approval")] == [worker.email]
    by_worker = services.sign_up_for_makeup(
        other_run.sessions[2], household, adults[1:], actor=worker, now=clock.now()
    )
    assert by_worker.status == EnrollmentStatus.CONFIRMED and not by_worker.needs_approval


def test_a_make_up_holds_a_seat_for_its_one_session_only(make_family):
    course_type = CourseTypeFactory(allows_makeup=True)
    own_run = CourseRunFactory(course_type=course_type)
    other_run = CourseRunFactory(course_type=course_type, capacity=2)
    first, first_adults = make_family(1)
    second, second_adults = make_family(2)
    for household, adults in ((first, first_adults), (second, second_adults)):
        _sign_up(own_run, household, adults)
    services.sign_up_for_makeup(
        other_run.sessions[0], first, first_adults, actor=first_adults[0], now=clock.now()
    )
    # The other session still has both its seats.
    services.sign_up_for_makeup(
        other_run.sessions[1], second, second_adults, actor=second_adults[0], now=clock.now()
    )
    # A whole-run sign-up needs a seat at every session: the second session has none left.
    assert services.seats_taken(other_run.id) == 2
    db.session.refresh(other_run)
    assert other_run.seats_left == 0
    late, late_adults = make_family(1)
    _sign_up(own_run, late, late_adults)
    with pytest.raises(CourseFullError, match="platser"):
        services.sign_up_for_makeup(
            other_run.sessions[1], late, late_adults, actor=late_adults[0], now=clock.now()
        )
    services.sign_up_for_makeup(
        other_run.sessions[0], late, late_adults, actor=late_adults[0], now=clock.now()
    )


# -- calendar SEQUENCE across cancellations and new sign-ups --------------------------------------


def _calendar(message):
    """Return (METHOD, {UID: SEQUENCE}, {UID: SUMMARY}) of a mail's invite, read by two parsers."""
    import icalendar
    import vobject

    cal = icalendar.Calendar.from_ical(message.calendar_ics)
    seqs = {str(e["UID"]): int(e["SEQUENCE"]) for e in cal.walk("VEVENT")}
    summaries = {str(e["UID"]): str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    other = vobject.readOne(message.calendar_ics.decode("utf-8"))
    assert other.method.value == str(cal["METHOD"]) == message.calendar_method
    assert {e.uid.value: int(e.sequence.value) for e in other.vevent_list} == seqs
    assert {e.uid.value: e.summary.value for e in other.vevent_list} == summaries
    return message.calendar_method, seqs, summaries


def _event_of(message):
    """Return what one invite mail is about: the per-session mails of one event share it."""
    key = message.dedupe_key
    return key.rsplit(":", 1)[0] if key.startswith("enrollment-invite:") or ":withdrawn:" in key else key


def _invites(outbox, user):
    """Return every invite `user` got, in order, a sign-up's or cancel's per-session mails as one."""
    invites: list[tuple[str, dict, dict]] = []
    last = None
    for message in outbox(recipient=user.email):
        if not message.calendar_ics:
            continue
        method, seqs, summaries = _calendar(message)
        assert len(seqs) == 1  # one UID per message
        if last == _event_of(message):
            invites[-1][1].update(seqs)
            invites[-1][2].update(summaries)
        else:
            invites.append((method, seqs, summaries))
        last = _event_of(message)
    return invites


def _change_session(session, staff, **overrides):
    """Let staff save a session's form with `overrides` changed."""
    from coursehub.courses import services as course_services

    start, end = clock.to_local(session.starts_at), clock.to_local(session.ends_at)
    values = {
        "day": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        "title": session.title,
        "theme": session.theme,
        "venue": session.venue or session.run.venue,
        "online_url": session.online_url or session.run.online_url,
    }
    values.update(overrides)
    return course_services.update_session(
        session, actor=staff, now=clock.now(), details=course_services.SessionDetails(**values)
    )


def _assert_calendar_can_follow(invites):
    """Each message holds SEQUENCE at least as high as before per UID, strictly after a CANCEL."""
    last: dict[str, tuple[str, int]] = {}
    for method, seqs, _summaries in invites:
        for uid, seq in seqs.items():
            if uid in last:
                before_method, before = last[uid]
                if before_method == "CANCEL" or method == "CANCEL":
                    assert seq > before, (uid, before_method, before, method, seq)
                else:
                    assert seq >= before, (uid, before_method, before, method, seq)
            last[uid] = (method, seq)


def test_a_new_sign_up_after_a_cancel_has_a_higher_sequence_and_is_sent(run, make_family, outbox):
    household, adults = make_family(2)
    first = _sign_up(run, household, adults)
    services.cancel_enrollment(first, actor=adults[0], now=clock.now())
    # Same moment (a fast family, or a frozen clock): the new invite must not be taken for the first.
    _sign_up(run, household, adults)
    services.cancel_enrollment(first, actor=adults[1], now=clock.now())
    _sign_up(run, household, adults[:1])
    for adult in adults:
        invites = _invites(outbox, adult)
        expected = ["REQUEST", "CANCEL", "REQUEST", "CANCEL"] + (["REQUEST"] if adult is adults[0] else [])
        assert [method for method, _s, _t in invites] == expected
        _assert_calendar_can_follow(invites)
        uids = {f"session-{s.id}@coursehub" for s in run.sessions}
        assert all(set(seqs) == uids for _m, seqs, _t in invites)


def test_a_cancel_after_a_session_moved_is_higher_than_the_move(run, make_family, outbox, staff):
    from coursehub.courses import services as course_services

    household, adults = make_family(1)
    first = _sign_up(run, household, adults)
    services.cancel_enrollment(first, actor=adults[0], now=clock.now())
    _sign_up(run, household, adults)
    session = run.sessions[0]
    _change_session(
        session, staff, start_time=clock.to_local(session.starts_at).time().replace(hour=17, tzinfo=None)
    )
    course_services.cancel_run(run, actor=staff, now=clock.now())
    invites = _invites(outbox, adults[0])
    assert [m for m, _s, _t in invites] == ["REQUEST", "CANCEL", "REQUEST", "REQUEST", "CANCEL"]
    _assert_calendar_can_follow(invites)


def test_a_make_up_after_cancelling_the_whole_run_has_a_higher_sequence(make_family, outbox):
    course_type = CourseTypeFactory(allows_makeup=True)
    own_run = CourseRunFactory(course_type=course_type)
    other_run = CourseRunFactory(course_type=course_type, capacity=3)
    household, adults = make_family(1)
    _sign_up(own_run, household, adults)
    whole = _sign_up(other_run, household, adults)
    services.cancel_enrollment(whole, actor=adults[0], now=clock.now())
    services.sign_up_for_makeup(other_run.sessions[1], household, adults, actor=adults[0], now=clock.now())
    invites = _invites(outbox, adults[0])
    assert [m for m, _s, _t in invites] == ["REQUEST", "REQUEST", "CANCEL", "REQUEST"]
    _assert_calendar_can_follow(invites)
    assert list(invites[-1][1]) == [f"session-{other_run.sessions[1].id}@coursehub"]


def test_a_new_session_title_reaches_the_participants_calendars(run, make_family, outbox, staff):
    session = run.sessions[2]
    session.venue = run.venue  # as staff's form saves it: the title is all that changes below
    household, adults = make_family(2)
    _sign_up(run, household, adults)
    _change_session(session, staff, title="Med gästföreläsare")
    uid = f"session-{session.id}@coursehub"
    for adult in adults:
        invites = _invites(outbox, adult)
        assert [m for m, _s, _t in invites] == ["REQUEST", "REQUEST"]
        method, seqs, summaries = invites[-1]
        assert list(seqs) == [uid] and seqs[uid] > invites[0][1][uid]
        assert summaries[uid].endswith("Med gästföreläsare")
    changed = outbox(template_prefix="session-changed")
    assert len(changed) == 2 and "Med gästföreläsare" in changed[0].subject


def test_a_removed_session_then_a_cancelled_run_keep_each_cancel_higher(run, make_family, outbox, staff):
    from coursehub.courses import services as course_services

    household, adults = make_family(1)
    first = _sign_up(run, household, adults)
    services.cancel_enrollment(first, actor=adults[0], now=clock.now())
    _sign_up(run, household, adults)
    removed = run.sessions[1]
    course_services.cancel_session(removed, reason="Lokalen är stängd", actor=staff, now=clock.now())
    course_services.cancel_run(run, actor=staff, now=clock.now())
    invites = _invites(outbox, adults[0])
    assert [m for m, _s, _t in invites] == ["REQUEST", "CANCEL", "REQUEST", "CANCEL", "CANCEL"]
    assert list(invites[3][1]) == [f"session-{removed.id}@coursehub"]
    assert len(invites[4][1]) == len(run.sessions)
    _assert_calendar_can_follow(invites)


def test_the_families_mail_of_a_cancelled_session_names_the_date_the_reason_and_the_make_up(
    run, make_family, outbox, staff
):
    from coursehub.courses import services as course_services

    household, adults = make_family(1)
    _sign_up(run, household, adults)
    cancelled = run.sessions[1]
    course_services.cancel_session(cancelled, reason="Kursledaren är sjuk", actor=staff, now=clock.now())
    [mail] = outbox(template_prefix="session-changed")
    from babel.dates import format_date

    when = format_date(clock.to_local(cancelled.starts_at), "d MMMM y", locale="sv")  # "13 oktober 2026"
    for body in (mail.body_text, mail.body_html):
        assert when in body
        assert "Kursledaren är sjuk" in body
        assert "ta igen temat" in body.lower() and "/mina-framsteg" in body
    assert "Inställd träff" in mail.subject
