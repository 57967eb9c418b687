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
