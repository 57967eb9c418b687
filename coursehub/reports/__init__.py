"""Reports: the staff's start page of what needs action, and the half-year and yearly report.

The top of the layer order: it reads the other areas through their models and queries modules,
never their views, and nothing imports it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint and menu items."""
    from coursehub.lib.nav import add_nav_items
    from coursehub.reports import views

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
