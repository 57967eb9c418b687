"""Progress across runs: the completion rule and each person's themes, completions, certificates."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Executable, and_, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from coursehub.accounts.models import User
from coursehub.attendance.models import (
    AbsenceNotice,
    AttendanceMark,
    AttendanceStatus,
    Certificate,
    Completion,
)
from coursehub.courses.models import (
    CourseRun,
    CourseSession,
    CourseTheme,
    CourseType,
    SessionStatus,
)
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import Enrollment, EnrollmentPerson, EnrollmentStatus
from coursehub.extensions import db
from coursehub.lib.checks import known
from coursehub.lib.sqlconst import written
from coursehub.lib.sqlfind import among

# -- progress across runs --------------------------------------------------------------------


@dataclass(frozen=True)
class MarkFact:
    """One mark with what the completion rule needs to know about its session."""

    user_id: int
    status: AttendanceStatus
    session_id: int
    starts_at: datetime
    run_id: int
    run_title: str
    theme_id: int | None
    course_type_id: int


@dataclass
class ThemeProgress:
    theme: CourseTheme
    attended: MarkFact | None = None  # the present mark that counts for this theme
    latest: MarkFact | None = None  # the latest mark of any status, when not attended


@dataclass
class CourseProgress:
    course_type: CourseType
    themes: list[ThemeProgress]
    attended_count: int
    needed: int
    completed_at: datetime | None  # when the rule was met (None: not yet)
    completing_session_id: int | None
    completion: Completion | None = None
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return len(self.themes) - self.attended_count

    @property
    def is_complete(self) -> bool:
        return self.completion is not None or self.completed_at is not None

    @property
    def rule_no_longer_met(self) -> bool:
        """A completion stands, but corrected marks no longer meet the rule (staff decide)."""
        return self.completion is not None and self.completed_at is None

    @property
    def valid_certificate(self) -> Certificate | None:
        return next((c for c in self.certificates if c.is_valid), None)


def evaluate_rule(course_type: CourseType, facts: list[MarkFact], home_run_ids: set[int]) -> CourseProgress:
    """Apply the course type's completion rule to one person's marks (no I/O).

    Themes attended in any run of the type count when make-up is allowed; otherwise only themes
    attended within one and the same run (a run the person was signed up for as a whole) count.
    The rule is met when the missing active themes are at most `allowed_absences`; the date is
    that of the session at which it was first met.
    """
    themes = course_type.active_themes
    active_ids = {t.id for t in themes}
    needed = max(1, len(themes) - course_type.allowed_absences)
    present = sorted(
        (f for f in facts if f.status == AttendanceStatus.PRESENT and f.theme_id in active_ids),
        key=lambda f: (f.starts_at, f.session_id),
    )
    if course_type.allows_makeup:
        groups = [present]
    else:
        run_ids = home_run_ids or {f.run_id for f in present}
        groups = [[f for f in present if f.run_id == run_id] for run_id in sorted(run_ids)]
    # (completed_at, session_id, first-per-theme) of the earliest group
    best: tuple[datetime, int, dict[int, MarkFact]] | None = None
    fallback: dict[int, MarkFact] = {}
    for group in groups:
        firsts: dict[int, MarkFact] = {}
        reached = None
        for fact in group:
            theme_id = known(fact.theme_id, "`present` holds only marks of active themes")
            if theme_id not in firsts:
                firsts[theme_id] = fact
                if reached is None and len(firsts) >= needed:
                    reached = fact
        if reached is not None and (best is None or reached.starts_at < best[0]):
            best = (reached.starts_at, reached.session_id, firsts)
        if len(firsts) > len(fallback):
            fallback = firsts
    counted = best[2] if best else fallback
    latest: dict[int, MarkFact] = {}
    for fact in sorted(facts, key=lambda f: f.starts_at):
        if fact.theme_id in active_ids:
            latest[fact.theme_id] = fact
    rows = [
        ThemeProgress(t, counted.get(t.id), None if t.id in counted else latest.get(t.id)) for t in themes
    ]
    return CourseProgress(
        course_type=course_type,
        themes=rows,
        attended_count=len(counted),
        needed=needed,
        completed_at=best[0] if best else None,
        completing_session_id=best[1] if best else None,
    )


def _counted_marks(by_type: bool) -> sa.Select[Any]:
    """Select only the marks `evaluate_rule` can use, not a person's every mark, of the persons
    `mark_user_ids` (and with `by_type`, of the course types `mark_type_ids`).

    Per person, course type and theme: the latest mark of any status (shown when the theme is not
    attended) and the earliest present mark (the one that counts), per run where the type allows
    no make-up (themes count within one run). `evaluate_rule` gives the same answer on these as on
    every mark, and the rows handed to Python are bounded by the themes (times the runs of a type
    without make-up), not by how many times a person has come.
    """
    # The persons' marks first, then only their sessions and those sessions' runs, each found by
    # its key (`among`): joined straight to the marks, PostgreSQL hashed every session and run
    # ever held to place a page's marks, a cost that grew with each year of history.
    own_marks = (
        select(AttendanceMark.user_id, AttendanceMark.status, AttendanceMark.session_id)
        .where(AttendanceMark.user_id.in_(bindparam("mark_user_ids", expanding=True)))
        .cte("own_marks")
        .prefix_with("MATERIALIZED")
    )
    sessions = (
        select(CourseSession.id, CourseSession.run_id, CourseSession.theme_id, CourseSession.starts_at)
        .where(among(CourseSession.id, select(own_marks.c.session_id).distinct()))
        .cte("own_sessions")
        .prefix_with("MATERIALIZED")
    )
    runs = (
        select(CourseRun.id, CourseRun.title, CourseRun.course_type_id, CourseType.allows_makeup)
        .join(CourseType, CourseRun.course_type_id == CourseType.id)
        .where(among(CourseRun.id, select(sessions.c.run_id).distinct()))
    )
    if by_type:
        runs = runs.where(CourseRun.course_type_id.in_(bindparam("mark_type_ids", expanding=True)))
    own_runs = runs.cte("own_runs").prefix_with("MATERIALIZED")
    is_present = own_marks.c.status == AttendanceStatus.PRESENT
    per_run = sa.case((own_runs.c.allows_makeup, sa.null()), else_=own_runs.c.id)
    ranked = (
        select(
            own_marks.c.user_id,
            own_marks.c.status,
            sessions.c.id.label("session_id"),
            sessions.c.starts_at,
            own_runs.c.id.label("run_id"),
            own_runs.c.title,
            sessions.c.theme_id,
            own_runs.c.course_type_id,
            is_present.label("is_present"),
            sa.func.row_number()
            .over(
                partition_by=(
                    own_marks.c.user_id,
                    own_runs.c.course_type_id,
                    sessions.c.theme_id,
                    per_run,
                    is_present,
                ),
                order_by=(sessions.c.starts_at, sessions.c.id),
            )
            .label("first_rank"),
            sa.func.row_number()
            .over(
                partition_by=(own_marks.c.user_id, own_runs.c.course_type_id, sessions.c.theme_id),
                order_by=(sessions.c.starts_at.desc(), sessions.c.id.desc()),
            )
            .label("latest_rank"),
        )
        .join(sessions, own_marks.c.session_id == sessions.c.id)
        .join(own_runs, sessions.c.run_id == own_runs.c.id)
    )
    marks = ranked.subquery("ranked_marks")
    return select(
        marks.c.user_id,
        marks.c.status,
        marks.c.session_id,
        marks.c.starts_at,
        marks.c.run_id,
        marks.c.title,
        marks.c.theme_id,
        marks.c.course_type_id,
        sa.cast(sa.null(), sa.Boolean).label("whole_run"),  # None: a mark (see progress_for_users)
    ).where(sa.or_(marks.c.latest_rank == 1, sa.and_(marks.c.is_present, marks.c.first_rank == 1)))


@functools.cache
def _facts_statement(by_type: bool) -> sa.CompoundSelect[Any]:
    """The marks and the sign-ups of the bound persons in one statement, built once: a sign-up
    row has `whole_run` (True or False), a mark row None there. With `by_type`, only those of
    the bound course types."""
    signed_up = enrollment_queries.signup_persons()
    enrol_stmt = (
        select(
            signed_up.c.user_id,
            sa.null(),
            sa.null(),
            sa.null(),
            signed_up.c.run_id,
            sa.null(),
            sa.null(),
            CourseRun.course_type_id,
            signed_up.c.whole_run,
        )
        .join(CourseRun, signed_up.c.run_id == CourseRun.id)
        .where(signed_up.c.user_id.in_(bindparam("signup_user_ids", expanding=True)))
    )
    if by_type:
        enrol_stmt = enrol_stmt.where(
            CourseRun.course_type_id.in_(bindparam("signup_type_ids", expanding=True))
        )
    return sa.union_all(_counted_marks(by_type), enrol_stmt)


@functools.cache
def _completions_statement() -> sa.Select[Any]:
    # The certificates come joined to their completion: one statement, not two.
    return (
        select(Completion)
        .outerjoin(Completion.certificates)
        .where(Completion.user_id.in_(bindparam("user_ids", expanding=True)))
        .options(contains_eager(Completion.certificates))
        .order_by(Completion.id, Certificate.id)
    )


@functools.cache
def _types_statement() -> sa.Select[Any]:
    return (
        select(CourseType)
        .where(CourseType.id.in_(bindparam("type_ids", expanding=True)))
        .options(joinedload(CourseType.themes))
    )


def progress_for_users(
    user_ids: list[int], *, course_type_ids: list[int] | None = None
) -> dict[int, list[CourseProgress]]:
    """Return each user's progress per course type they take part in (fixed number of queries)."""
    result: dict[int, list[CourseProgress]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return result
    values: dict[str, list[int]] = {"mark_user_ids": list(user_ids), "signup_user_ids": list(user_ids)}
    if course_type_ids is not None:
        values |= {"mark_type_ids": list(course_type_ids), "signup_type_ids": list(course_type_ids)}
    rows = db.session.execute(_facts_statement(course_type_ids is not None), values)
    facts: dict[tuple[int, int], list[MarkFact]] = defaultdict(list)
    home_runs: dict[tuple[int, int], set[int]] = defaultdict(set)
    for row in rows:
        if row.whole_run is None:
            fact = MarkFact(*row[:8])
            facts[(fact.user_id, fact.course_type_id)].append(fact)
        else:
            user_id, run_id, type_id = row[0], row[4], row[7]
            home_runs[(user_id, type_id)]  # noqa: B018 - taking part at all makes the type show
            if row.whole_run:
                home_runs[(user_id, type_id)].add(run_id)
    completions = {
        (c.user_id, c.course_type_id): c
        for c in db.session.scalars(_completions_statement(), {"user_ids": list(user_ids)}).unique()
    }
    if course_type_ids is not None:
        completions = {k: v for k, v in completions.items() if k[1] in course_type_ids}
    keys = set(facts) | set(home_runs) | set(completions)
    types = {
        t.id: t
        for t in db.session.scalars(_types_statement(), {"type_ids": sorted({k[1] for k in keys})}).unique()
    }
    for user_id, type_id in sorted(keys, key=lambda k: (k[0], types[k[1]].name)):
        progress = evaluate_rule(
            types[type_id], facts.get((user_id, type_id), []), home_runs.get((user_id, type_id), set())
        )
        progress.completion = completions.get((user_id, type_id))
        if progress.completion is not None:
            progress.certificates = list(progress.completion.certificates)
        result[user_id].append(progress)
    return result


@functools.cache
def _upcoming_statement() -> sa.Select[*tuple[Any, ...]]:
    """The sessions not yet started that the bound household's adults take part in, the first
    bound `limit` of them, built once (values bound at execution).

    The household's confirmed sign-ups (`ix_enrollments_household_id`), the sessions of their runs
    (a make-up: its one session), each with its run's title and the person's advance notice
    joined. A make-up sign-up belongs to the run of its session, so the sessions are found by
    run, without enrollment's `OR` across the session and sign-up tables.
    """
    return (
        select(
            CourseSession.id,
            CourseSession.title,
            CourseSession.starts_at,
            CourseRun.title,
            User.id,
            User.full_name,
            AbsenceNotice.id,
            AbsenceNotice.reported_at,
            AbsenceNotice.reason,
        )
        .select_from(Enrollment)
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .join(
            CourseSession,
            and_(
                CourseSession.run_id == Enrollment.run_id,
                enrollment_queries.takes_part_in(CourseSession.id),
            ),
        )
        .join(CourseRun, CourseRun.id == CourseSession.run_id)
        .join(User, User.id == EnrollmentPerson.user_id)
        .outerjoin(
            AbsenceNotice,
            and_(AbsenceNotice.session_id == CourseSession.id, AbsenceNotice.user_id == User.id),
        )
        .where(
            Enrollment.household_id == bindparam("household_id"),
            Enrollment.status == EnrollmentStatus.CONFIRMED,
            CourseSession.starts_at > bindparam("now"),
            CourseSession.status == SessionStatus.SCHEDULED,
        )
        .order_by(CourseSession.starts_at, User.full_name)
        .limit(bindparam("limit"))
    )


@dataclass(frozen=True)
class UpcomingSession:
    """One coming session of one adult of the household, with their advance notice if any.

    Plain columns, not ORM objects: the page lists up to 30 of them and reads nothing else.
    """

    session_id: int
    session_title: str
    starts_at: datetime
    run_title: str
    user_id: int
    user_name: str
    notice_id: int | None
    notice_reported_at: datetime | None
    notice_reason: str | None


@dataclass(frozen=True)
class ProgressAdult:
    """An adult of a household as the family's progress page shows them (not an ORM object)."""

    id: int
    full_name: str
    household_id: int


@functools.cache
def _adults_and_upcoming_statement() -> Executable:
    """`adults_and_upcoming`'s statement, built once: the coming sessions as
    `_upcoming_statement` chooses them (part 0), then the household's adults (part 1: the
    person's columns only), each part in its order."""
    coming = _upcoming_statement().subquery("coming")
    empty = [sa.null()] * 4
    rows = sa.union_all(
        select(coming, written(0, sa.Integer()).label("part")),
        select(*empty, User.id, User.full_name, *empty[:3], written(1, sa.Integer())).where(
            User.household_id == bindparam("household_id")
        ),
    ).subquery("household_rows")
    # The coming sessions in their statement's order (by start, then name); the adults by name.
    return select(rows).order_by(rows.c.part, rows.c.starts_at, rows.c.full_name, rows.c.id_1)


def adults_and_upcoming(
    household_id: int, *, now: datetime, limit: int = 30
) -> tuple[list[ProgressAdult], list[UpcomingSession]]:
    """Return the household's adults by name (a `ProgressAdult` each) and the first
    `limit` sessions not yet started that they take part in (`_upcoming_statement`): one
    statement, not two (the family's progress page asks for both)."""
    values = {"household_id": household_id, "now": now, "limit": limit}
    adults: list[ProgressAdult] = []
    upcoming: list[UpcomingSession] = []
    for row in db.session.execute(_adults_and_upcoming_statement(), values):
        if row.part == 0:
            upcoming.append(UpcomingSession(*row[:9]))
        else:
            adults.append(ProgressAdult(row[4], row[5], household_id))
    return adults, upcoming
