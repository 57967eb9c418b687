"""The app that tests share (tests/conftest.py `SharedApp`) meets each test as it was made."""

from __future__ import annotations

import sqlalchemy as sa

from coursehub.extensions import db
from coursehub.lib.personal_data import PROVIDERS_KEY
from coursehub.web import LAYOUT_CACHE_KEY
from tests.conftest import SharedApp


def _made(template_database):
    url, drop = template_database()
    return SharedApp(url), drop


def _close(shared: SharedApp, drop) -> None:
    with shared.app.app_context():
        db.engine.dispose()
    drop()


def test_a_loan_starts_from_the_settings_and_extensions_the_app_was_made_with(template_database):
    shared, drop = _made(template_database)
    try:
        app = shared.lend()
        providers = len(app.extensions[PROVIDERS_KEY])
        # What tests do to the app: a setting turned on, the SMTP fixture's mail settings, the
        # layout's cached links, an entry added to a list an area filled at start.
        app.config.update(WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=2525)
        app.config["TRUSTED_HOSTS"] = ["kurser.example"]
        app.extensions["mail"] = object()
        app.extensions[LAYOUT_CACHE_KEY] = {("url", "courses.catalogue"): "/gammal"}
        app.extensions[PROVIDERS_KEY].append(object())

        again = shared.lend()

        assert again is app
        assert again.config["WTF_CSRF_ENABLED"] is False
        assert again.config["MAIL_SERVER"] is None
        assert again.config.get("TRUSTED_HOSTS") is None
        assert type(again.extensions["mail"]).__name__ == "_Mail"
        assert LAYOUT_CACHE_KEY not in again.extensions
        assert len(again.extensions[PROVIDERS_KEY]) == providers
        assert shared.whole()
    finally:
        _close(shared, drop)


def test_an_app_given_a_route_is_not_lent_again(template_database):
    shared, drop = _made(template_database)
    try:
        shared.lend().add_url_rule("/test/extra", "test_extra", lambda: "extra")
        assert not shared.whole()
    finally:
        _close(shared, drop)


def test_an_app_whose_database_got_a_listener_is_lent_again_only_once_it_is_removed(template_database):
    shared, drop = _made(template_database)
    try:
        app = shared.lend()

        def listener(*args):
            pass

        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            assert not shared.whole()
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert shared.whole()
    finally:
        _close(shared, drop)
