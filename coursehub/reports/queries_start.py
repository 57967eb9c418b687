"""The staff's start page: what needs action now, item by item.

`action_counts` counts every item in one statement, and `action_count_facts` has the same counts
taken in the statement that loads a staff member (the menu shows their sum on every staff page);
`action_rows` gives the oldest or most urgent few rows of each item, every item's in one
statement. Both run a fixed number of statements whatever the amount of history.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Select, func, select

from coursehub.accounts.models import Household, Municipality, User
from coursehub.attendance import queries as attendance_queries
from coursehub.courses.models import CourseRun, CourseSession, RunStatus
from coursehub.db import UTCDateTime
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import Enrollment, EnrollmentStatus
from coursehub.evaluations.models import Evaluation, Response
from coursehub.extensions import db
from coursehub.lib.sqlconst import start_of_minute, written
from coursehub.lib.sqlfind import among
from coursehub.notifications.models import OutboxMessage
from coursehub.recruitment.models import Case

ROWS_PER_ITEM = 5
OFFER_LAPSE_WITHIN = timedelta(hours=48)
RUN_STARTS_WITHIN = timedelta(days=14)
EVALUATION_CLOSES_WITHIN = timedelta(days=7)
# An evaluation closing soon needs a nudge while fewer than this share of those asked have answered.
LOW_RESPONSE_RATE = 0.5

# The items, in the order the page shows them.
ITEMS = ("cases", "approvals", "offers", "runs", "attendance", "evaluations", "outbox")


@dataclass(frozen=True)
class Moment:
    """The time the items are judged at: now (UTC) and today's local date (for date deadlines).

    `Moment.at` makes one for the start of the current minute, which is what the page and the
    menu judge by (see `_Bounds`): what became due less than a minute ago shows at the next minute.
    """

    now: datetime
    today: date

    @classmethod
    def at(cls, now: datetime, today: date) -> Moment:
        """The moment of the minute `now` falls in; `today` is the local date of `now`."""
        return cls(now=start_of_minute(now), today=today)


@dataclass(frozen=True)
class ActionRow:
    """One row of an item: what it is about, a detail, a time to show, and the ids its link needs."""

    title: str
    detail: str
    at: datetime | date | None
    ids: dict[str, int]
    numbers: tuple[int, ...] = ()


# -- the conditions, each once ---------------------------------------------------------------------
#
# Every statement is built once, with the moment as bound parameters (`_AT`), and run with the
# moment's values (`values_at`): building them (signup_persons above all) cost more CPU than the
# database spent on them, on every staff page.


class _Bounds:
    """The moment's bounds as parameters written into the SQL when the statement runs (untyped:
    each takes the type of its column).

    Written, not bound: bound, PostgreSQL planned the menu's count anew for each request (a custom
    plan for each moment; the bind took 1.7-2.1 ms of the 3 ms the count cost on every staff page
    at national scale, `log_min_duration_statement` on the bench). The moment is a whole minute
    (`Moment.at`), so the statement's text stays the same for a minute: psycopg prepares it after
    five runs and PostgreSQL plans it once, as a statement without parameters.
    """

    now: Any = sa.bindparam("now", literal_execute=True)
    today: Any = sa.bindparam("today", literal_execute=True)
    offers_until: Any = sa.bindparam("offers_until", literal_execute=True)
    runs_until: Any = sa.bindparam("runs_until", literal_execute=True)
    evaluations_until: Any = sa.bindparam("evaluations_until", literal_execute=True)


_AT = _Bounds()


def values_at(moment: Moment) -> dict[str, Any]:
    """The values of `_AT`'s parameters at `moment`."""
    return {
        "now": moment.now,
        "today": moment.today,
        "offers_until": moment.now + OFFER_LAPSE_WITHIN,
        "runs_until": moment.now + RUN_STARTS_WITHIN,
        "evaluations_until": moment.now + EVALUATION_CLOSES_WITHIN,
    }


# The published status as a literal in the SQL, for the planner's statistics even in a generic plan
# (written at compile time: a literal_execute parameter cost some 18 calls on each run).
_PUBLISHED: ColumnElement[Any] = written(RunStatus.PUBLISHED, CourseRun.status.type)
_OFFERED: ColumnElement[Any] = written(EnrollmentStatus.OFFERED, Enrollment.status.type)


def _late_cases(at: _Bounds) -> ColumnElement[bool]:
    return sa.and_(
        Case.closed_at.is_(None),
        Case.withdrawn_at.is_(None),
        Case.first_contact_at.is_(None),
        Case.first_contact_due_on < at.today,
    )


def _waiting_approval() -> ColumnElement[bool]:
    # The active statuses as literals too: with them bound, a generic plan could not prove the
    # condition implies the predicate of ix_enrollments_awaiting_approval (enrollment.models'
    # AWAITING_APPROVAL) and read every waiting sign-up through the wider index to sort them
    # (253 buffers at national scale rather than 3).
    return sa.and_(
        Enrollment.needs_approval.is_(True),
        Enrollment.status.in_(enrollment_queries.ACTIVE_WRITTEN),
    )


def _lapsing_offers(at: _Bounds) -> ColumnElement[bool]:
    return sa.and_(
        Enrollment.status == _OFFERED,
        Enrollment.offer_expires_at > at.now,
        Enrollment.offer_expires_at <= at.offers_until,
    )


def _confirmed_persons() -> sa.ScalarSelect[Any]:
    """Persons of the run's confirmed whole-run sign-ups (correlated with CourseRun)."""
    persons = enrollment_queries.signup_persons()
    return (
        select(func.count())
        .select_from(persons)
        .where(persons.c.run_id == CourseRun.id, persons.c.whole_run.is_(True))
        .correlate(CourseRun)
        .scalar_subquery()
    )


def _runs_short(at: _Bounds) -> ColumnElement[bool]:
    return sa.and_(
        CourseRun.status == _PUBLISHED,
        CourseRun.starts_at > at.now,
        CourseRun.starts_at <= at.runs_until,
        sa.or_(
            CourseRun.seats_taken < CourseRun.capacity,
            sa.and_(
                CourseRun.min_participants.is_not(None), _confirmed_persons() < CourseRun.min_participants
            ),
        ),
    )


def _sessions_unmarked(at: _Bounds) -> ColumnElement[bool]:
    # A meeting waiting for its attendance (attendance's one definition), of a running run.
    # A run's first session starts at its starts_at (kept by courses' services), so only runs that
    # have begun can have a session that ended: the index on (status, starts_at) finds the running
    # runs, and only their sessions are read (lib.sqlfind.among: their ids handed over as one
    # array, looked up in the sessions' run index), not those of every run ever held.
    # As a correlated EXISTS the running runs were a semi join that PostgreSQL was free to hash: it
    # took nearly every published run for a running one (its statistics know the status and the
    # start apart, and almost every run began long ago) and read every session ever held to find
    # theirs (a county's ten years: 4,051 sessions, 0.9 ms of the count on every staff page, and
    # growing each year).
    # The status is written into the SQL (`_PUBLISHED`), not bound: psycopg prepares a statement
    # run five times, and PostgreSQL's generic plan for it then knew neither status nor time.
    # Unmarked is read from ix_course_sessions_unmarked; as an anti join with the marks it read
    # every ended session of every running run and looked each up among all the marks ever
    # recorded (national bench: 169 sessions, 629 buffers, 0.5 ms).
    running_runs = (
        select(CourseRun.id)
        .where(CourseRun.status == _PUBLISHED, CourseRun.starts_at <= at.now)
        .correlate(None)  # the running runs whatever the enclosing statement reads
    )
    return sa.and_(attendance_queries.waits_for_attendance(at.now), among(CourseSession.run_id, running_runs))


def _answered() -> sa.ScalarSelect[Any]:
    return (
        select(func.count())
        .select_from(Response)
        .where(Response.evaluation_id == Evaluation.id)
        .correlate(Evaluation)
        .scalar_subquery()
    )


def _evaluations_low(at: _Bounds) -> ColumnElement[bool]:
    return sa.and_(
        Evaluation.closed_at.is_(None),
        Evaluation.opens_at <= at.now,
        Evaluation.closes_at > at.now,
        Evaluation.closes_at <= at.evaluations_until,
        Evaluation.invited_count > written(0, sa.Integer()),
        _answered() < Evaluation.invited_count * written(LOW_RESPONSE_RATE, sa.Numeric()),
    )


def _failed_mail() -> ColumnElement[bool]:
    # Not one whose text retention dropped (notifications.services.drop_mail_bodies): it cannot be
    # sent again, so nothing is left to do about it.
    return sa.and_(
        OutboxMessage.failed_at.is_not(None),
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.body_dropped_at.is_(None),
    )


# -- the counts, in one statement ------------------------------------------------------------------


def _count(entity: Any, condition: ColumnElement[bool]) -> sa.ScalarSelect[Any]:
    # Each count stands alone: nothing to correlate with in the statement that holds them all.
    return select(func.count()).select_from(entity).where(condition).correlate(None).scalar_subquery()


@functools.cache
def _counts() -> dict[str, sa.ScalarSelect[Any]]:
    # Built once: the counts' statement and each of the seven user facts take theirs from here.
    return {
        "cases": _count(Case, _late_cases(_AT)),
        "approvals": _count(Enrollment, _waiting_approval()),
        "offers": _count(Enrollment, _lapsing_offers(_AT)),
        "runs": _count(CourseRun, _runs_short(_AT)),
        "attendance": _count(CourseSession, _sessions_unmarked(_AT)),
        "evaluations": _count(Evaluation, _evaluations_low(_AT)),
        "outbox": _count(OutboxMessage, _failed_mail()),
    }


@functools.cache
def _counts_statement() -> Select[Any]:
    return select(*(value.label(key) for key, value in _counts().items()))


def action_counts(moment: Moment) -> dict[str, int]:
    """Return how many of each item need action now (one statement)."""
    row = db.session.execute(_counts_statement(), values_at(moment)).one()
    return {key: int(getattr(row, key) or 0) for key in ITEMS}


# The user facts (lib.user_facts) that hold each item's count for staff, by item.
ACTION_FACTS = {item: f"reports_action_{item}" for item in ITEMS}


def action_count_facts() -> dict[str, Callable[[], ColumnElement[int]]]:
    """Each item's count as a user fact, by the fact's name (`ACTION_FACTS`).

    The menu shows their sum on every staff page: as a statement of its own it cost a round trip
    and SQLAlchemy's execution of it on each (0.85 ms of an empty staff page's 2.9 at national
    scale), and the start page shows them one by one. The counts are `action_counts`' own, at the
    moment `values_at` gives (the same parameters, written into the SQL when the user statement
    runs). They are added for staff's sessions only (reports' `init_app`), so they need no test of
    the user's roles in SQL: a session whose user is no longer staff has them counted once more,
    and the pages, which ask `is_staff` first, show none of it.
    """
    return {ACTION_FACTS[item]: functools.partial(_action_fact, item) for item in ITEMS}


def _action_fact(item: str) -> ColumnElement[int]:
    return _counts()[item]


# -- the first rows of each item -------------------------------------------------------------------


def _participant_name() -> ColumnElement[Any]:
    household = select(Household.name).where(Household.id == Enrollment.household_id).scalar_subquery()
    person = select(User.full_name).where(User.id == Enrollment.professional_id).scalar_subquery()
    return func.coalesce(household, person, written("", sa.String()))


def _run_title() -> sa.ScalarSelect[Any]:
    # The session's run title for the five rows shown, rather than a join: joined, the run made
    # PostgreSQL hash every run (a sequential scan of 5,000 at national scale) to match the few
    # running ones that in_running_run's index finds anyway.
    return select(CourseRun.title).where(CourseRun.id == CourseSession.run_id).scalar_subquery()


# The number of rows written in too: with anything bound, PostgreSQL planned most of the rows'
# statements anew on every visit (0.4-0.7 ms of bind each at national scale).
_ROWS: ColumnElement[Any] = written(ROWS_PER_ITEM, sa.Integer())


def _enrollment_rows(condition: ColumnElement[bool], order: Any, at: Any) -> Select[Any]:
    # The first few sign-ups are found before the join: else PostgreSQL joins every waiting
    # sign-up (650 at national scale) to a hash of every run to keep five.
    first = select(Enrollment.id).where(condition).order_by(order, Enrollment.id).limit(_ROWS)
    return (
        select(
            Enrollment.id,
            Enrollment.run_id,
            _participant_name().label("title"),
            CourseRun.title.label("detail"),
            at.label("at"),
        )
        .join(CourseRun, CourseRun.id == Enrollment.run_id)
        .where(Enrollment.id.in_(first.scalar_subquery()))
        .order_by(order, Enrollment.id)
    )


@functools.cache
def _row_statements() -> dict[str, Select[Any]]:
    """Each item's statement for its first rows, built once (the moment is written in as each runs)."""
    return {
        "cases": select(
            Case.id,
            Case.reference.label("title"),
            Municipality.name.label("detail"),
            Case.first_contact_due_on.label("due_on"),
        )
        .join(Municipality, Municipality.id == Case.municipality_id)
        .where(_late_cases(_AT))
        .order_by(Case.first_contact_due_on, Case.id)
        .limit(_ROWS),
        "approvals": _enrollment_rows(_waiting_approval(), Enrollment.created_at, Enrollment.created_at),
        "offers": _enrollment_rows(
            _lapsing_offers(_AT), Enrollment.offer_expires_at, Enrollment.offer_expires_at
        ),
        "runs": select(
            CourseRun.id,
            CourseRun.id.label("run_id"),
            CourseRun.title,
            CourseRun.starts_at.label("at"),
            (CourseRun.capacity - CourseRun.seats_taken).label("n1"),
            _confirmed_persons().label("n2"),
            CourseRun.min_participants.label("n3"),
        )
        .where(_runs_short(_AT))
        .order_by(CourseRun.starts_at, CourseRun.id)
        .limit(_ROWS),
        "attendance": select(
            CourseSession.id,
            _run_title().label("title"),
            CourseSession.title.label("detail"),
            CourseSession.ends_at.label("at"),
        )
        .where(_sessions_unmarked(_AT))
        .order_by(CourseSession.ends_at, CourseSession.id)
        .limit(_ROWS),
        "evaluations": select(
            Evaluation.id,
            Evaluation.run_id,
            Evaluation.title,
            Evaluation.closes_at.label("at"),
            _answered().label("n1"),
            Evaluation.invited_count.label("n2"),
        )
        .where(_evaluations_low(_AT))
        .order_by(Evaluation.closes_at, Evaluation.id)
        .limit(_ROWS),
        "outbox": select(
            OutboxMessage.id, OutboxMessage.subject.label("title"), OutboxMessage.failed_at.label("at")
        )
        .where(_failed_mail())
        .order_by(OutboxMessage.failed_at, OutboxMessage.id)
        .limit(_ROWS),
    }


# The columns every item's rows are read in, so that the seven items come in one statement; an
# item without a column has a NULL cast to the column's type there (PostgreSQL matches a union's
# columns by type, and SQLite's text comes back as a date or a time).
_SHARED: dict[str, Any] = {
    "id": sa.Integer(),
    "run_id": sa.Integer(),
    "title": sa.String(),
    "detail": sa.String(),
    "due_on": sa.Date(),
    "at": UTCDateTime(),
    "n1": sa.Integer(),
    "n2": sa.Integer(),
    "n3": sa.Integer(),
}


@functools.cache
def _rows_statement() -> Select[Any]:
    """Every item's first rows in one statement: each item's own (`_row_statements`, with its own
    order and limit, planned as before) in the shared columns, one after the other (UNION ALL).
    Seven statements cost seven round trips and seven runs of SQLAlchemy's execution on every
    visit to the start page."""
    branches = []
    for item, statement in _row_statements().items():
        found = statement.subquery(f"{item}_rows")
        branches.append(
            select(
                written(item, sa.String()).label("item"),
                *(
                    (found.c[name] if name in found.c else sa.cast(sa.null(), type_)).label(name)
                    for name, type_ in _SHARED.items()
                ),
            )
        )
    return sa.union_all(*branches)  # type: ignore[return-value]


def action_rows(moment: Moment) -> dict[str, list[ActionRow]]:
    """Return the oldest or most urgent ROWS_PER_ITEM rows of each item (one statement)."""
    found: dict[str, list[Any]] = {item: [] for item in ITEMS}
    for row in db.session.execute(_rows_statement(), values_at(moment)):
        found[row.item].append(row)
    for listed in found.values():  # the order of each item's own statement: its time, then id
        listed.sort(key=lambda row: (row.due_on or row.at, row.id))
    rows: dict[str, list[ActionRow]] = {}
    rows["cases"] = [
        ActionRow(row.title or str(row.id), row.detail, row.due_on, {"case_id": row.id})
        for row in found["cases"]
    ]
    for key in ("approvals", "offers"):
        rows[key] = [ActionRow(row.title, row.detail, row.at, {"run_id": row.run_id}) for row in found[key]]
    rows["runs"] = [
        ActionRow(row.title, "", row.at, {"run_id": row.id}, (max(row.n1, 0), row.n2, row.n3 or 0))
        for row in found["runs"]
    ]
    rows["attendance"] = [
        ActionRow(row.title, row.detail, row.at, {"session_id": row.id}) for row in found["attendance"]
    ]
    rows["evaluations"] = [
        ActionRow(
            row.title,
            "",
            row.at,
            {"run_id": row.run_id} if row.run_id is not None else {},
            (row.n1, row.n2),
        )
        for row in found["evaluations"]
    ]
    rows["outbox"] = [ActionRow(row.title, "", row.at, {"message_id": row.id}) for row in found["outbox"]]
    return rows
