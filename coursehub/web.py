"""Request-wide behaviour: loading the user, time-outs, security headers, errors, template helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from babel import Locale
from babel.dates import DateTimePattern, parse_pattern
from babel.lists import format_list
from babel.support import NullTranslations, Translations
from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_app_context,
    has_request_context,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in
from flask_wtf.csrf import CSRFError
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import SecurityError
from wtforms.fields.choices import RadioField, SelectFieldBase

from coursehub import clock, health
from coursehub.accounts.models import User
from coursehub.extensions import db, login_manager
from coursehub.lib.forms import EXPIRED_FORM_TITLE, expired_form_message
from coursehub.lib.nav import menu_groups, menu_links, visible_items, visible_run_links
from coursehub.lib.organisation import Organisation, organisation_details
from coursehub.lib.quick_select import checkboxes
from coursehub.lib.request_input import CleanRequest
from coursehub.lib.urls import id_urls
from coursehub.lib.user_facts import (
    fact_values,
    remember_facts,
    role_bound_facts,
    statement_facts,
    user_facts,
)

T = TypeVar("T")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Wire the request-wide hooks into `app`."""
    # Control characters are stripped from path, query and form values as a request parses them,
    # before any hook or view reads them (coursehub/lib/request_input.py says why and how).
    app.request_class = CleanRequest
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page says why on its own
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    user_logged_in.connect(_note_facts_hint, app)
    app.before_request(_enforce_session_timeouts)
    # The session cookie is sent only when the session changed, not on every request (Flask's
    # default for a permanent session): the idle time-out refreshes it once a minute
    # (`_enforce_session_timeouts`), and re-signing it on every page cost each logged-in request.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.after_request(_security_headers)
    app.context_processor(_template_context)
    # A global, not a context variable, so that imported macros can call it too.
    app.jinja_env.globals["checkboxes"] = checkboxes
    app.jinja_env.globals["run_links"] = _run_links
    app.jinja_env.globals["closure_text"] = _closure_text
    # What the layout builds the same for every request under a script root (links, asset tags).
    app.jinja_env.globals["fixed_url_for"] = _fixed_url_for
    app.jinja_env.globals["bootstrap_css"] = lambda: _remembered(("bootstrap_css",), _bootstrap().load_css)
    app.jinja_env.globals["bootstrap_js"] = lambda: _remembered(("bootstrap_js",), _bootstrap().load_js)
    # Any drop-down list (our id choices subclass SelectField): styled as a select, not a text box.
    app.jinja_env.tests["select_field"] = lambda field: (
        isinstance(field, SelectFieldBase) and not isinstance(field, RadioField)
    )
    _install_request_translations(app)
    app.jinja_env.filters["local_datetime"] = _local_datetime
    app.jinja_env.filters["local_date"] = _local_date
    app.jinja_env.filters["local_time"] = lambda value: _local_datetime(value, "HH:mm")
    _register_error_pages(app)


def _install_request_translations(app: Flask) -> None:
    """Let templates find the request's translations once, not once per string.

    Flask-Babel's template callables look the translations up for every `_()` (about 20 µs each:
    the domain, the context, the locale's name, the cache); a page has 50–300 of them. Here the
    lookup is kept on `g` beside the locale it was made for, so that a locale forced for a while
    (`force_locale`, e.g. a Swedish mail rendered during an English page) gets its own.
    """

    def translations() -> Translations | NullTranslations:
        state = g._get_current_object()  # once, not through the proxy at every step
        locale = _request_locale(state)
        found = getattr(state, "coursehub_translations", None)
        if found is None or found[0] is not locale:
            found = state.coursehub_translations = (locale, get_translations())
        return found[1]

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


USER_STATEMENTS_KEY = "coursehub_user_statements"
# The session's note of the role-bound user facts that applied when its user was last loaded: which
# of the user statements to run (lib.user_facts). Names of facts, never roles.
FACTS_HINT = "user_facts"


def _user_by_token(names: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    """Return the statement that loads a session's user with the facts `names` beside the user
    (lib.user_facts), built once per app and set of facts on first use (the mappers are all
    configured by then). Built anew on every request, with its eager-load option and its cache
    key, it cost some 190 Python calls a request; a statement kept keeps its cache key too."""
    built: dict[tuple[str, ...], Select[*tuple[Any, ...]]] = current_app.extensions.setdefault(
        USER_STATEMENTS_KEY, {}
    )
    statement = built.get(names)
    if statement is None:
        facts = user_facts(current_app)
        # The roles come in the same statement: every page asks them (the menu, the permissions),
        # and the relationship's own "selectin" would cost a second round trip on every request.
        # So do the areas' facts (a network member's "Nätverk"): one statement, not one per fact.
        # The facts are selected once, in a CTE of their own: beside the joined roles they were
        # evaluated once per role (a municipal worker who is also a network member had the
        # menu's count of approvals counted twice on every page).
        found = (
            select(User.id.label("user_id"), *(facts[name]().label(name) for name in names))
            .where(User.session_token == bindparam("token"))
            .cte("session_facts")
            .prefix_with("MATERIALIZED")
        )
        statement = built[names] = (
            select(User, *(found.c[name] for name in names))
            .join(found, found.c.user_id == User.id)
            .options(joinedload(User.role_rows))
        )
    return statement


def _load_user(session_token: str) -> User | None:
    noted = session.get(FACTS_HINT, [])
    names = statement_facts(current_app, noted)
    # The facts' own parameters (the moment the staff's count is taken at), then the token.
    values = fact_values(current_app, names)
    if "token" in values:
        raise ValueError("a user fact may not name a parameter 'token'")
    values["token"] = session_token
    row = db.session.execute(_user_by_token(names), values).unique().first()
    if row is None or not row[0].is_active:
        return None
    user = row[0]
    remember_facts(user.id, dict(zip(names, row[1:], strict=True)))
    # Which role-bound facts the next request selects: noted at login, and again when the user's
    # roles have changed since (so the session's cookie is written then only).
    hint = facts_hint(user)
    if noted != hint:
        session[FACTS_HINT] = hint
    return user


def facts_hint(user: User) -> list[str]:
    """The session's note for `user`: the role-bound user facts that apply to their roles."""
    return list(role_bound_facts(current_app, (row.role for row in user.role_rows)))


def _note_facts_hint(_app: Flask, user: User, **_extra: Any) -> None:
    """At login (flask_login's signal): the first page selects the user's facts too."""
    session[FACTS_HINT] = facts_hint(user)


# Static files (ours and Bootstrap's) never load the user: no database query per stylesheet.
# Neither do the health probes (coursehub/health.py): a probe must not touch the session.
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"}) | health.ENDPOINTS


def _is_static() -> bool:
    return request.endpoint in STATIC_ENDPOINTS


# How stale the session's "seen_at" may grow before a request writes it anew, in seconds.
SEEN_AT_GRANULARITY = 60


def _enforce_session_timeouts():
    """End a session that has been idle too long or has lasted too long in all."""
    if _is_static() or not current_user.is_authenticated:
        return None
    now = clock.now().timestamp()
    idle = current_user_app_setting("PERMANENT_SESSION_LIFETIME").total_seconds()
    absolute = current_user_app_setting("COURSEHUB_SESSION_ABSOLUTE").total_seconds()
    started = session.get("login_at", now)
    seen = session.get("seen_at", now)
    if now - seen > idle or now - started > absolute:
        logout_user()
        session.clear()
        flash(_("Du har loggats ut eftersom det gått en stund. Logga in igen."), "info")
        g.timed_out = True
        return None
    # Written (and so the cookie re-signed and sent) only once a minute, not on every request: a
    # session then ends between 29 and 30 idle minutes, and the cookie's own expiry, set from the
    # same moment, agrees with it (SESSION_REFRESH_EACH_REQUEST is off, see `init_app`).
    if now - seen >= SEEN_AT_GRANULARITY or not session.permanent:
        session["seen_at"] = now
        session.permanent = True
    return None


def current_user_app_setting(key: str):
    from flask import current_app

    return current_app.config[key]


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    if "frame-ancestors" not in headers["Content-Security-Policy"]:
        # A view's own policy (a download, a chart) keeps its sources; no page may frame it either.
        headers["Content-Security-Policy"] += "; frame-ancestors 'none'"
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    from flask import current_app

    if current_app.config["ENV_NAME"] == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if not _is_static():
        # No page is kept by browsers or proxies: not only logged-in pages carry personal data
        # or a key. A visitor sees a name on the certificate check, a name and a token on the
        # e-mailed links, what they typed on a form sent back, a calendar feed by its token; and a
        # page that shows none today may tomorrow. Static files (no data) stay cacheable.
        headers["Cache-Control"] = "no-store"
    return response


def _template_context():
    from flask import current_app

    # E-mails are rendered outside requests too (jobs, commands): there is no user then.
    user = _request_user()
    items = visible_items(current_app.extensions["coursehub_nav"], user)
    links = menu_links(items, _menu_text(), _fixed_url_for)
    return {
        "nav_items": links,
        "nav_groups": menu_groups(links),
        "organisation": current_app.config["COURSEHUB_ORGANISATION"],
        "org": organisation_details(current_app.config),
        "current_locale": session.get("locale", "sv") if has_request_context() else "sv",
    }


def _request_user() -> User | None:
    """Return the request's logged-in user, or None (outside requests, or nobody logged in).

    The user object itself, not `current_user`: the menu's checks read the user often, and each
    read through the proxy looks the user up again in the request context.
    """
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


MENU_TEXT_KEY = "coursehub_menu_text"


def _menu_text() -> Callable[[object], str]:
    """Return how the menu translates a lazy label in this request's language, remembered per app.

    The translation of a label in a language never changes while the app runs. A label is found
    by its id together with the label itself, so that an id a collected object had is never taken
    for it (the cache holds the labels alive; there are some thirty).
    """
    cache: dict[tuple[str, int], tuple[object, str]] = current_app.extensions.setdefault(MENU_TEXT_KEY, {})
    locale = str(get_locale())

    def text(label: object) -> str:
        found = cache.get((locale, id(label)))
        if found is None or found[0] is not label:
            found = cache[locale, id(label)] = (label, str(label))
        return found[1]

    return text


LAYOUT_CACHE_KEY = "coursehub_layout_cache"


def _remembered(key: tuple, make: Callable[[], T]) -> T:
    """Return what `make` returns for this app under this request's script root, made once.

    For what every page's layout builds alike: a link to an endpoint without arguments, a static
    file's URL, Bootstrap's tags (from the app's settings and a URL). A URL built within a request
    is a path under the script root (the app adds no URL defaults and has no subdomains), so it is
    the same for every request under that root. Outside a request it is made every time.
    """
    if not has_request_context():
        return make()
    cache: dict[tuple, Any] = current_app.extensions.setdefault(LAYOUT_CACHE_KEY, {})
    full = (request.script_root, *key)
    found = cache.get(full)
    if found is None:
        found = cache[full] = make()
    return found


def _fixed_url_for(endpoint: str, **values: Any) -> str:
    """Return url_for(endpoint, **values), built once per script root (see `_remembered`)."""
    return _remembered(("url", endpoint, *sorted(values.items())), lambda: url_for(endpoint, **values))


def _bootstrap() -> Any:
    return current_app.jinja_env.globals["bootstrap"]


def _closure_text(org: Organisation) -> str:
    """Say in a sentence which weeks the organisation is closed: "Vi har stängt vecka 28–31 och 52."."""
    return _closure_sentence(org, str(get_locale() or "sv"))


# The same sentence on every page in a language while the settings stay (Babel's list and plural
# formatting cost about 70 µs a page); keyed by the details, so another app's settings get theirs.
@lru_cache(maxsize=32)
def _closure_sentence(org: Organisation, locale: str) -> str:
    spans = [str(a) if a == b else f"{a}–{b}" for a, b in org.closure_ranges()]
    weeks = format_list(spans, locale=locale)
    return ngettext(
        "Vi har stängt vecka %(weeks)s.",
        "Vi har stängt veckorna %(weeks)s.",
        len(org.closure_weeks),
        weeks=weeks,
    )


def _run_links(run) -> list[tuple[str, str]]:
    """Return (URL, label) of each link about `run` that areas built on courses offer to the
    current user, in order.

    A leader's start page lists twenty runs with four links each: `url_for` and the lazy
    label's translation ran for each of the eighty (in-process, about a third of the page). Each
    link's URL builder (`id_urls`) is made once per script root (`_remembered`), and its label
    translated once per language (`_menu_text`), as the menu's are.
    """
    from flask import current_app

    items = visible_run_links(current_app.extensions["coursehub_run_links"], _request_user(), run)
    if not items:
        return []
    text = _menu_text()
    return [(_run_link_url(item.endpoint)(run.id), text(item.label)) for item in items]


def _run_link_url(endpoint: str) -> Callable[[int], str]:
    return _remembered(("run link", endpoint), lambda: id_urls(endpoint, "run_id"))


# The date filters run once per date a page shows (a forum thread: one per post). Flask-Babel's
# format_datetime costs about 110 µs a call (it looks up the locale, the zone and the format
# through the request context each time); the same pattern applied by Babel directly, the pattern
# parsed once and the zone converted here, costs about 20 µs and writes the same text
# (tests/test_i18n.py compares the two for both languages, summer and winter time, naive values).
def _request_locale(state: Any = None) -> Locale | None:
    """Return the request's locale, as Flask-Babel's `get_locale()` does, for less.

    `get_locale()` goes through the `g` proxy three times for it (some 4 µs), and a page asks
    for it with each translated string and each date (100-300 times). Once Flask-Babel has
    worked it out (the request's first call), it keeps it in its state on `g`, where
    `force_locale` puts another for a while; it is read there. Until then, or were Flask-Babel
    ever to keep it elsewhere, `get_locale()` answers. `state` is `g`'s object, if at hand.
    """
    if state is None:
        if not has_app_context():
            return None
        state = g._get_current_object()
    locale = getattr(getattr(state, "_flask_babel", None), "babel_locale", None)
    return locale if isinstance(locale, Locale) else get_locale()


@lru_cache(maxsize=64)
def _pattern(fmt: str) -> DateTimePattern:
    return parse_pattern(fmt)


def _in_local_zone(value: datetime) -> datetime:
    # Values without a zone are UTC (SQLite hands them back naive), as Flask-Babel assumes.
    return clock.to_local(value if value.tzinfo is not None else value.replace(tzinfo=UTC))


# Each text written is kept for the next page that shows the same moment (the catalogue's runs
# to every visitor, a thread's posts to every member): Babel takes some 45-70 calls a date, a
# kept text one. Keyed by the local wall time with its fold (the hour that comes twice), the
# pattern and the locale: all the text depends on. Some 4,000 texts, about a megabyte at most.
@lru_cache(maxsize=4096)
def _formatted(local: date, fold: int, fmt: str, locale: Locale | None) -> str:
    return _pattern(fmt).apply(local, locale)


def _local_datetime(value: datetime | None, fmt: str = "EEEE d MMMM y 'kl.' HH:mm") -> str:
    if value is None:
        return ""
    local = _in_local_zone(value)
    return _formatted(local, local.fold, fmt, _request_locale())


def _local_date(value: date | None, fmt: str = "d MMMM y") -> str:
    if value is None:
        return ""
    day = _in_local_zone(value).date() if isinstance(value, datetime) else value
    return _formatted(day, 0, fmt, _request_locale())


def _bare_page(code: int, title: str, text: str) -> tuple[str, int]:
    """Render the error page that builds no URL and reads neither the user nor the database.

    Rendered straight from the template, without the context processors (they read the user).
    """
    html = current_app.jinja_env.get_template("errors/bare.html").render(
        code=code,
        title=title,
        text=text,
        lang=getattr(get_locale(), "language", "sv"),
        organisation=current_app.config["COURSEHUB_ORGANISATION"],
        org=organisation_details(current_app.config),
        home=request.script_root + "/",
    )
    return html, code


def _register_error_pages(app: Flask) -> None:
    def page(code: int, title: str, text: str):
        return render_template("errors/error.html", code=code, title=title, text=text), code

    @app.errorhandler(400)
    def bad_request(_error):
        return page(
            400,
            _("Något blev fel i förfrågan"),
            _("Sidan kunde inte ta emot det som skickades. Gå tillbaka och försök igen."),
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(_error):
        # The Host header names a host not in TRUSTED_HOSTS: Flask could not make a URL adapter,
        # so the page must build no URL (base.html builds many).
        return _bare_page(
            400,
            _("Okänd webbadress"),
            _("Tjänsten svarar inte på den här webbadressen. Kontrollera adressen och försök igen."),
        )

    @app.errorhandler(413)
    def too_large(_error):
        return page(
            413,
            _("Det som skickades var för stort"),
            _("Sidan tar inte emot så mycket på en gång. Gå tillbaka, gör texten kortare och försök igen."),
        )

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        rule = request.url_rule
        if (
            rule is not None
            and rule.methods is not None
            and "GET" in rule.methods
            and request.endpoint in app.view_functions
        ):
            # A form page (one URL shows the form and takes it). Its view writes only after its
            # form validates, and the form fails on the same old token: running the view again
            # saves nothing and shows the form again, with what the person typed, a fresh token
            # and a plain message (SECURITY.md). tests/test_csrf.py holds every such page to it.
            view = app.view_functions[request.endpoint]
            # Called as Flask's own dispatch_request calls a view.
            response = app.make_response(app.ensure_sync(view)(**(request.view_args or {})))
            if response.status_code == 200:
                response.status_code = 400
            return response
        return page(400, str(EXPIRED_FORM_TITLE), expired_form_message())

    @app.errorhandler(403)
    def forbidden(_error):
        return page(
            403,
            _("Ni har inte behörighet"),
            _(
                "Den här sidan är inte öppen för ert konto. "
                "Logga in med ett annat konto, eller gå till startsidan."
            ),
        )

    @app.errorhandler(404)
    def not_found(_error):
        return page(
            404,
            _("Sidan finns inte"),
            _(
                "Vi hittar inte sidan ni söker. Den kan ha flyttats, eller så är adressen fel. "
                "Kontrollera adressen eller gå till startsidan."
            ),
        )

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page(
            405,
            _("Det går inte att göra så"),
            _("Sidan kan inte användas på det sättet. Gå tillbaka och försök igen."),
        )

    @app.errorhandler(429)
    def too_many(_error):
        return page(
            429,
            _("För många försök"),
            _("Ni har gjort för många försök på kort tid. Vänta en stund och försök igen."),
        )

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        title = _("Något gick fel hos oss")
        text = _("Ett fel uppstod hos oss. Inget ni skrev har sparats. Försök igen om en stund.")
        try:
            return page(500, title, text)
        except Exception:  # the full page reads the user (the database) and builds URLs
            app.logger.exception("the full error page failed; showing the bare one")
            return _bare_page(500, title, text)
