"""The staff's start page: what needs action now, item by item.

`action_counts` counts every item in one statement (the menu shows their sum on every staff
page); `action_rows` gives the oldest or most urgent few rows of each item, one statement per
item. Both run a fixed number of statements whatever the amount of history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Select, func, select

from coursehub.accounts.models import Household, Municipality, User
from coursehub.attendance.models import AttendanceMark
from coursehub.courses.models import CourseRun, CourseSession, RunStatus, SessionStatus
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import ACTIVE, Enrollment, EnrollmentStatus
from coursehub.evaluations.models import Evaluation, Response
from coursehub.extensions import db
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
    """The time the items are judged at: now (UTC) and today's local date (for date deadlines)."""

    now: datetime
    today: date


@dataclass(frozen=True)
class ActionRow:
    """One row of an item: what it is about, a detail, a time to show, and the ids its link needs."""

    title: str
    detail: str
    at: datetime | date | None
    ids: dict[str, int]
    numbers: tuple[int, ...] = ()


# -- the conditions, each once ---------------------------------------------------------------------


def _late_cases(moment: Moment) -> ColumnElement[bool]:
    return sa.and_(
        Case.closed_at.is_(None),
        Case.withdrawn_at.is_(None),
        Case.first_contact_at.is_(None),
        Case.first_contact_due_on < moment.today,
    )


def _waiting_approval() -> ColumnElement[bool]:
    return sa.and_(Enrollment.needs_approval.is_(True), Enrollment.status.in_(ACTIVE))


def _lapsing_offers(moment: Moment) -> ColumnElement[bool]:
    return sa.and_(
        Enrollment.status == EnrollmentStatus.OFFERED,
        Enrollment.offer_expires_at > moment.now,
        Enrollment.offer_expires_at <= moment.now + OFFER_LAPSE_WITHIN,
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


def _runs_short(moment: Moment) -> ColumnElement[bool]:
    return sa.and_(
        CourseRun.status == RunStatus.PUBLISHED,
        CourseRun.starts_at > moment.now,
        CourseRun.starts_at <= moment.now + RUN_STARTS_WITHIN,
        sa.or_(
            CourseRun.seats_taken < CourseRun.capacity,
            sa.and_(
                CourseRun.min_participants.is_not(None), _confirmed_persons() < CourseRun.min_participants
            ),
        ),
    )


def _sessions_unmarked(moment: Moment) -> ColumnElement[bool]:
    # Someone confirmed for the whole run, or for this one session as a make-up: both are rows of
    # the session's run in signup_persons, so the run's index finds them.
    persons = enrollment_queries.signup_persons()
    has_mark = select(AttendanceMark.id).where(AttendanceMark.session_id == CourseSession.id).exists()
    has_people = (
        select(persons.c.user_id)
        .where(
            persons.c.run_id == CourseSession.run_id,
            sa.or_(persons.c.whole_run.is_(True), persons.c.makeup_session_id == CourseSession.id),
        )
        .exists()
    )
    in_running_run = (
        select(CourseRun.id)
        .where(CourseRun.id == CourseSession.run_id, CourseRun.status == RunStatus.PUBLISHED)
        .correlate_except(CourseRun)  # the row query joins the run too
        .exists()
    )
    return sa.and_(
        CourseSession.status == SessionStatus.SCHEDULED,
        CourseSession.ends_at <= moment.now,
        in_running_run,
        ~has_mark,
        has_people,
    )


def _answered() -> sa.ScalarSelect[Any]:
    return (
        select(func.count())
        .select_from(Response)
        .where(Response.evaluation_id == Evaluation.id)
        .correlate(Evaluation)
        .scalar_subquery()
    )


def _evaluations_low(moment: Moment) -> ColumnElement[bool]:
    return sa.and_(
        Evaluation.closed_at.is_(None),
        Evaluation.opens_at <= moment.now,
        Evaluation.closes_at > moment.now,
        Evaluation.closes_at <= moment.now + EVALUATION_CLOSES_WITHIN,
        Evaluation.invited_count > 0,
        _answered() < Evaluation.invited_count * LOW_RESPONSE_RATE,
    )


def _failed_mail() -> ColumnElement[bool]:
    return sa.and_(OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None))


# -- the counts, in one statement ------------------------------------------------------------------


def _count(entity: Any, condition: ColumnElement[bool]) -> sa.ScalarSelect[Any]:
    # Each count stands alone: nothing to correlate with in the statement that holds them all.
    return select(func.count()).select_from(entity).where(condition).correlate(None).scalar_subquery()


def action_counts(moment: Moment) -> dict[str, int]:
    """Return how many of each item need action now (one statement)."""
    counts: dict[str, sa.ScalarSelect[Any]] = {
        "cases": _count(Case, _late_cases(moment)),
        "approvals": _count(Enrollment, _waiting_approval()),
        "offers": _count(Enrollment, _lapsing_offers(moment)),
        "runs": _count(CourseRun, _runs_short(moment)),
        "attendance": _count(CourseSession, _sessions_unmarked(moment)),
        "evaluations": _count(Evaluation, _evaluations_low(moment)),
        "outbox": _count(OutboxMessage, _failed_mail()),
    }
    row = db.session.execute(select(*(value.label(key) for key, value in counts.items()))).one()
    return {key: int(getattr(row, key) or 0) for key in ITEMS}


# -- the first rows of each item -------------------------------------------------------------------


def _participant_name() -> ColumnElement[Any]:
    household = select(Household.name).where(Household.id == Enrollment.household_id).scalar_subquery()
    person = select(User.full_name).where(User.id == Enrollment.professional_id).scalar_subquery()
    return func.coalesce(household, person, "")


def _enrollment_rows(condition: ColumnElement[bool], order: Any, at: Any) -> Select[Any]:
    # The first few sign-ups are found before the join: else PostgreSQL joins every waiting
    # sign-up (650 at national scale) to a hash of every run to keep five.
    first = select(Enrollment.id).where(condition).order_by(order, Enrollment.id).limit(ROWS_PER_ITEM)
    return (
        select(
            Enrollment.id,
            Enrollment.run_id,
            _participant_name().label("name"),
            CourseRun.title,
            at.label("at"),
        )
        .join(CourseRun, CourseRun.id == Enrollment.run_id)
        .where(Enrollment.id.in_(first.scalar_subquery()))
        .order_by(order, Enrollment.id)
    )


def action_rows(moment: Moment) -> dict[str, list[ActionRow]]:
    """Return the oldest or most urgent ROWS_PER_ITEM rows of each item (one statement per item)."""
    rows: dict[str, list[ActionRow]] = {}
    cases = db.session.execute(
        select(Case.id, Case.reference, Case.first_contact_due_on, Municipality.name)
        .join(Municipality, Municipality.id == Case.municipality_id)
        .where(_late_cases(moment))
        .order_by(Case.first_contact_due_on, Case.id)
        .limit(ROWS_PER_ITEM)
    ).all()
    rows["cases"] = [
        ActionRow(row.reference or str(row.id), row.name, row.first_contact_due_on, {"case_id": row.id})
        for row in cases
    ]
    for key, condition, order, at in (
        ("approvals", _waiting_approval(), Enrollment.created_at, Enrollment.created_at),
        ("offers", _lapsing_offers(moment), Enrollment.offer_expires_at, Enrollment.offer_expires_at),
    ):
        found = db.session.execute(_enrollment_rows(condition, order, at)).all()
        rows[key] = [ActionRow(row.name, row.title, row.at, {"run_id": row.run_id}) for row in found]
    confirmed = _confirmed_persons().label("confirmed")
    runs = db.session.execute(
        select(
            CourseRun.id,
            CourseRun.title,
            CourseRun.starts_at,
            CourseRun.capacity,
            CourseRun.seats_taken,
            CourseRun.min_participants,
            confirmed,
        )
        .where(_runs_short(moment))
        .order_by(CourseRun.starts_at, CourseRun.id)
        .limit(ROWS_PER_ITEM)
    ).all()
    rows["runs"] = [
        ActionRow(
            row.title,
            "",
            row.starts_at,
            {"run_id": row.id},
            (max(row.capacity - row.seats_taken, 0), row.confirmed, row.min_participants or 0),
        )
        for row in runs
    ]
    sessions = db.session.execute(
        select(
            CourseSession.id, CourseSession.title, CourseSession.ends_at, CourseRun.title.label("run_title")
        )
        .join(CourseRun, CourseRun.id == CourseSession.run_id)
        .where(_sessions_unmarked(moment))
        .order_by(CourseSession.ends_at, CourseSession.id)
        .limit(ROWS_PER_ITEM)
    ).all()
    rows["attendance"] = [
        ActionRow(row.run_title, row.title, row.ends_at, {"session_id": row.id}) for row in sessions
    ]
    answered = _answered().label("answered")
    evaluations = db.session.execute(
        select(
            Evaluation.id,
            Evaluation.run_id,
            Evaluation.title,
            Evaluation.closes_at,
            Evaluation.invited_count,
            answered,
        )
        .where(_evaluations_low(moment))
        .order_by(Evaluation.closes_at, Evaluation.id)
        .limit(ROWS_PER_ITEM)
    ).all()
    rows["evaluations"] = [
        ActionRow(
            row.title,
            "",
            row.closes_at,
            {"run_id": row.run_id} if row.run_id is not None else {},
            (row.answered, row.invited_count),
        )
        for row in evaluations
    ]
    messages = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.subject, OutboxMessage.failed_at)
        .where(_failed_mail())
        .order_by(OutboxMessage.failed_at, OutboxMessage.id)
        .limit(ROWS_PER_ITEM)
    ).all()
    rows["outbox"] = [ActionRow(row.subject, "", row.failed_at, {"message_id": row.id}) for row in messages]
    return rows
