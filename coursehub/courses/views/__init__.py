"""The courses blueprint: public catalogue (public.py), staff pages (manage.py, types.py) and the
leaders' start page (leader.py)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.courses import permissions
from coursehub.lib.nav import ADMINISTRATION, NavItem
from coursehub.lib.start import StartPage

bp = Blueprint("courses", __name__)

nav_items = [
    NavItem(_l("Kurser"), "courses.catalogue", lambda user: True, order=10),
    NavItem(_l("Mina kurser"), "courses.leader_home", permissions.can_lead_courses, order=20),
    NavItem(
        _l("Kursadministration"),
        "courses.admin_runs",
        permissions.can_manage_courses,
        order=80,
        group=ADMINISTRATION,
    ),
]

# Staff land on the course programme after login (coursehub.lib.start).
start_pages = [StartPage("courses.admin_runs", permissions.can_manage_courses, order=40)]


from coursehub.courses.views import leader, manage, public, types  # noqa: E402,F401
