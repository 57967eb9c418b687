"""The reports blueprint: staff's start page and the report, under /rapporter."""

from __future__ import annotations

from flask import Blueprint

from coursehub.lib.nav import NavItem

bp = Blueprint("reports", __name__)

nav_items: list[NavItem] = []
