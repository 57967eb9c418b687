"""The forum blueprint: networks, their subjects, threads and posts, and notification choices."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.forum import permissions
from coursehub.lib.nav import NavItem
from coursehub.lib.start import StartPage

bp = Blueprint("forum", __name__, url_prefix="/natverk")

nav_items = [
    NavItem(_l("Nätverk"), "forum.networks", permissions.in_any_network, order=50),
]

# A network member starts in their networks, not on the public welcome page that asks whether
# they want to become a foster family; a family's, a municipality's, staff's, a leader's and the
# steering group's own pages come first (10-45).
start_pages = [StartPage("forum.networks", permissions.in_any_network, order=50)]

from coursehub.forum.views import (  # noqa: E402, F401
    discussions,
    documents,
    library,
    meetings,
    moderation,
    networks,
    notices,
    search,
)
