"""The accounts blueprint: login and links (`session`), own profile (`profile`), staff pages (`admin`,
`audit`: the audit log)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coursehub.accounts import permissions
from coursehub.lib.nav import ADMINISTRATION, NavItem

bp = Blueprint("accounts", __name__)

nav_items = [
    NavItem(
        _l("Användare"), "accounts.admin_users", permissions.can_manage_users, order=90, group=ADMINISTRATION
    ),
    NavItem(
        _l("Länsdelar"),
        "accounts.county_parts",
        permissions.can_manage_county,
        order=91,
        group=ADMINISTRATION,
    ),
    NavItem(
        _l("Hemtyper"), "accounts.home_kinds", permissions.can_manage_county, order=92, group=ADMINISTRATION
    ),
    NavItem(_l("Logg"), "accounts.audit_log", permissions.can_read_audit_log, order=95, group=ADMINISTRATION),
]

from coursehub.accounts.views import (  # noqa: E402, F401 - register routes
    admin,
    audit,
    county,
    privacy,
    profile,
    second_factor,
    session,
)
