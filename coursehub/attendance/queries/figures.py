"""The course figures of the yearly report, per period, for the people of some municipalities.

A person belongs to their household's municipality (a family's adult) or to their own (a
professional). Every function is one aggregate query grouped by period (lib.spans), so a report
over ten years runs as many queries as one over a half-year.

- runs held: runs not cancelled whose first session started in the period (and before now) with
  at least one confirmed whole-run sign-up of a person from the municipalities;
- participants: distinct persons of those sign-ups, per period;
- attendance: the marks of sessions that started in the period;
- completions and certificates: by their date (a revoked certificate does not count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, func, select

from coursehub.accounts.models import Household, User
from coursehub.attendance.models import AttendanceMark, AttendanceStatus, Certificate, Completion
from coursehub.courses.models import CourseRun, CourseSession, RunStatus
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus, ParticipantKind
from coursehub.extensions import db
from coursehub.lib.spans import Span, bucket, of_ids, within

HELD = (RunStatus.PUBLISHED, RunStatus.COMPLETED)


def _home() -> ColumnElement[Any]:
    """A person's municipality: their household's, or (a professional) their own."""
    return func.coalesce(Household.municipality_id, User.municipality_id)


def _people(stmt: Any) -> Any:
    """Join the person (User) and their household, if any, onto `stmt`."""
    return stmt.outerjoin(Household, Household.id == User.household_id)


def _gender() -> Any:
    return User.gender


def _gender_value(value: Any) -> str | None:
    """The stored gender as its plain value ("woman"), None when not stated."""
    return None if value is None else str(value)


@dataclass(frozen=True)
class RunCount:
    """Runs held in one period; `online` of them held online."""

    span: str
    held: int
    online: int


def _held_runs(spans: Sequence[Span], now: datetime) -> Any:
    """The held runs of the spans with their span key and whether online: a materialised CTE.

    Materialised so that the CASE placing a run in its span runs once per run, not once per
    sign-up person joined to it.
    """
    online = sa.and_(CourseRun.venue_id.is_(None), CourseRun.online_url.is_not(None))
    return (
        select(
            CourseRun.id.label("run_id"),
            bucket(CourseRun.starts_at, spans).label("span"),
            online.label("online"),
        )
        .where(CourseRun.status.in_(HELD), CourseRun.starts_at < now, within(CourseRun.starts_at, spans))
        .cte("held_runs")
        .prefix_with("MATERIALIZED")
    )


def _held_participations(runs: Any, municipality_ids: Sequence[int]) -> Any:
    """The confirmed whole-run sign-up persons of the held `runs`, joined to the person, filtered."""
    stmt = (
        select()
        .select_from(EnrollmentPerson)
        .join(Enrollment, Enrollment.id == EnrollmentPerson.enrollment_id)
        .join(runs, runs.c.run_id == Enrollment.run_id)
        .join(User, User.id == EnrollmentPerson.user_id)
    )
    return _people(stmt).where(
        Enrollment.status == EnrollmentStatus.CONFIRMED,
        Enrollment.makeup_session_id.is_(None),
        of_ids(_home(), municipality_ids),
    )


def runs_held(spans: Sequence[Span], municipality_ids: Sequence[int], now: datetime) -> list[RunCount]:
    """Return the runs held in each span and how many of them online: one query."""
    runs = _held_runs(spans, now)
    rows = db.session.execute(
        _held_participations(runs, municipality_ids)
        .add_columns(
            runs.c.span,
            func.count(sa.distinct(runs.c.run_id)),
            func.count(sa.distinct(sa.case((runs.c.online, runs.c.run_id), else_=sa.null()))),
        )
        .group_by(runs.c.span)
    ).all()
    found = {key: (int(held), int(on)) for key, held, on in rows}
    return [RunCount(s.key, *found.get(s.key, (0, 0))) for s in spans]


@dataclass(frozen=True)
class ParticipantCount:
    """Distinct participants of one period from one municipality, of one gender and kind."""

    span: str
    municipality_id: int
    gender: str | None
    kind: ParticipantKind
    persons: int


def participants(
    spans: Sequence[Span], municipality_ids: Sequence[int], now: datetime
) -> list[ParticipantCount]:
    """Return the distinct participants per span, municipality, gender and kind: one query.

    A person has one municipality and one gender, so these add up to totals per part and county.
    """
    runs = _held_runs(spans, now)
    span = runs.c.span
    home = _home()
    rows = db.session.execute(
        _held_participations(runs, municipality_ids)
        .add_columns(
            span,
            home,
            _gender(),
            Enrollment.participant_kind,
            func.count(sa.distinct(EnrollmentPerson.user_id)),
        )
        .group_by(span, home, _gender(), Enrollment.participant_kind)
    ).all()
    return [
        ParticipantCount(key, int(m), _gender_value(g), ParticipantKind(kind), int(n))
        for key, m, g, kind, n in rows
    ]


def families(spans: Sequence[Span], municipality_ids: Sequence[int], now: datetime) -> list[int]:
    """Return the distinct households with a participant in each span: one query."""
    runs = _held_runs(spans, now)
    rows = db.session.execute(
        _held_participations(runs, municipality_ids)
        .add_columns(runs.c.span, func.count(sa.distinct(Enrollment.household_id)))
        .where(Enrollment.participant_kind == ParticipantKind.FAMILY)
        .group_by(runs.c.span)
    ).all()
    counted = {key: int(n) for key, n in rows}
    return [counted.get(s.key, 0) for s in spans]


@dataclass(frozen=True)
class GenderCount:
    """A count (and for attendance its whole) of one period and gender."""

    span: str
    gender: str | None
    count: int
    whole: int = 0


def attendance(spans: Sequence[Span], municipality_ids: Sequence[int]) -> list[GenderCount]:
    """Return marks present (count) of all marks (whole) per span and gender: one query.

    Each session's period (a CASE over every period's bounds) is worked out once per session, in
    a materialised CTE; the marks are summed per person and period (a hash join on that small
    list), and only those sums are joined to the people for their municipality and gender.
    """
    present = func.sum(sa.case((AttendanceMark.status == AttendanceStatus.PRESENT, 1), else_=0))
    sessions = (
        select(CourseSession.id.label("session_id"), bucket(CourseSession.starts_at, spans).label("span"))
        .where(within(CourseSession.starts_at, spans))
        .cte("session_spans")
        .prefix_with("MATERIALIZED")  # else PostgreSQL inlines it and runs the CASE once per mark
    )
    per_person = (
        select(
            AttendanceMark.user_id.label("user_id"),
            sessions.c.span,
            present.label("present"),
            func.count(AttendanceMark.id).label("marks"),
        )
        .join(sessions, sessions.c.session_id == AttendanceMark.session_id)
        .group_by(AttendanceMark.user_id, sessions.c.span)
        .subquery()
    )
    stmt = (
        select(per_person.c.span, _gender(), func.sum(per_person.c.present), func.sum(per_person.c.marks))
        .select_from(per_person)
        .join(User, User.id == per_person.c.user_id)
    )
    rows = db.session.execute(
        _people(stmt).where(of_ids(_home(), municipality_ids)).group_by(per_person.c.span, _gender())
    ).all()
    return [GenderCount(key, _gender_value(g), int(p or 0), int(n)) for key, g, p, n in rows]


def completions(spans: Sequence[Span], municipality_ids: Sequence[int]) -> list[GenderCount]:
    """Return the completions dated in each span, per gender: one query."""
    span = bucket(Completion.completed_at, spans)
    stmt = select(span, _gender(), func.count(Completion.id)).join(User, User.id == Completion.user_id)
    rows = db.session.execute(
        _people(stmt)
        .where(within(Completion.completed_at, spans), of_ids(_home(), municipality_ids))
        .group_by(span, _gender())
    ).all()
    return [GenderCount(key, _gender_value(g), int(n)) for key, g, n in rows]


def certificates(spans: Sequence[Span], municipality_ids: Sequence[int]) -> list[GenderCount]:
    """Return the certificates issued in each span and not revoked, per gender: one query."""
    span = bucket(Certificate.issued_at, spans)
    stmt = select(span, _gender(), func.count(Certificate.id)).join(User, User.id == Certificate.user_id)
    rows = db.session.execute(
        _people(stmt)
        .where(
            within(Certificate.issued_at, spans),
            Certificate.revoked_at.is_(None),
            of_ids(_home(), municipality_ids),
        )
        .group_by(span, _gender())
    ).all()
    return [GenderCount(key, _gender_value(g), int(n)) for key, g, n in rows]
