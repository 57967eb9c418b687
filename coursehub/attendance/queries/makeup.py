"""Make-up candidates: upcoming sessions in other runs for the themes a person still lacks."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import Executable, bindparam, select
from sqlalchemy.orm import joinedload

from coursehub.accounts.models import User
from coursehub.attendance.queries.progress import CourseProgress, progress_for_users
from coursehub.courses.models import (
    CourseRun,
    CourseSession,
    CourseTheme,
    RunStatus,
    SessionStatus,
)
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import ACTIVE, SEAT_HOLDING, Enrollment, EnrollmentPerson
from coursehub.extensions import db
from coursehub.lib.checks import known


class Person(Protocol):
    """A person whose make-ups are looked for: a user, or a household's adult as a page read them."""

    @property
    def id(self) -> int: ...

    @property
    def household_id(self) -> int | None: ...


# Enough choices for a person to find a date; the page stays short whatever the programme.
PER_THEME = 3
MAX_SESSIONS = 300


@dataclass(frozen=True)
class MakeupOption:
    """One session that would make up a missing theme, with the seats left at that session."""

    session: CourseSession
    seats_left: int

    @property
    def place(self) -> str:
        venue = self.session.venue or self.session.run.venue
        if venue is not None:
            return ", ".join(p for p in (venue.name, venue.address) if p)
        return ""

    @property
    def is_online(self) -> bool:
        return self.place == "" and bool(self.session.online_url or self.session.run.online_url)


@dataclass(frozen=True)
class MakeupTheme:
    """A theme one person still lacks in a course type, and where it can be made up."""

    user_id: int
    course_type_name: str
    theme_title: str
    options: list[MakeupOption]


@functools.cache
def _plans_statement() -> sa.CompoundSelect[Any]:
    """`_plans`' statement, built once (values bound at execution)."""
    whole = (
        select(
            sa.literal(True).label("is_run"),
            Enrollment.household_id.label("owner_id"),
            Enrollment.run_id.label("item_id"),
        )
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(
            Enrollment.household_id.in_(bindparam("household_ids", expanding=True)),
            Enrollment.status.in_(ACTIVE),
            Enrollment.makeup_session_id.is_(None),
        )
    )
    coming = (
        select(
            sa.literal(False).label("is_run"),
            EnrollmentPerson.user_id.label("owner_id"),
            CourseSession.theme_id.label("item_id"),
        )
        .join(Enrollment, Enrollment.id == EnrollmentPerson.enrollment_id)
        .join(
            CourseSession,
            sa.and_(
                CourseSession.run_id == Enrollment.run_id,
                enrollment_queries.takes_part_in(CourseSession.id),
            ),
        )
        .where(
            EnrollmentPerson.user_id.in_(bindparam("user_ids", expanding=True)),
            Enrollment.status.in_(ACTIVE),
            CourseSession.theme_id.is_not(None),
            CourseSession.starts_at > bindparam("now"),
            CourseSession.status == SessionStatus.SCHEDULED,
        )
    )
    return sa.union_all(whole, coming)


def _plans(users: Sequence[Person], now: datetime) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Return the runs each household is signed up for as a whole, and the themes each person
    still has an upcoming session of (in their own run or a make-up already booked).

    One statement of two indexed parts, each bounded by what the page shows rather than by the
    household's history: the households' active whole-run sign-ups (`ix_enrollments_household_id`),
    and the persons' active sign-ups (`ix_enrollment_persons_user_id`) with only their sessions
    still to come. A make-up sign-up belongs to the run of its session, so sessions are found by
    run, without enrollment's `OR` across the session and sign-up tables.
    """
    values = {
        "user_ids": [u.id for u in users],
        "household_ids": sorted({u.household_id for u in users if u.household_id is not None}),
        "now": now,
    }
    whole_runs: dict[int, set[int]] = defaultdict(set)
    planned: dict[int, set[int]] = defaultdict(set)
    rows: list[Any] = list(db.session.execute(_plans_statement(), values))
    for is_run, owner_id, item_id in rows:
        (whole_runs if is_run else planned)[owner_id].add(item_id)
    return whole_runs, planned


def _seats_held(run_ids: set[int]) -> dict[tuple[int, int | None], int]:
    """Return persons holding seats per (run, make-up session); (run, None) for whole-run sign-ups."""
    if not run_ids:
        return {}
    rows = db.session.execute(_seats_statement(), {"run_ids": sorted(run_ids)})
    return {(run_id, session_id): count for run_id, session_id, count in rows}


@functools.cache
def _seats_statement() -> Executable:
    return (
        select(Enrollment.run_id, Enrollment.makeup_session_id, sa.func.count(EnrollmentPerson.id))
        .join(EnrollmentPerson, EnrollmentPerson.enrollment_id == Enrollment.id)
        .where(
            Enrollment.run_id.in_(bindparam("run_ids", expanding=True)), Enrollment.status.in_(SEAT_HOLDING)
        )
        .group_by(Enrollment.run_id, Enrollment.makeup_session_id)
    )


@functools.cache
def _sessions_statement() -> sa.Select[Any]:
    """The coming sessions of the bound themes in published runs that a page can offer, built once.

    A person is offered the first PER_THEME sessions of a theme outside their household's own
    runs. Of the runs no household of the page takes as a whole, the first PER_THEME of each theme
    are enough; the sessions of the runs some household does take (`own_run_ids`, a few) all come
    along, since they may be offered to the other households. So the statement reads a handful of
    sessions per theme, not every coming session of the programme with its run and venues.
    """
    in_own = CourseSession.run_id.in_(bindparam("own_run_ids", expanding=True))
    ranked = (
        select(
            CourseSession.id,
            in_own.label("in_own"),
            sa.func.row_number()
            .over(
                partition_by=(CourseSession.theme_id, in_own),
                order_by=(CourseSession.starts_at, CourseSession.id),
            )
            .label("place"),
        )
        .join(CourseRun, CourseSession.run_id == CourseRun.id)
        .where(
            CourseSession.theme_id.in_(bindparam("theme_ids", expanding=True)),
            CourseSession.starts_at > bindparam("now"),
            CourseSession.status == SessionStatus.SCHEDULED,
            CourseRun.status == RunStatus.PUBLISHED,
        )
        .subquery()
    )
    return (
        select(CourseSession)
        .join(ranked, ranked.c.id == CourseSession.id)
        .where(sa.or_(ranked.c.place <= PER_THEME, ranked.c.in_own))
        .options(joinedload(CourseSession.venue), joinedload(CourseSession.run).joinedload(CourseRun.venue))
        .order_by(CourseSession.starts_at, CourseSession.id)
        .limit(MAX_SESSIONS)
    )


def makeup_candidates(
    users: Sequence[Person], progress: dict[int, list[CourseProgress]], *, now: datetime
) -> dict[int, list[MakeupTheme]]:
    """Return, per person, each missing theme of a make-up course type with sessions to book.

    At most three statements whatever the number of persons, course types and runs: none when
    nothing is lacking (a family that has completed what it took, or takes only courses without
    make-ups), one when everything lacking is planned.
    """
    result: dict[int, list[MakeupTheme]] = {u.id: [] for u in users}
    lacking: list[tuple[Person, CourseProgress, CourseTheme]] = [
        (user, course, row.theme)
        for user in users
        for course in progress.get(user.id, [])
        if not course.is_complete and course.course_type.allows_makeup
        for row in course.themes
        if row.attended is None
    ]
    if not lacking:
        return result
    whole_runs, planned = _plans(users, now)
    wanted = [(user, course, theme) for user, course, theme in lacking if theme.id not in planned[user.id]]
    theme_ids = {theme.id for _u, _c, theme in wanted}
    if not theme_ids:  # nothing lacking, or everything planned: no sessions to look for
        return result
    by_theme: dict[int, list[MakeupOption]] = defaultdict(list)
    households = {user.household_id for user, _c, _t in wanted if user.household_id is not None}
    own_runs = set().union(*(whole_runs.get(h, set()) for h in households))
    values = {"theme_ids": sorted(theme_ids), "own_run_ids": sorted(own_runs), "now": now}
    sessions = list(db.session.scalars(_sessions_statement(), values).unique())
    held = _seats_held({s.run_id for s in sessions})
    for session in sessions:
        theme_id = known(session.theme_id, "selected by theme_id IN (...) above")
        # A make-up needs a seat at its one session only (enrollment.services.common.seats_taken).
        free = (
            session.run.capacity
            - held.get((session.run_id, None), 0)
            - held.get((session.run_id, session.id), 0)
        )
        by_theme[theme_id].append(MakeupOption(session, max(free, 0)))
    for user, course, theme in wanted:
        # A person without a household is signed up for no run as a whole.
        own = whole_runs.get(user.household_id, set()) if user.household_id is not None else set()
        options = [o for o in by_theme.get(theme.id, []) if o.session.run_id not in own]
        if options:
            result[user.id].append(
                MakeupTheme(user.id, course.course_type.name, theme.title, options[:PER_THEME])
            )
    return result


def makeup_refusal(person: User, session: CourseSession, *, now: datetime) -> str | None:
    """Return why `person` may not make up a theme with `session` (in Swedish), or None.

    The rules of `makeup_candidates`: the session's theme is one the person still lacks in a course
    type that allows make-ups, and no session of that theme is already planned for them.
    """
    theme_id = session.theme_id
    course_type = session.run.course_type
    if theme_id is None or not course_type.allows_makeup:
        return str(_("Träffen går inte att använda för att ta igen ett tema."))
    progress = progress_for_users([person.id], course_type_ids=[course_type.id]).get(person.id, [])
    lacking = {
        row.theme.id
        for course in progress
        if course.course_type.id == course_type.id and not course.is_complete
        for row in course.themes
        if row.attended is None
    }
    if theme_id not in lacking:
        return str(_("Personen saknar inte träffens tema och behöver inte ta igen det."))
    _whole_runs, planned = _plans([person], now)
    if theme_id in planned[person.id]:
        return str(_("Personen har redan en kommande träff med det här temat."))
    return None
