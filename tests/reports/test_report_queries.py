"""The report runs a fixed number of queries: the same for one half-year as for six, small or large."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from coursehub.extensions import db
from coursehub.reports.periods import half_year, half_years_between
from coursehub.reports.report import SECTION_BUILDERS, build_report
from coursehub.reports.scope import parse_scope
from tests.attendance.factories import AttendanceMarkFactory, CertificateFactory
from tests.factories import CourseRunFactory, EnrollmentFactory, HouseholdFactory, MunicipalityFactory
from tests.recruitment.factories import CaseFactory


def _add(municipality, count: int, start: datetime) -> None:
    """`count` of each: cases, runs with a sign-up and marks, certificates, spread over three years."""
    for n in range(count):
        when = start + timedelta(days=70 * n)
        CaseFactory(municipality=municipality, registered_at=when, step_changed_at=when)
        run = CourseRunFactory(sessions__start=when)
        enrollment = EnrollmentFactory(run=run, household=HouseholdFactory(municipality=municipality))
        AttendanceMarkFactory(session=run.sessions[0], user=enrollment.persons[0].user)
        CertificateFactory(completion__user=enrollment.persons[0].user, issued_at=when)
    db.session.flush()


def _count(count_queries, periods, clock) -> int:
    chosen = parse_scope("lan")
    with count_queries() as statements:
        report = build_report(chosen, periods, clock.now)
    assert len(report.sections) == len(SECTION_BUILDERS)
    return len(statements)


def test_the_same_queries_for_one_or_six_half_years_and_any_data(app, clock, count_queries):
    clock.set(datetime(2027, 1, 15, tzinfo=UTC))
    municipality = MunicipalityFactory()
    one = [half_year(2026, 2)]
    six = half_years_between(half_year(2024, 1), half_year(2026, 2))
    assert len(six) == 6
    _add(municipality, 2, datetime(2024, 2, 1, 10, tzinfo=UTC))
    small = (_count(count_queries, one, clock), _count(count_queries, six, clock))
    _add(municipality, 12, datetime(2024, 3, 1, 10, tzinfo=UTC))
    large = (_count(count_queries, one, clock), _count(count_queries, six, clock))
    assert small[0] == small[1] == large[0] == large[1]
    assert small[0] <= 24  # four sections, each a handful of aggregate queries


def test_the_report_is_planned_for_the_periods_asked_for(app, db, clock, db_engine_name):
    """Kept generic once psycopg has prepared them, its aggregates took nearly twice as long."""
    if db_engine_name != "postgresql":
        pytest.skip("prepared statements and their plans are PostgreSQL's")
    clock.set(datetime(2027, 1, 15, tzinfo=UTC))
    build_report(parse_scope("lan"), [half_year(2026, 2)], clock.now)
    assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
    db.session.commit()
    assert db.session.scalar(text("SHOW plan_cache_mode")) == "auto"
