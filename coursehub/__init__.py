"""coursehub: the web platform of a regional foster-family resource."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from coursehub import config as settings
from coursehub.extensions import babel, bootstrap, csrf, db, limiter, login_manager, mail, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Create and configure the coursehub application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(settings.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    settings.from_environment(app.config)
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.sqlite_url(app.instance_path)
    settings.check(app.config)
    app.debug = bool(app.config.get("DEBUG"))
    if app.config["ENV_NAME"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True  # cookies only over HTTPS outside development
    if app.config["COURSEHUB_PROXY_HOPS"]:
        # Behind a load balancer: trust that many proxies for the client address and scheme, so
        # that rate limits count people, not the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["COURSEHUB_PROXY_HOPS"]
        # Flask's documented way to add WSGI middleware; mypy refuses assigning to a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    _init_extensions(app)
    from coursehub.lib.params import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the areas add their routes
    _init_areas(app)

    from coursehub import cli, health, web
    from coursehub.lib import querycount

    health.init_app(app)
    web.init_app(app)
    querycount.init_app(app)
    cli.init_app(app)

    if app.config["COURSEHUB_SCHEDULER"] == "inprocess":
        from coursehub.notifications import scheduler

        scheduler.start_in_process(app)
    logging.getLogger(__name__).debug("app created")
    return app


def _init_extensions(app: Flask) -> None:
    from coursehub.lib import database, work

    db.init_app(app)
    database.configure_engine_events(app)
    work.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Stockholm")
    bootstrap.init_app(app)
    limiter.init_app(app)


def _select_locale() -> str:
    from flask import current_app, has_request_context, session

    if not has_request_context():
        return "sv"  # jobs and commands speak the default language
    wanted = session.get("locale")
    if isinstance(wanted, str) and wanted in current_app.config["COURSEHUB_LOCALES"]:
        return wanted
    return "sv"


def _init_areas(app: Flask) -> None:
    """Let every area join the app: blueprint, menu items, run links, receivers, jobs, seeder.

    The one list of areas, in order: a new area is added here (and ranked in
    tests/test_architecture.py). The order is the order of equal-ranked menu items, of the
    scheduled jobs and of the demo seeders (each seeder builds on the ones before).
    """
    from coursehub import (
        accounts,
        attendance,
        courses,
        enrollment,
        evaluations,
        forum,
        notifications,
        pages,
        recruitment,
        reports,
    )

    for area in (
        pages,
        accounts,
        courses,
        enrollment,
        attendance,
        forum,
        evaluations,
        recruitment,
        notifications,
        reports,
    ):
        area.init_app(app)
