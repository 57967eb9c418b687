"""The reports blueprint: staff's start page (what needs action now) and the report."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.accounts.permissions import is_staff
from coursehub.lib.nav import NavItem
from coursehub.lib.start import StartPage
from coursehub.reports.report_permissions import can_view_report

bp = Blueprint("reports", __name__)

# The views modules add their routes to `bp` when imported (after `bp` exists).
from coursehub.reports.views import report  # noqa: E402
from coursehub.reports.views import start as _start  # noqa: E402

nav_items: list[NavItem] = [
    NavItem(_l("Att göra"), "reports.start", is_staff, order=5, count=_start.waiting_total),
    *report.nav_items,
]

# Staff land on what needs action after login: before the run list (courses, 40) and the
# attendance runs (attendance, 30) that staff landed on before.
# The steering group start on the report, which is what they come for, before the networks they
# may be in (forum, 50); a municipal worker, who may read their municipality's, starts on their
# approvals (enrollment, 20), staff on what needs action.
start_pages = [
    StartPage("reports.start", is_staff, order=25),
    StartPage("reports.report", can_view_report, order=45),
]
