"""Races for seats through the real HTTP stack, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.courses.models import CourseRun
from coursehub.enrollment import services
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.extensions import db
from tests.factories import (
    CourseRunFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.support.race import post_at_once, session_cookie

RACERS = 55  # households of two adults each
CAPACITY = 30
TAKEN_BEFORE = 20  # so the race is for the last 10 seats: five households


def _family(municipality):
    household = HouseholdFactory(municipality=municipality)
    adults = [UserFactory(household=household, roles=[Role.FAMILY]) for _ in range(2)]
    return household, adults


def test_last_seats_are_never_oversold(app):
    run = CourseRunFactory(capacity=CAPACITY)
    municipality = MunicipalityFactory()
    for _ in range(TAKEN_BEFORE // 2):
        household, adults = _family(municipality)
        services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    racers = [_family(municipality) for _ in range(RACERS)]
    path = f"/kurser/{run.id}/anmalan"
    requests = [
        (path, session_cookie(app, adults[0]), urlencode([("persons", str(a.id)) for a in adults]))
        for _household, adults in racers
    ]
    db.session.commit()

    replies = post_at_once(app, requests)

    # No 500 and no refusal: every household is either given seats or put on the waiting list.
    assert all(reply.status == 302 for reply in replies), sorted(r.status for r in replies)
    db.session.expire_all()
    rows = list(db.session.scalars(select(Enrollment).where(Enrollment.run_id == run.id)))
    confirmed = [e for e in rows if e.status == EnrollmentStatus.CONFIRMED]
    waitlisted = [e for e in rows if e.status == EnrollmentStatus.WAITLISTED]
    assert sum(len(e.persons) for e in confirmed) == CAPACITY
    assert len(confirmed) == TAKEN_BEFORE // 2 + (CAPACITY - TAKEN_BEFORE) // 2
    assert len(waitlisted) == RACERS - (CAPACITY - TAKEN_BEFORE) // 2
    # The waiting list is a clean sequence: no two households share a place.
    assert sorted(e.waitlist_position for e in waitlisted) == list(range(1, len(waitlisted) + 1))
    assert db.session.get(CourseRun, run.id).seats_taken == CAPACITY


def test_a_double_submitted_sign_up_signs_up_once_and_says_so(app):
    """Four identical sign-up POSTs at once (a double tap, twice): one sign-up, no 500."""
    run = CourseRunFactory(capacity=10)
    household, adults = _family(MunicipalityFactory())
    path = f"/kurser/{run.id}/anmalan"
    body = urlencode([("persons", str(a.id)) for a in adults])
    cookie = session_cookie(app, adults[0])
    db.session.commit()

    replies = post_at_once(app, [(path, cookie, body)] * 4)

    assert sorted(reply.status for reply in replies) == [200, 200, 200, 302]
    assert all(reply.location.endswith("/mina-kurser") for reply in replies if reply.status == 302)
    for reply in replies:
        if reply.status == 200:  # the form again, with the reason beside it
            assert "Hushållet är redan anmält till kursomgången." in reply.body
    db.session.expire_all()
    rows = list(db.session.scalars(select(Enrollment).where(Enrollment.run_id == run.id)))
    assert [(e.household_id, e.status) for e in rows] == [(household.id, EnrollmentStatus.CONFIRMED)]
    assert db.session.get(CourseRun, run.id).seats_taken == 2


def test_cancellations_and_offer_acceptances_at_once_keep_the_seat_count(app, clock):
    """Five households cancel while five others accept offered seats: no seat is given twice."""
    capacity = 10
    run = CourseRunFactory(capacity=capacity)
    municipality = MunicipalityFactory()
    leaving = [
        EnrollmentFactory(run=run, household=HouseholdFactory(municipality=municipality)) for _ in range(5)
    ]
    offered = [
        EnrollmentFactory(
            run=run,
            household=HouseholdFactory(municipality=municipality),
            status=EnrollmentStatus.OFFERED,
            confirmed_at=None,
            offer_expires_at=clock.now + timedelta(days=2),
        )
        for _ in range(5)
    ]
    waiting = [
        EnrollmentFactory(
            run=run,
            household=HouseholdFactory(municipality=municipality),
            waitlisted=True,
            waitlist_position=position,
        )
        for position in range(1, 11)
    ]
    requests = [(f"/anmalan/{e.id}/avboka", session_cookie(app, e.persons[0].user), "") for e in leaving]
    requests += [(f"/anmalan/{e.id}/tacka-ja", session_cookie(app, e.persons[0].user), "") for e in offered]
    # The first offered household also cancels in the same instant it accepts (two tabs).
    requests.append((f"/anmalan/{offered[0].id}/avboka", session_cookie(app, offered[0].persons[0].user), ""))
    leaving_ids, offered_ids = [e.id for e in leaving], [e.id for e in offered]
    waiting_ids = [e.id for e in waiting]
    db.session.commit()

    replies = post_at_once(app, requests)

    assert all(reply.status == 302 for reply in replies), sorted(r.status for r in replies)
    db.session.expire_all()
    status = {
        e.id: e.status for e in db.session.scalars(select(Enrollment).where(Enrollment.run_id == run.id))
    }
    assert {status[i] for i in leaving_ids} == {EnrollmentStatus.CANCELLED}
    assert status[offered_ids[0]] == EnrollmentStatus.CANCELLED
    assert {status[i] for i in offered_ids[1:]} == {EnrollmentStatus.CONFIRMED}
    # Six seats came free and went, one each, to the first six on the waiting list.
    assert [status[i] for i in waiting_ids] == [EnrollmentStatus.OFFERED] * 6 + [
        EnrollmentStatus.WAITLISTED
    ] * 4
    assert services.seats_taken(run.id) == capacity
    assert db.session.get(CourseRun, run.id).seats_taken == capacity


def test_capacity_is_not_lowered_below_a_sign_up_in_flight(app):
    """A capacity change waits for a sign-up holding the run, then counts its seats too."""
    from coursehub.enrollment.errors import CapacityError

    run = CourseRunFactory(capacity=4)
    municipality = MunicipalityFactory()
    first, first_adults = _family(municipality)
    services.sign_up(run, first, first_adults, actor=first_adults[0], now=clock.now())
    second, second_adults = _family(municipality)
    run_id, second_id = run.id, second.id
    adult_ids = [a.id for a in second_adults]
    db.session.commit()  # after the reads: on SQLite an open transaction holds the write lock
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def sign_up_slowly() -> None:
        from coursehub.accounts.models import Household, User
        from coursehub.courses.models import CourseRun

        with app.app_context():
            household = db.session.get(Household, second_id)
            adults = [db.session.get(User, i) for i in adult_ids]
            services.sign_up(
                db.session.get(CourseRun, run_id), household, adults, actor=adults[0], now=clock.now()
            )
            holding.set()
            release.wait(timeout=30)
            db.session.commit()
            db.session.remove()

    def lower_capacity() -> None:
        from coursehub.courses.models import CourseRun

        with app.app_context():
            target = db.session.get(CourseRun, run_id)
            try:
                services.check_capacity_change(target, 2)
                target.capacity = 2
                db.session.commit()
                outcome["lowered"] = True
            except CapacityError:
                db.session.rollback()
                outcome["refused"] = True
            finally:
                db.session.remove()

    signer = threading.Thread(target=sign_up_slowly)
    signer.start()
    assert holding.wait(timeout=30)
    lowerer = threading.Thread(target=lower_capacity)
    lowerer.start()
    lowerer.join(timeout=1)  # it must be waiting for the sign-up's lock by now
    release.set()
    signer.join(timeout=30)
    lowerer.join(timeout=30)
    db.session.expire_all()
    fresh = db.session.get(type(run), run_id)
    assert services.seats_taken(run_id) <= fresh.capacity
    assert outcome == {"refused": True}


def test_an_approval_clicked_three_times_while_another_worker_declines_is_decided_once(app):
    """Municipal workers decide one pending sign-up four times at once: one decision, one mail."""
    from coursehub.notifications.models import OutboxMessage

    run = CourseRunFactory(capacity=10)
    municipality = MunicipalityFactory()
    workers = [UserFactory(roles=[Role.MUNICIPAL], municipality=municipality) for _ in range(2)]
    household, adults = _family(municipality)
    pending = EnrollmentFactory(
        run=run, household=household, persons=adults, pending=True, needs_approval=True
    )
    approve = (f"/anmalan/{pending.id}/godkann", session_cookie(app, workers[0]), "")
    decline = (f"/anmalan/{pending.id}/avsla", session_cookie(app, workers[1]), "reason=Fullt")
    enrollment_id, addresses = pending.id, {a.email for a in adults}
    db.session.commit()

    replies = post_at_once(app, [approve, approve, approve, decline])

    assert all(reply.status == 302 for reply in replies), sorted(r.status for r in replies)
    db.session.expire_all()
    decided = db.session.get(Enrollment, enrollment_id)
    assert decided.status in (EnrollmentStatus.CONFIRMED, EnrollmentStatus.DECLINED)
    mails = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient.in_(addresses), OutboxMessage.calendar_ics.is_(None)
        )
    )
    assert sorted(m.recipient for m in mails) == sorted(addresses)  # one notice each, not four
    held = 2 if decided.status == EnrollmentStatus.CONFIRMED else 0
    assert services.seats_taken(run.id) == held == db.session.get(CourseRun, run.id).seats_taken
