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
from sqlalchemy import ColumnElement, func, literal, select

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


def _people_of(municipality_ids: Sequence[int]) -> Any:
    """The ids of the people whose municipality (`_home`) is one of `municipality_ids`.

    From the indexes on households' municipality and users' household and municipality, so that
    a municipality's figures start from its own people: `_home()` is an expression no index
    serves, and filtering on it after the marks are summed read every mark of the periods.
    """
    in_households = (
        select(User.id)
        .join(Household, Household.id == User.household_id)
        .where(of_ids(Household.municipality_id, municipality_ids))
    )
    on_their_own = select(User.id).where(
        User.household_id.is_(None), of_ids(User.municipality_id, municipality_ids)
    )
    return sa.union_all(in_households, on_their_own)


def _of_place(user_id: Any, municipality_ids: Sequence[int], start_from_people: bool) -> Any:
    """The rows of `user_id`s of the municipalities' people.

    For a part of the county or a municipality, a share of everyone, the people are found first
    (`_people_of`) and only their rows read. For the whole county they are everyone, and that
    semi-join cost more than it saved (national bench: completions 30 -> 150 ms), so there each
    row is placed by `_home()`, and the statement must join `_people`.
    """
    if start_from_people:
        return user_id.in_(_people_of(municipality_ids))
    return of_ids(_home(), municipality_ids)


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


def _held_participations(runs: Any, municipality_ids: Sequence[int], start_from_people: bool) -> Any:
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
        _of_place(EnrollmentPerson.user_id, municipality_ids, start_from_people),
    )


@dataclass(frozen=True)
class ParticipantCount:
    """Distinct participants of one period from one municipality, of one gender and kind."""

    span: str
    municipality_id: int
    gender: str | None
    kind: ParticipantKind
    persons: int


@dataclass(frozen=True)
class Participation:
    """The three sign-up figures of a series: runs held, participants and families per span."""

    runs: list[RunCount]
    participants: list[ParticipantCount]
    families: list[int]


def participation(
    spans: Sequence[Span], municipality_ids: Sequence[int], now: datetime, *, start_from_people: bool = True
) -> Participation:
    """Return runs held (and online), distinct participants per span, municipality, gender and kind,
    and distinct families per span: one query.

    The held runs' confirmed whole-run sign-up persons, joined to their person and household, are
    found once (a materialised CTE) and counted three ways, instead of three queries each joining
    them anew. A person has one municipality and one gender, so the participants add up to totals
    per part and county.
    """
    runs = _held_runs(spans, now)
    people = (
        _held_participations(runs, municipality_ids, start_from_people)
        .add_columns(
            runs.c.span.label("span"),
            runs.c.run_id.label("run_id"),
            runs.c.online.label("online"),
            EnrollmentPerson.user_id.label("user_id"),
            Enrollment.household_id.label("household_id"),
            Enrollment.participant_kind.label("kind"),
            _home().label("home"),
            _gender().label("gender"),
        )
        .cte("held_people")
        .prefix_with("MATERIALIZED")
    )
    family = people.c.kind == ParticipantKind.FAMILY
    stmt = sa.union_all(
        select(
            literal("people").label("what"),
            people.c.span,
            people.c.home,
            people.c.gender,
            people.c.kind,
            func.count(sa.distinct(people.c.user_id)).label("n"),
            literal(0).label("online"),
        ).group_by(people.c.span, people.c.home, people.c.gender, people.c.kind),
        select(
            literal("runs"),
            people.c.span,
            sa.null(),
            sa.null(),
            sa.null(),
            func.count(sa.distinct(people.c.run_id)),
            func.count(sa.distinct(sa.case((people.c.online, people.c.run_id), else_=sa.null()))),
        ).group_by(people.c.span),
        select(
            literal("families"),
            people.c.span,
            sa.null(),
            sa.null(),
            sa.null(),
            func.count(sa.distinct(people.c.household_id)),
            literal(0),
        )
        .where(family)
        .group_by(people.c.span),
    )
    rows = db.session.execute(stmt).all()
    held = {r.span: (int(r.n), int(r.online)) for r in rows if r.what == "runs"}
    households = {r.span: int(r.n) for r in rows if r.what == "families"}
    return Participation(
        [RunCount(s.key, *held.get(s.key, (0, 0))) for s in spans],
        [
            ParticipantCount(r.span, int(r.home), _gender_value(r.gender), ParticipantKind(r.kind), int(r.n))
            for r in rows
            if r.what == "people"
        ],
        [households.get(s.key, 0) for s in spans],
    )


@dataclass(frozen=True)
class GenderCount:
    """A count (and for attendance its whole) of one period and gender."""

    span: str
    gender: str | None
    count: int
    whole: int = 0


def attendance(
    spans: Sequence[Span], municipality_ids: Sequence[int], *, start_from_people: bool = True
) -> list[GenderCount]:
    """Return marks present (count) of all marks (whole) per span and gender: one query.

    Each session's period (a CASE over every period's bounds) is worked out once per session, in
    a materialised CTE; the marks (of the municipalities' people, `_of_place`) are summed per
    person and period (a hash join on that small list), and only those sums are joined to the
    people for their gender (and, for the whole county, their municipality).
    """
    present = func.sum(sa.case((AttendanceMark.status == AttendanceStatus.PRESENT, 1), else_=0))
    sessions = (
        select(CourseSession.id.label("session_id"), bucket(CourseSession.starts_at, spans).label("span"))
        .where(within(CourseSession.starts_at, spans))
        .cte("session_spans")
        .prefix_with("MATERIALIZED")  # else PostgreSQL inlines it and runs the CASE once per mark
    )
    marks = (
        select(
            AttendanceMark.user_id.label("user_id"),
            sessions.c.span,
            present.label("present"),
            func.count(AttendanceMark.id).label("marks"),
        )
        .join(sessions, sessions.c.session_id == AttendanceMark.session_id)
        .group_by(AttendanceMark.user_id, sessions.c.span)
    )
    if start_from_people:  # else placed by `_home()` once summed, below
        marks = marks.where(AttendanceMark.user_id.in_(_people_of(municipality_ids)))
    per_person = marks.subquery()
    stmt = (
        select(per_person.c.span, _gender(), func.sum(per_person.c.present), func.sum(per_person.c.marks))
        .select_from(per_person)
        .join(User, User.id == per_person.c.user_id)
    )
    if not start_from_people:
        stmt = _people(stmt).where(of_ids(_home(), municipality_ids))
    rows = db.session.execute(stmt.group_by(per_person.c.span, _gender())).all()
    return [GenderCount(key, _gender_value(g), int(p or 0), int(n)) for key, g, p, n in rows]


def completions(
    spans: Sequence[Span], municipality_ids: Sequence[int], *, start_from_people: bool = True
) -> list[GenderCount]:
    """Return the completions dated in each span, per gender: one query."""
    span = bucket(Completion.completed_at, spans)
    stmt = select(span, _gender(), func.count(Completion.id)).join(User, User.id == Completion.user_id)
    rows = db.session.execute(
        _people(stmt)
        .where(
            within(Completion.completed_at, spans),
            _of_place(Completion.user_id, municipality_ids, start_from_people),
        )
        .group_by(span, _gender())
    ).all()
    return [GenderCount(key, _gender_value(g), int(n)) for key, g, n in rows]


def certificates(
    spans: Sequence[Span], municipality_ids: Sequence[int], *, start_from_people: bool = True
) -> list[GenderCount]:
    """Return the certificates issued in each span and not revoked, per gender: one query."""
    span = bucket(Certificate.issued_at, spans)
    stmt = select(span, _gender(), func.count(Certificate.id)).join(User, User.id == Certificate.user_id)
    rows = db.session.execute(
        _people(stmt)
        .where(
            within(Certificate.issued_at, spans),
            Certificate.revoked_at.is_(None),
            _of_place(Certificate.user_id, municipality_ids, start_from_people),
        )
        .group_by(span, _gender())
    ).all()
    return [GenderCount(key, _gender_value(g), int(n)) for key, g, n in rows]
