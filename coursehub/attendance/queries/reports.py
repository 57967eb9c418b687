"""Attendance rates per run, theme and municipality."""

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
from coursehub.lib.pagination import Page, paginate

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


def attendance_rates(dimension: str, *, page: int = 1, per_page: int = 25) -> Page:
    """Return one page of attendance counts (RateRow) grouped by run, theme or municipality."""
    status = AttendanceMark.status

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
        )
    else:
        key = (Municipality.id, Municipality.name)
        order = (Municipality.name,)
        stmt = (
            select(Municipality.name, count("present"), count("absent"), count("excused"))
            .select_from(AttendanceMark)
            .join(User, AttendanceMark.user_id == User.id)
            .join(Household, User.household_id == Household.id)
            .join(Municipality, Household.municipality_id == Municipality.id)
        )
    stmt = stmt.group_by(*key)
    result = paginate(stmt.order_by(*order), page, per_page, scalars=False)
    return replace(
        result, items=[RateRow(lbl, int(p or 0), int(a or 0), int(e or 0)) for lbl, p, a, e in result.items]
    )
