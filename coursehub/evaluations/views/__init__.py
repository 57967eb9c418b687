"""The evaluations blueprint: staff's forms (forms.py), course evaluations (manage.py) and the
public answering page (answer.py)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.evaluations import permissions
from coursehub.lib.nav import ADMINISTRATION, NavItem, RunLink

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

run_links = [
    RunLink(_l("Utvärdering"), "evaluations.run_evaluation", permissions.can_view_run_evaluation, order=40),
]


from coursehub.evaluations.views import answer, forms, manage, results, survey  # noqa: E402,F401
