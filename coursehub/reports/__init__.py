"""Reports: the staff's start page of what needs action, and the half-year and yearly report.

The top of the layer order: it reads the other areas through their models and queries modules,
never their views, and nothing imports it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items and the staff's start page."""
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.start import add_start_pages
    from coursehub.reports import views

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
    add_start_pages(app, views.start_pages)
