"""Reads of the evaluations area: listings of forms and evaluations."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import User
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.courses.models import CourseSession, CourseType
from coursehub.enrollment.models import Enrollment, EnrollmentPerson
from coursehub.evaluations.models import CourseTypeForm, Evaluation, EvaluationForm, FormPurpose, Response
from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate

PER_PAGE = 25


def forms_page(*, page: int) -> Page:
    """Return a page of forms by name, each with its versions loaded."""
    stmt = (
        select(EvaluationForm)
        .options(selectinload(EvaluationForm.versions))
        .order_by(EvaluationForm.name, EvaluationForm.id)
    )
    return paginate(stmt, page, PER_PAGE)


def course_type_form(course_type_id: int) -> EvaluationForm | None:
    """Return the form a course type's runs are evaluated with, if it has one."""
    return db.session.scalar(
        select(EvaluationForm)
        .join(CourseTypeForm, CourseTypeForm.form_id == EvaluationForm.id)
        .where(CourseTypeForm.course_type_id == course_type_id)
    )


def run_evaluation(run_id: int) -> Evaluation | None:
    """Return a run's evaluation, if one was opened."""
    return db.session.scalar(select(Evaluation).where(Evaluation.run_id == run_id))


def run_attendees(run_id: int) -> list[User]:
    """Return the people of a run's own sign-ups who were present at one of its meetings at least.

    Make-up visitors from other runs (a sign-up to one session) are not the run's participants.
    """
    attended = (
        select(AttendanceMark.user_id)
        .join(CourseSession, CourseSession.id == AttendanceMark.session_id)
        .join(Enrollment, Enrollment.run_id == CourseSession.run_id)
        .join(
            EnrollmentPerson,
            (EnrollmentPerson.enrollment_id == Enrollment.id)
            & (EnrollmentPerson.user_id == AttendanceMark.user_id),
        )
        .where(
            CourseSession.run_id == run_id,
            AttendanceMark.status == AttendanceStatus.PRESENT,
            Enrollment.makeup_session_id.is_(None),
        )
    )
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(attended), User.deactivated_at.is_(None)).order_by(User.id)
        )
    )


def answered_count(evaluation_id: int) -> int:
    """Return how many have answered an evaluation."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Response).where(Response.evaluation_id == evaluation_id)
        )
        or 0
    )


def course_type_forms() -> dict[int, int]:
    """Return the form id of each course type that has one."""
    rows = db.session.execute(select(CourseTypeForm.course_type_id, CourseTypeForm.form_id))
    return {row.course_type_id: row.form_id for row in rows}


def course_forms() -> list[EvaluationForm]:
    """Return the forms for course evaluations, by name."""
    return list(
        db.session.scalars(
            select(EvaluationForm)
            .where(EvaluationForm.purpose == FormPurpose.COURSE)
            .order_by(EvaluationForm.name)
        )
    )


def course_types() -> list[CourseType]:
    """Return every course type, by name."""
    return list(db.session.scalars(select(CourseType).order_by(CourseType.name)))
