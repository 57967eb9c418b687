"""The evaluations blueprint: staff's forms (forms.py), course evaluations (manage.py) and the
public answering page (answer.py)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.evaluations import permissions
from coursehub.lib.nav import ADMINISTRATION, NavItem

bp = Blueprint("evaluations", __name__)

nav_items = [
    NavItem(
        _l("Utvärderingar"),
        "evaluations.forms",
        permissions.can_manage_evaluations,
        order=85,
        group=ADMINISTRATION,
    ),
]


from coursehub.evaluations.views import forms, results  # noqa: E402,F401
