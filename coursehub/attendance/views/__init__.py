"""The attendance blueprint: sheets, progress pages, certificates and attendance figures."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.attendance import permissions
from coursehub.lib.nav import NavItem, RunLink

bp = Blueprint("attendance", __name__)

# Ids are 32-bit on PostgreSQL: a larger number in a URL or form names no record (404 or a
# message), rather than a database error.
MAX_ID = 2**31 - 1


def as_id(value) -> int | None:
    """Return `value` as a record id, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


# A page number beyond this shows an empty page, rather than an OFFSET too large for the database.
MAX_PAGE = 100_000


def page_arg() -> int:
    """Return the ?page= number of a listing, between 1 and MAX_PAGE."""
    from flask import request

    return min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)


def get_or_none(model, ident):
    """Load a record by id, or None (also for an id too large or malformed to be one)."""
    from coursehub.extensions import db

    ident = as_id(ident)
    return db.session.get(model, ident) if ident is not None else None


def get_or_404(model, ident):
    """Load a record by id, or answer 404 (also for an id too large to be one)."""
    from flask import abort

    record = get_or_none(model, ident)
    if record is None:
        abort(404)
    return record

nav_items = [
    NavItem(_l("Närvaro"), "attendance.runs", permissions.can_list_attendance_runs, order=40),
    NavItem(_l("Mina framsteg"), "attendance.my_progress", permissions.can_view_own_progress,
            order=41),
    NavItem(_l("Familjernas framsteg"), "attendance.municipal_progress",
            permissions.can_view_municipal_progress, order=42),
    NavItem(_l("Närvarostatistik"), "attendance.rates", permissions.can_view_attendance_rates,
            order=43),
    NavItem(_l("Intyg"), "attendance.admin_certificates", permissions.can_manage_certificates,
            order=44),
]

# Shown on the course area's run pages (staff's run page, the leaders' start page).
run_links = [
    RunLink(_l("Närvaro"), "attendance.run_attendance", permissions.can_view_run_attendance,
            order=30),
]

from coursehub.attendance.views import (  # noqa: E402, F401
    certificates,
    makeup,
    progress,
    reports,
    sheet,
)
