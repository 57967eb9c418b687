"""The recruitment blueprint: the public interest registration, and the staff's board and cases.

Staff pages live under /rekrytering and answer 404 to everyone but case readers (with a denied
row in the audit log); the family's public pages under /bli-familjehem.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.lib.nav import NavItem
from coursehub.recruitment import permissions

bp = Blueprint("recruitment", __name__)

nav_items = [NavItem(_l("Rekrytering"), "recruitment.board", permissions.can_read_cases, order=45)]

from coursehub.recruitment.views import board, cases, public  # noqa: E402, F401 - register routes

# Points 4-6 of issue 21: the presentation, requests and matching, into the courses.
from coursehub.recruitment.views import matching as _matching  # noqa: E402, F401
from coursehub.recruitment.views import presentation as _presentation  # noqa: E402, F401
from coursehub.recruitment.views import requests as _requests  # noqa: E402

nav_items += _requests.matching_nav_items
