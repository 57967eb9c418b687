"""The attendance blueprint: sheets, progress pages, certificates and attendance figures."""

from datetime import datetime

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coursehub.attendance import permissions, queries
from coursehub.lib.nav import ADMINISTRATION, FIGURES, MUNICIPALITY, NavItem, RunLink
from coursehub.lib.start import StartPage

bp = Blueprint("attendance", __name__)

nav_items = [
    NavItem(_l("Närvaro"), "attendance.runs", permissions.can_list_attendance_runs, order=40),
    NavItem(_l("Mina framsteg"), "attendance.my_progress", permissions.can_view_own_progress, order=41),
    NavItem(
        _l("Familjernas framsteg"),
        "attendance.municipal_progress",
        permissions.can_view_municipal_progress,
        order=42,
        group=MUNICIPALITY,
    ),
    NavItem(
        _l("Bjud in familjer"),
        "attendance.municipal_invites",
        permissions.can_invite_own_families,
        order=39,
        group=MUNICIPALITY,
    ),
    NavItem(
        _l("Närvarostatistik"),
        "attendance.rates",
        permissions.can_view_attendance_rates,
        order=43,
        group=FIGURES,
    ),
    NavItem(
        _l("Intyg"),
        "attendance.admin_certificates",
        permissions.can_manage_certificates,
        order=44,
        group=ADMINISTRATION,
    ),
]

# A leader lands on tonight's meetings and their sheets after login (coursehub.lib.start).
start_pages = [StartPage("attendance.runs", permissions.is_leader, order=30)]

# Shown on the course area's run pages (staff's run page, the leaders' start page).
run_links = [
    RunLink(_l("Närvaro"), "attendance.run_attendance", permissions.can_view_run_attendance, order=30),
    RunLink(_l("Bjud in familjer"), "attendance.invite_group", permissions.can_invite_group, order=35),
]


def missing_attendance_warnings(run, now: datetime) -> dict[int, list[str]]:
    """Warn staff, on the run page, of sessions that ended without attendance taken."""
    text = _(
        "Närvaro saknas: träffen är slut men ingen närvaro är förd. För in den innan kursomgången avslutas."
    )
    return {s.id: [text] for s in queries.sessions_without_attendance([run.id], now).get(run.id, [])}


from coursehub.attendance.views import (  # noqa: E402, F401
    certificates,
    invites,
    makeup,
    progress,
    reports,
    sheet,
)
