"""The courses blueprint: public catalogue (public.py), staff pages (manage.py, types.py) and the
leaders' start page (leader.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
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

# A whole number no route has as a default: it stands for the id while the URL is built once.
_ID_SLOT = 987654321


def url_prefix(endpoint: str, key: str) -> str:
    """Return the URL of `endpoint` up to its id `key`, which comes last: a list adds each row's id.

    One `url_for` for a page instead of one per row ("/kurser/" for courses.detail and run_id).
    """
    values: dict[str, Any] = {key: _ID_SLOT}
    url = url_for(endpoint, **values)
    slot = str(_ID_SLOT)
    if not url.endswith(slot):
        raise ValueError(f"{endpoint}: {key} is not the URL's last part ({url})")
    return url.removesuffix(slot)


# Staff land on the course programme after login (coursehub.lib.start).
start_pages = [StartPage("courses.admin_runs", permissions.can_manage_courses, order=40)]


from coursehub.courses.views import leader, manage, public, types  # noqa: E402,F401
