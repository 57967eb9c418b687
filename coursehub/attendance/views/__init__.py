"""The attendance blueprint: sheets, progress pages, certificates and attendance figures."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.attendance import permissions
from coursehub.lib.nav import NavItem

bp = Blueprint("attendance", __name__)

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

from coursehub.attendance.views import (  # noqa: E402, F401
    certificates,
    makeup,
    progress,
    reports,
    sheet,
)
