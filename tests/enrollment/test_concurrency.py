"""Many households race for the last seats through the real HTTP stack (PostgreSQL only)."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.enrollment import services
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.extensions import db
from tests.factories import CourseRunFactory, HouseholdFactory, MunicipalityFactory, UserFactory
from tests.support.browser import LiveServer

RACERS = 55  # households of two adults each
CAPACITY = 30
TAKEN_BEFORE = 20  # so the race is for the last 10 seats: five households


def _session_cookie(app, user) -> str:
    """Return a signed session cookie logging `user` in, as the login view would."""
    now = clock.now().timestamp()
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": user.session_token, "_fresh": True,
                              "login_at": now, "seen_at": now})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def _family(municipality):
    household = HouseholdFactory(municipality=municipality)
    adults = [UserFactory(household=household, roles=[Role.FAMILY]) for _ in range(2)]
    return household, adults


@pytest.mark.postgres_only
def test_last_seats_are_never_oversold(app, db_engine_name):
    if db_engine_name != "postgresql":
        pytest.skip("row locks are real only on PostgreSQL; SQLite has a single writer")
    run = CourseRunFactory(capacity=CAPACITY)
    municipality = MunicipalityFactory()
    for _ in range(TAKEN_BEFORE // 2):
        household, adults = _family(municipality)
        services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    racers = [_family(municipality) for _ in range(RACERS)]
    db.session.commit()
    path = f"/kurser/{run.id}/anmalan"  # read here: the threads have no app context
    requests = [(_session_cookie(app, adults[0]),
                 urlencode([("persons", str(a.id)) for a in adults]))
                for _household, adults in racers]

    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    with LiveServer(app) as server:
        start = threading.Barrier(len(requests))

        def post(cookie: str, body: str) -> None:
            try:
                connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
                start.wait()
                connection.request("POST", path, body=body, headers={
                    "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
                status = connection.getresponse().status
                connection.close()
                with lock:
                    statuses.append(status)
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                with lock:
                    errors.append(error)

        threads = [threading.Thread(target=post, args=request) for request in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert not errors, errors
    assert len(statuses) == RACERS
    assert all(status == 302 for status in statuses), sorted(statuses)  # no 500, no refusal
    db.session.expire_all()
    rows = list(db.session.scalars(select(Enrollment).where(Enrollment.run_id == run.id)))
    confirmed = [e for e in rows if e.status == EnrollmentStatus.CONFIRMED]
    waitlisted = [e for e in rows if e.status == EnrollmentStatus.WAITLISTED]
    assert sum(len(e.persons) for e in confirmed) == CAPACITY
    assert len(confirmed) == TAKEN_BEFORE // 2 + (CAPACITY - TAKEN_BEFORE) // 2
    assert len(waitlisted) == RACERS - (CAPACITY - TAKEN_BEFORE) // 2
    # The waiting list is a clean sequence: no two households share a place.
    assert sorted(e.waitlist_position for e in waitlisted) == list(range(1, len(waitlisted) + 1))


@pytest.mark.postgres_only
def test_capacity_is_not_lowered_below_a_sign_up_in_flight(app, db_engine_name):
    """A capacity change waits for a sign-up holding the run, then counts its seats too."""
    if db_engine_name != "postgresql":
        pytest.skip("row locks are real only on PostgreSQL; SQLite has a single writer")
    from coursehub.enrollment.errors import CapacityError

    run = CourseRunFactory(capacity=4)
    municipality = MunicipalityFactory()
    first, first_adults = _family(municipality)
    services.sign_up(run, first, first_adults, actor=first_adults[0], now=clock.now())
    second, second_adults = _family(municipality)
    db.session.commit()
    run_id, second_id = run.id, second.id
    adult_ids = [a.id for a in second_adults]
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def sign_up_slowly() -> None:
        from coursehub.accounts.models import Household, User
        from coursehub.courses.models import CourseRun

        with app.app_context():
            household = db.session.get(Household, second_id)
            adults = [db.session.get(User, i) for i in adult_ids]
            services.sign_up(db.session.get(CourseRun, run_id), household, adults,
                             actor=adults[0], now=clock.now())
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
