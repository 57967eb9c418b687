"""Reports: the staff's start page of what needs action, and the half-year and yearly report.

The top of the layer order: it reads the other areas through their models and queries modules,
never their views, and nothing imports it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Join the app: blueprint, menu items, the staff's start page and the menu's count."""
    from coursehub.accounts.models import STAFF_ROLES
    from coursehub.lib.nav import add_nav_items
    from coursehub.lib.start import add_start_pages
    from coursehub.lib.user_facts import add_user_fact
    from coursehub.reports import models, queries_start, views  # noqa: F401 - models: every table known
    from coursehub.reports.views import start

    app.register_blueprint(views.bp)
    add_nav_items(app, views.nav_items)
    add_start_pages(app, views.start_pages)
    # The staff's menu counts what needs action on every page, with the user: no statement of its
    # own (nor on the start page, which shows the counts). Selected for staff only: the counts'
    # SQL would cost everyone else's statement.
    for name, fact in queries_start.action_count_facts().items():
        add_user_fact(app, name, fact, values=start.fact_values, roles=STAFF_ROLES)
