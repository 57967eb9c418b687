"""Reads for attendance pages; every function runs a fixed number of statements whatever the size."""

from coursehub.attendance.queries.makeup import MakeupOption, MakeupTheme, makeup_candidates, makeup_refusal
from coursehub.attendance.queries.pages import (
    certificate_by_code,
    certificates_page,
    household_adults,
    municipality_households_page,
)
from coursehub.attendance.queries.progress import (
    CourseProgress,
    MarkFact,
    ThemeProgress,
    UpcomingSession,
    evaluate_rule,
    progress_for_users,
    upcoming_sessions_for_household,
)
from coursehub.attendance.queries.reports import DIMENSIONS, RateRow, attendance_rates
from coursehub.attendance.queries.sheet import (
    Needs,
    RunMatrix,
    SheetHousehold,
    SheetRow,
    attendance_sheet,
    is_participant,
    run_matrix,
    runs_for_attendance,
    session_changes,
    sessions_without_attendance,
)

__all__ = [
    "DIMENSIONS",
    "CourseProgress",
    "MakeupOption",
    "MakeupTheme",
    "MarkFact",
    "Needs",
    "RateRow",
    "RunMatrix",
    "SheetHousehold",
    "SheetRow",
    "ThemeProgress",
    "UpcomingSession",
    "attendance_rates",
    "attendance_sheet",
    "certificate_by_code",
    "certificates_page",
    "evaluate_rule",
    "household_adults",
    "is_participant",
    "makeup_candidates",
    "makeup_refusal",
    "municipality_households_page",
    "progress_for_users",
    "run_matrix",
    "runs_for_attendance",
    "session_changes",
    "sessions_without_attendance",
    "upcoming_sessions_for_household",
]
