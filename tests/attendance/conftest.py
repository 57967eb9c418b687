"""Fixtures of the attendance tests: a course type, runs whose sessions have started, participants."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import g

from coursehub.accounts.models import Role
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    UserFactory,
)
from tests.support.seats import check_no_seat_drift


@pytest.fixture(autouse=True)
def _no_seat_drift(db):
    """After every test, each run's seats_taken equals the persons holding seats in it."""
    yield
    check_no_seat_drift(db.session)


@pytest.fixture
def course_type(db):
    """Three themes, no absences allowed, make-up allowed, certificates issued."""
    return CourseTypeFactory(name="Ett hem att växa i", themes=3)


def started_run(course_type, *, weeks_ago: int = 4, leaders=(), **kwargs):
    """A run of `course_type` whose weekly sessions began `weeks_ago` weeks before now."""
    from coursehub import clock

    start = (clock.now() - timedelta(weeks=weeks_ago)).replace(hour=16, minute=0, second=0, microsecond=0)
    return CourseRunFactory(course_type=course_type, sessions__start=start, leaders=list(leaders), **kwargs)


def family_member(household=None, **kwargs):
    household = household or HouseholdFactory()
    return UserFactory(household=household, roles=[Role.FAMILY], **kwargs)


def enrol(run, *people, **kwargs):
    """A confirmed whole-run sign-up of `people` (one household)."""
    return EnrollmentFactory(run=run, household=people[0].household, persons=list(people), **kwargs)


def enrol_makeup(session, *people):
    """A confirmed make-up sign-up of `people` for one session of another run."""
    return EnrollmentFactory(
        run=session.run,
        household=people[0].household,
        persons=list(people),
        makeup_session=session,
        scope=f"session:{session.id}",
    )


@pytest.fixture
def request_context(app):
    """Run services as a request would (Flask-Babel needs one), without leaking its user."""

    @contextmanager
    def _context():
        with app.test_request_context():
            yield
        # The test's app context outlives the request; Flask-Login cached the visitor on `g`.
        g.pop("_login_user", None)

    return _context


@pytest.fixture
def leader(db):
    return UserFactory(roles=[Role.LEADER], full_name="Lena Ledare")


@pytest.fixture
def staff(db):
    return UserFactory(staff=True, full_name="Stina Personal")


@pytest.fixture
def run(course_type, leader):
    return started_run(course_type, leaders=[leader])


@pytest.fixture
def person(run):
    """Åsa, signed up for `run` with her household."""
    user = family_member(full_name="Åsa Öberg-Älvsjö")
    enrol(run, user)
    return user


@pytest.fixture
def fresh_login(login_as, db):
    """Commit the test's data, then log in as `user` (a view that rolls back after refusing
    something would otherwise take uncommitted test data with it)."""

    def _login(client, user):
        db.session.commit()
        return login_as(client, user)

    return _login
