"""Evaluations: forms, course evaluations, the yearly survey and their anonymous answers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint and menu item."""
    from coursehub.evaluations import models, views  # noqa: F401 - models: every table known
    from coursehub.lib.nav import add_nav_items, add_run_links

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
    add_nav_items(app, views.results.nav_items)
    add_run_links(app, views.results.run_links)
