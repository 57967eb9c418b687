"""The reports blueprint: staff's start page and the report, under /rapporter."""

from __future__ import annotations

from flask import Blueprint

from coursehub.lib.nav import NavItem

bp = Blueprint("reports", __name__)

nav_items: list[NavItem] = []

# The views modules add their routes to `bp` when imported (after `bp` exists).
from coursehub.reports.views import report  # noqa: E402

nav_items.extend(report.nav_items)
