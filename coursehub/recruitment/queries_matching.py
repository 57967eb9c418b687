"""Reads of the presentation, request, offer and match pages: a fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coursehub.accounts.models import User
from coursehub.attendance.queries.progress import CourseProgress, progress_for_users
from coursehub.enrollment import queries as enrollment_queries
from coursehub.enrollment.models import Enrollment
from coursehub.extensions import db
from coursehub.lib.pagination import Page, paginate
from coursehub.recruitment.models import (
    Case,
    Match,
    Offer,
    Placement,
    Presentation,
    PresentationVersion,
    Request,
    RequestStatus,
)
from coursehub.recruitment.models.households import CaseHousehold

PER_PAGE = 25


def requests_page(*, municipality_id: int | None, page: int, per_page: int = PER_PAGE) -> Page:
    """Requests, open ones first and newest first; one municipality's, or all (staff)."""
    stmt = (
        select(Request)
        .options(selectinload(Request.municipality))
        .order_by(
            sql_case((Request.status == RequestStatus.OPEN, 0), else_=1),
            Request.created_at.desc(),
            Request.id.desc(),
        )
    )
    if municipality_id is not None:
        stmt = stmt.where(Request.municipality_id == municipality_id)
    return paginate(stmt, page, per_page)


def offers_of_request(request_id: int) -> list[Offer]:
    """The offers made for one request, oldest first, with their cases."""
    return list(
        db.session.scalars(
            select(Offer)
            .where(Offer.request_id == request_id)
            .options(selectinload(Offer.case).selectinload(Case.municipality))
            .order_by(Offer.offered_at, Offer.id)
        )
    )


def offers_of_case(case_id: int) -> list[Offer]:
    """The offers made of one family, newest first, with their requests."""
    return list(
        db.session.scalars(
            select(Offer)
            .where(Offer.case_id == case_id)
            .options(selectinload(Offer.request).selectinload(Request.municipality))
            .order_by(Offer.offered_at.desc(), Offer.id.desc())
        )
    )


def match_of_request(request_id: int) -> Match | None:
    """The match made for a request, if any."""
    return db.session.scalar(select(Match).where(Match.request_id == request_id))


def match_of_case(case_id: int) -> Match | None:
    """The family's match, if it has one."""
    return db.session.scalar(
        select(Match)
        .where(Match.case_id == case_id)
        .options(selectinload(Match.municipality))
        .order_by(Match.id.desc())
    )


def placements_of(case_id: int) -> list[Placement]:
    """The family's placements from other municipalities, current ones first."""
    return list(
        db.session.scalars(
            select(Placement)
            .where(Placement.case_id == case_id)
            .options(selectinload(Placement.municipality))
            .order_by(Placement.ended_on.is_not(None), Placement.id)
        )
    )


def approved_version(presentation: Presentation | None) -> PresentationVersion | None:
    """The version of the presentation the family approved, if it has approved one."""
    if presentation is None or presentation.approved_version_id is None:
        return None
    return db.session.get(PresentationVersion, presentation.approved_version_id)


@dataclass
class CourseStatus:
    """A recruited family in the courses: its household, sign-ups and each adult's progress."""

    link: CaseHousehold | None
    enrollments: list[Enrollment] = field(default_factory=list)
    progress: dict[User, list[CourseProgress]] = field(default_factory=dict)


def course_status(case_id: int) -> CourseStatus:
    """Return the family's household, its sign-ups and progress (nothing while not in the courses)."""
    link = db.session.scalar(
        select(CaseHousehold)
        .where(CaseHousehold.case_id == case_id)
        .options(selectinload(CaseHousehold.household), selectinload(CaseHousehold.municipality))
    )
    if link is None:
        return CourseStatus(None)
    enrollments = enrollment_queries.household_enrollments(link.household_id, page=1, per_page=20).items
    adults = list(link.household.adults)
    progress = progress_for_users([adult.id for adult in adults])
    return CourseStatus(link, enrollments, {adult: progress.get(adult.id, []) for adult in adults})
