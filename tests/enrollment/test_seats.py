"""course_runs.seats_taken: kept by every enrollment service, and the drift check that proves it.

The autouse fixture `_no_seat_drift` (conftest.py) recounts every run after every test; here the
column is followed step by step through one run's life, and the check itself is shown to catch drift.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from coursehub import clock
from coursehub.courses import services as course_services
from coursehub.courses.errors import CourseError
from coursehub.courses.models import CourseRun
from coursehub.enrollment import services
from coursehub.enrollment.models import EnrollmentStatus
from coursehub.extensions import db
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory
from tests.support.seats import check_no_seat_drift, seat_drift


def _taken(run) -> int:
    """The column as stored, read back from the database (not the object in the session)."""
    db.session.flush()
    return db.session.scalar(
        CourseRun.__table__.select().with_only_columns(CourseRun.seats_taken).where(CourseRun.id == run.id)
    )


def _details(run, **changes) -> course_services.RunDetails:
    values = {
        "title": run.title,
        "capacity": run.capacity,
        "venue": run.venue,
        "signup_opens_at": run.signup_opens_at,
        "signup_closes_at": run.signup_closes_at,
        "leaders": [UserFactory(leader=True)],
    }
    return course_services.RunDetails(**{**values, **changes})


def test_seats_taken_follows_a_run_through_sign_ups_offers_cancellations_and_make_ups(
    make_family, worker, staff
):
    course_type = CourseTypeFactory(requires_municipal_approval=True, allows_makeup=True)
    run = CourseRunFactory(course_type=course_type, capacity=4)
    other_run = CourseRunFactory(course_type=course_type, capacity=10)
    now = clock.now()

    def step(expected: int) -> None:
        assert _taken(run) == expected == services.seats_taken(run.id)
        check_no_seat_drift(db.session)

    pending_household, pending_adults = make_family(2)
    pending = services.sign_up(run, pending_household, pending_adults, actor=pending_adults[0], now=now)
    assert pending.status == EnrollmentStatus.PENDING
    step(2)  # waiting for the municipality, it holds its seats
    services.approve_enrollment(pending, actor=worker, now=now)
    step(2)
    confirmed_household, confirmed_adults = make_family(2)
    services.sign_up(run, confirmed_household, confirmed_adults, actor=worker, now=now)
    step(4)
    waiting_household, waiting_adults = make_family(1)
    waiting = services.sign_up(run, waiting_household, waiting_adults, actor=worker, now=now)
    assert waiting.status == EnrollmentStatus.WAITLISTED
    step(4)  # the waiting list holds no seat
    services.cancel_enrollment(pending, actor=pending_adults[0], now=now)
    assert waiting.status == EnrollmentStatus.OFFERED
    step(3)  # two freed, one offered on
    services.accept_offer(waiting, actor=waiting_adults[0], now=now)
    step(3)
    last_household, last_adults = make_family(2)
    last = services.sign_up(run, last_household, last_adults, actor=worker, now=now)
    step(3)
    course_services.update_run(run, actor=staff, now=now, details=_details(run, capacity=5))
    assert last.status == EnrollmentStatus.OFFERED
    step(5)  # the raised capacity went to the waiting household
    services.expire_offers(now=last.offer_expires_at)
    step(3)

    # A make-up sign-up takes a seat of the run its session belongs to.
    services.sign_up(other_run, pending_household, pending_adults, actor=worker, now=now)
    makeup = services.sign_up_for_makeup(
        run.sessions[1], pending_household, pending_adults[:1], actor=worker, now=now
    )
    step(4)
    services.cancel_enrollment(makeup, actor=worker, now=now)
    step(3)
    declined_household, declined_adults = make_family(1)
    declined = services.sign_up(run, declined_household, declined_adults, actor=declined_adults[0], now=now)
    step(4)
    services.decline_enrollment(declined, actor=worker, now=now)
    step(3)

    course_services.cancel_run(run, actor=staff, now=now)
    step(0)
    assert _taken(other_run) == 2


def test_a_capacity_below_the_seats_taken_is_refused_and_changes_no_seat(run, make_family, staff):
    household, adults = make_family(3)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    with pytest.raises(CourseError, match=r"\(3\)"):
        course_services.update_run(run, actor=staff, now=clock.now(), details=_details(run, capacity=2))
    assert _taken(run) == 3 and run.capacity == 4


def test_the_drift_check_finds_a_run_whose_column_is_off_and_passes_once_it_is_right(run, make_family):
    household, adults = make_family(2)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    assert seat_drift(db.session) == {}
    # What a service that forgot to recount would leave behind.
    db.session.execute(update(CourseRun).where(CourseRun.id == run.id).values(seats_taken=0))
    assert seat_drift(db.session) == {run.id: (0, 2)}
    with pytest.raises(AssertionError, match="drifted"):
        check_no_seat_drift(db.session)
    db.session.execute(update(CourseRun).where(CourseRun.id == run.id).values(seats_taken=2))
    check_no_seat_drift(db.session)


def test_a_negative_seats_taken_is_refused_by_the_database(run):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError, match="seats_taken_not_negative|CHECK"):
        db.session.execute(update(CourseRun).where(CourseRun.id == run.id).values(seats_taken=-1))
    db.session.rollback()
