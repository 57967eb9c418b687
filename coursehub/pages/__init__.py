"""Public pages: the start page, the accessibility statement and the language switch."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: the blueprint and the start page's menu item."""
    from coursehub.lib.nav import add_nav_items
    from coursehub.pages import views

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
