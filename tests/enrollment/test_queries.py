"""enrollment.queries' door for other areas: who takes part in a run and in each session."""

from __future__ import annotations

from sqlalchemy import select

from coursehub.enrollment import queries
from coursehub.enrollment.services import makeup_scope
from coursehub.extensions import db
from tests.factories import CourseRunFactory, CourseSessionFactory, EnrollmentFactory


def _rows(subquery, *columns):
    return sorted(tuple(row) for row in db.session.execute(select(*(subquery.c[name] for name in columns))))


def test_whole_run_and_make_up_sign_ups_are_told_apart_without_the_scope():
    run, other = CourseRunFactory(sessions=False), CourseRunFactory(sessions=False)
    first, second = CourseSessionFactory(run=run), CourseSessionFactory(run=run)
    visited = CourseSessionFactory(run=other)
    whole = EnrollmentFactory(run=run)
    makeup = EnrollmentFactory(run=other, scope=makeup_scope(visited.id), makeup_session=visited)
    waiting = EnrollmentFactory(run=run, waitlisted=True)
    EnrollmentFactory(run=CourseRunFactory(sessions=False))  # a run without sessions
    [adult] = [p.user_id for p in whole.persons]
    [guest] = [p.user_id for p in makeup.persons]
    [queued] = [p.user_id for p in waiting.persons]

    participants = queries.session_participants()
    columns = ("session_id", "run_id", "user_id", "household_id", "is_makeup")
    assert _rows(participants, *columns) == sorted(
        [
            (first.id, run.id, adult, whole.household_id, False),
            (second.id, run.id, adult, whole.household_id, False),
            (visited.id, other.id, guest, makeup.household_id, True),
        ]
    )
    active = _rows(queries.session_participants(active=True), "session_id", "user_id")
    assert (first.id, queued) in active and (second.id, queued) in active

    signed_up = _rows(queries.signup_persons(), "enrollment_id", "user_id", "whole_run", "makeup_session_id")
    assert (whole.id, adult, True, None) in signed_up
    assert (makeup.id, guest, False, visited.id) in signed_up
    assert all(row[0] != waiting.id for row in signed_up)
    # A whole-run sign-up counts even where the run has no sessions yet.
    assert len(signed_up) == 3
