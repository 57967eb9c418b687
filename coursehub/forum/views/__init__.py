"""The forum blueprint: networks, their subjects, threads and posts, and notification choices."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.forum import permissions
from coursehub.lib.nav import NavItem

bp = Blueprint("forum", __name__, url_prefix="/natverk")

nav_items = [
    NavItem(_l("Nätverk"), "forum.networks", permissions.in_any_network, order=50),
]

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
