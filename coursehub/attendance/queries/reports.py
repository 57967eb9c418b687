"""Attendance rates per run, theme and municipality, for one term.

The page asks for one half-year (the steering group follows its figures per half-year): the
marks of that term's sessions, found from the sessions' start index, so that the page costs the
same with ten years of attendance behind it as with one. Counted over all of history the rates
read every mark ever recorded (1.9 million at national scale: 880 ms a page, and its chart
counted them again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, ColumnExpressionArgument, select

from coursehub.accounts.models import Household, Municipality, User
from coursehub.attendance.models import (
    AttendanceMark,
)
from coursehub.courses.models import CourseRun, CourseSession, CourseTheme, CourseType
from coursehub.lib.pagination import Page, paginate_counted
from coursehub.lib.terms import Term

# -- rates -------------------------------------------------------------------------------------

DIMENSIONS = ("run", "theme", "municipality")


@dataclass(frozen=True)
class RateRow:
    label: str
    present: int
    absent: int
    excused: int

    @property
    def total(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def rate(self) -> float:
        return self.present / self.total if self.total else 0.0


def attendance_rates(dimension: str, *, term: Term | None = None, page: int = 1, per_page: int = 25) -> Page:
    """Return one page of attendance counts (RateRow) grouped by run, theme or municipality, of
    the sessions that start in `term` (None: every term, for checks over the whole history)."""
    status = AttendanceMark.status
    in_term = (
        ()
        if term is None
        else (CourseSession.starts_at >= term.starts_at, CourseSession.starts_at < term.ends_at)
    )

    def count(value: str) -> ColumnElement[int]:
        return sa.func.sum(sa.case((status == value, 1), else_=0))

    key: tuple[ColumnExpressionArgument[Any], ...]  # the GROUP BY columns
    order: tuple[ColumnExpressionArgument[Any], ...]  # the ORDER BY columns
    if dimension == "run":
        key = (CourseRun.id, CourseRun.title)
        order = (sa.func.min(CourseSession.starts_at), CourseRun.id)
        stmt = (
            select(CourseRun.title, count("present"), count("absent"), count("excused"))
            .select_from(AttendanceMark)
            .join(CourseSession, AttendanceMark.session_id == CourseSession.id)
            .join(CourseRun, CourseSession.run_id == CourseRun.id)
            .where(*in_term)
        )
    elif dimension == "theme":
        key = (CourseTheme.id, CourseTheme.title, CourseTheme.position, CourseType.name)
        order = (CourseType.name, CourseTheme.position)
        stmt = (
            select(
                CourseType.name + ": " + CourseTheme.title,
                count("present"),
                count("absent"),
                count("excused"),
            )
            .select_from(AttendanceMark)
            .join(CourseSession, AttendanceMark.session_id == CourseSession.id)
            .join(CourseTheme, CourseSession.theme_id == CourseTheme.id)
            .join(CourseType, CourseTheme.course_type_id == CourseType.id)
            .where(*in_term)
        )
    else:
        # Counted per person first, then the people of the term joined to their municipality:
        # joined mark by mark, PostgreSQL hashed every account and household ever made.
        per_person = (
            select(
                AttendanceMark.user_id,
                count("present").label("present"),
                count("absent").label("absent"),
                count("excused").label("excused"),
            )
            .join(CourseSession, AttendanceMark.session_id == CourseSession.id)
            .where(*in_term)
            .group_by(AttendanceMark.user_id)
            .subquery()
        )
        key = (Municipality.id, Municipality.name)
        order = (Municipality.name,)
        stmt = (
            select(
                Municipality.name,
                sa.func.sum(per_person.c.present),
                sa.func.sum(per_person.c.absent),
                sa.func.sum(per_person.c.excused),
            )
            .select_from(per_person)
            .join(User, per_person.c.user_id == User.id)
            .join(Household, User.household_id == Household.id)
            .join(Municipality, Household.municipality_id == Municipality.id)
        )
    stmt = stmt.group_by(*key)
    # The groups and their number in one statement: a term's runs, themes or municipalities are
    # few, and a separate COUNT aggregated the term's marks a second time.
    result = paginate_counted(stmt.order_by(*order), page, per_page, scalars=False)
    return replace(
        result, items=[RateRow(lbl, int(p or 0), int(a or 0), int(e or 0)) for lbl, p, a, e in result.items]
    )
