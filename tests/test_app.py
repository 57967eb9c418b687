"""The app factory's settings and the Swedish error pages."""

import pytest
from flask import abort

from coursehub import create_app
from coursehub.config import DEFAULT_SECRET_KEY

# Everything production needs (README "Running it"); each refusal below takes one thing away.
# Nothing here is reached while the app starts: the database, Redis and the mail server are only
# named.
PRODUCTION = {
    "ENV_NAME": "production",
    "SECRET_KEY": "a-real-secret-value",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://coursehub@db.invalid/coursehub",
    "SERVER_NAME_FOR_LINKS": "https://kurser.example",
    "TRUSTED_HOSTS": ["kurser.example"],
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://redis.invalid:6379/0",
    "MAIL_SERVER": "smtp.example",
}


def _production(**extra):
    return {**PRODUCTION, **extra}


@pytest.fixture
def no_settings_from_the_environment(monkeypatch):
    for name in (
        "DATABASE_URL",
        "TRUSTED_HOSTS",
        "COURSEHUB_ENV",
        "MAIL_SERVER",
        "SERVER_NAME_FOR_LINKS",
        "RATELIMIT_STORAGE_URI",
        "RATELIMIT_ENABLED",
    ):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_the_development_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(SECRET_KEY=DEFAULT_SECRET_KEY))


def test_production_refuses_debug():
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app(_production(DEBUG=True))


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        ("SERVER_NAME_FOR_LINKS", "http://kurser.example", "SERVER_NAME_FOR_LINKS must be an https"),
        ("SERVER_NAME_FOR_LINKS", "https://", "SERVER_NAME_FOR_LINKS must be an https"),
        ("SERVER_NAME_FOR_LINKS", "kurser.example", "SERVER_NAME_FOR_LINKS must be an https"),
        ("TRUSTED_HOSTS", None, "TRUSTED_HOSTS must name"),
        ("TRUSTED_HOSTS", [], "TRUSTED_HOSTS must name"),
        ("SQLALCHEMY_DATABASE_URI", "sqlite:///coursehub.sqlite", "DATABASE_URL must be a PostgreSQL"),
        ("RATELIMIT_STORAGE_URI", "memory://", "RATELIMIT_STORAGE_URI must be shared"),
        ("RATELIMIT_ENABLED", False, "RATELIMIT_ENABLED must be on"),
        ("MAIL_SERVER", None, "MAIL_SERVER must be set"),
        ("MAIL_SERVER", "", "MAIL_SERVER must be set"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(
    no_settings_from_the_environment, setting, value, reason
):
    with pytest.raises(RuntimeError) as refused:
        create_app(_production(**{setting: value}))
    message = str(refused.value)
    assert message.startswith(reason)
    assert len(message.splitlines()) == 1  # one problem, one line that says what to set


def test_production_names_every_missing_setting_at_once(no_settings_from_the_environment):
    with pytest.raises(RuntimeError) as refused:
        create_app(
            _production(
                SECRET_KEY=DEFAULT_SECRET_KEY,
                TRUSTED_HOSTS=None,
                SQLALCHEMY_DATABASE_URI="sqlite://",
                MAIL_SERVER=None,
                RATELIMIT_STORAGE_URI="memory://",
                SERVER_NAME_FOR_LINKS="http://kurser.example",
            )
        )
    lines = str(refused.value).splitlines()
    assert [line.split()[0] for line in lines] == [
        "SECRET_KEY",
        "SERVER_NAME_FOR_LINKS",
        "TRUSTED_HOSTS",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
        "MAIL_SERVER",
    ]


def test_production_settings_come_from_the_environment(no_settings_from_the_environment, monkeypatch):
    """The documented environment starts production: Redis counters, hosts listed with commas."""
    for name, value in {
        "COURSEHUB_ENV": "production",
        "SECRET_KEY": "a-real-secret-value",
        "DATABASE_URL": "postgres://coursehub@db.invalid/coursehub",
        "SERVER_NAME_FOR_LINKS": "https://kurser.example",
        "TRUSTED_HOSTS": "kurser.example, www.kurser.example,",
        "RATELIMIT_STORAGE_URI": "redis://redis.invalid:6379/0",
        "MAIL_SERVER": "smtp.example",
    }.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.config["TRUSTED_HOSTS"] == ["kurser.example", "www.kurser.example"]


def test_production_starts_with_every_setting_and_sends_hsts(no_settings_from_the_environment):
    app = create_app(_production())
    # A stylesheet: it reads no database, which is only named here.
    with app.test_client().get("/static/css/coursehub.css", base_url="https://kurser.example") as response:
        assert response.status_code == 200
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/coursehub")
    monkeypatch.setenv("COURSEHUB_OFFER_HOURS", "24")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/coursehub"
    assert app.config["COURSEHUB_OFFER_HOURS"] == 24
    assert app.config["MAIL_SERVER"] == "smtp.example"
    assert app.config["COURSEHUB_SCHEDULER"] == ""  # the web process starts no scheduler


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    from coursehub.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "x"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        db.engine.dispose()


@pytest.fixture
def failing_app(app):
    @app.get("/test/forbidden")
    def forbidden():
        abort(403)

    @app.get("/test/crash")
    def crash():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.own_app("adds routes that fail on purpose")
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/finns-inte", 404, "Sidan finns inte"),
        ("/test/forbidden", 403, "Ni har inte behörighet"),
        ("/test/crash", 500, "Något gick fel hos oss"),
    ],
)
def test_error_pages_are_swedish_without_traceback(failing_app, path, status, heading):
    response = failing_app.test_client().get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert heading in html
    assert '<html lang="sv">' in html
    assert "Traceback" not in html and "boom" not in html


@pytest.mark.own_app("adds routes that fail on purpose")
def test_expired_form_messages_say_what_to_do(app, client):
    from flask_wtf.csrf import CSRFError

    from coursehub.lib.forms import BaseForm

    @app.post("/test/expired")
    def expired():
        raise CSRFError()

    html = client.post("/test/expired").get_data(as_text=True)
    assert "Formuläret har gått ut" in html
    assert "Sidan har varit öppen för länge. Ladda om sidan och försök igen." in html

    class Form(BaseForm):
        pass

    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context("/", method="POST", data={"csrf_token": "old"}):
        form = Form()
        assert not form.validate()
        # The form comes back filled in, with a fresh token: sending it again is enough.
        assert form.csrf_token.errors == [
            "Sidan har varit öppen för länge, så inget har sparats. Kontrollera uppgifterna och skicka igen."
        ]


def test_pages_carry_the_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_for_logged_in_people_are_not_cached(client, login_as):
    from tests.factories import UserFactory

    login_as(client, UserFactory(family=True))
    assert client.get("/profil").headers["Cache-Control"] == "no-store"


def test_production_session_cookies_are_secure(no_settings_from_the_environment):
    app = create_app(_production())
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_behind_one_proxy_the_client_address_comes_from_the_proxy_header():
    from flask import request

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "COURSEHUB_PROXY_HOPS": 1})
    app.add_url_rule("/test/address", "test_address", lambda: request.remote_addr)
    client = app.test_client()
    seen = client.get(
        "/test/address", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    assert seen.get_data(as_text=True) == "203.0.113.7"


def test_without_a_proxy_setting_the_header_is_not_trusted():
    from flask import request

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    app.add_url_rule("/test/address", "test_address", lambda: request.remote_addr)
    seen = app.test_client().get(
        "/test/address", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    assert seen.get_data(as_text=True) == "10.0.0.2"


def test_static_files_never_load_the_user(app, client, login_as, count_queries):
    """A logged-in page pulls in several stylesheets and scripts: none of them queries."""
    from tests.factories import UserFactory

    login_as(client, UserFactory(family=True))
    with count_queries() as statements:
        for path in ("/static/css/coursehub.css", "/bootstrap/static/css/bootstrap.min.css"):
            with client.get(path) as response:  # a file response: closing it closes the file
                assert response.status_code == 200
    assert statements == []


TOO_BIG = "99999999999999999999"  # beyond PostgreSQL's integer and bigint


@pytest.mark.parametrize(
    "path",
    [
        "/kurser/{big}",
        "/admin/kurser/{big}",
        "/kurser/{big}/deltagare",
        "/admin/anvandare/{big}",
        "/admin/utkorg/{big}",
        "/traffar/{big}/narvaro",
        "/intyg/{big}/pdf",
    ],
)
def test_an_id_too_large_for_the_database_answers_404_in_every_area(client, login_as, path):
    from tests.factories import UserFactory

    login_as(client, UserFactory(admin=True))
    assert client.get(path.format(big=TOO_BIG)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/kurser",
        "/admin/kurser",
        "/admin/anvandare",
        "/admin/logg",
        "/admin/utkorg",
        "/kurser/{run}/deltagare",
        "/narvaro",
        "/admin/intyg",
    ],
)
def test_a_page_number_too_large_for_the_database_still_shows_the_page(client, db, login_as, path):
    from tests.factories import CourseRunFactory, UserFactory

    run = CourseRunFactory()
    user = UserFactory(admin=True)
    db.session.commit()
    login_as(client, user)
    response = client.get(path.format(run=run.id) + f"?sida={TOO_BIG}")
    assert response.status_code == 200, response.status_code
    assert "<h1" in response.get_data(as_text=True)


# -- bad requests that never reach a view: an untrusted Host header, a body too large -------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/kurser"),
        ("GET", "/finns-inte"),
        ("POST", "/logga-in"),
    ],
)
def test_an_untrusted_host_gets_the_swedish_400_page_built_without_it(app, method, path):
    """The page must not build a URL: every URL built from the request would carry the bad host."""
    app.config.update(TRUSTED_HOSTS=["kurser.example"], PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.open(path, method=method, base_url="https://evil.example")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Okänd webbadress" in html
    assert '<html lang="sv">' in html
    assert "evil.example" not in html
    assert "Traceback" not in html and "SecurityError" not in html
    assert response.headers["Content-Type"].startswith("text/html")
    # The same page on the trusted host is served as usual.
    assert client.get("/", base_url="https://kurser.example").status_code == 200


def test_an_untrusted_host_gets_the_400_page_when_logged_in_too(app, db, login_as):
    from tests.factories import UserFactory

    client = app.test_client()
    login_as(client, UserFactory(full_name="Anna Svensson", staff=True))
    app.config.update(TRUSTED_HOSTS=["kurser.example"], PROPAGATE_EXCEPTIONS=False)
    # The session cookie is sent (it belongs to the client's own address); the Host header lies.
    response = client.get("/admin/anvandare", headers={"Host": "evil.example"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Okänd webbadress" in html
    assert "Anna Svensson" not in html


def test_the_body_limit_has_a_sane_default():
    from coursehub.config import Defaults

    assert 0 < Defaults.MAX_CONTENT_LENGTH <= 2 * 1024 * 1024


@pytest.mark.parametrize("size", ["body", "field"])
def test_a_too_large_body_gets_the_swedish_413_page(app, size):
    app.config.update(PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=True)
    limit = app.config["MAX_CONTENT_LENGTH"]
    # A body over the limit, or one multipart form field over the per-field limit (werkzeug
    # applies it to multipart only) inside a body that fits.
    length = limit + 1 if size == "body" else app.config["MAX_FORM_MEMORY_SIZE"] + 1
    assert size == "body" or length < limit
    response = app.test_client().post(
        "/logga-in",
        data={"login": "x" * length, "password": "y"},
        content_type="application/x-www-form-urlencoded" if size == "body" else "multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Det som skickades var för stort" in html
    assert '<html lang="sv">' in html
    assert "Traceback" not in html and "Request Entity Too Large" not in html


@pytest.mark.own_app("adds routes that fail on purpose")
def test_when_the_full_error_page_fails_the_bare_one_is_shown(failing_app):
    """The 500 page must come out even when the full layout cannot be rendered (no database)."""

    @failing_app.context_processor
    def broken():
        raise RuntimeError("the database is down")

    response = failing_app.test_client().get("/test/crash")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in html and '<html lang="sv">' in html
    assert "Traceback" not in html and "database is down" not in html


# -- no page is kept by a browser or a proxy: personal data and tokens (SECURITY.md) -------------


def _anonymous_rules():
    from tests.access import ANONYMOUS, all_rules

    return sorted(
        (rule for rule in all_rules().values() if ANONYMOUS in rule.allowed), key=lambda rule: rule.endpoint
    )


@pytest.mark.parametrize("rule", _anonymous_rules(), ids=lambda rule: rule.endpoint)
def test_every_page_a_visitor_can_open_is_not_stored(app, client, rule):
    """Every route open to visitors, from the access table: a new one is held to it too."""
    from flask import url_for

    with app.test_request_context():
        url = url_for(rule.endpoint, **rule.args(None))
    response = client.open(url, method=rule.method, data=rule.data(None))
    assert response.status_code < 500
    assert response.headers.get("Cache-Control") == "no-store", (url, response.status_code)


def test_the_certificate_check_shows_a_name_and_is_not_stored(client, db, clock):
    from coursehub.attendance.services import revoke_certificate
    from tests.attendance.factories import CertificateFactory
    from tests.factories import UserFactory

    certificate = CertificateFactory(completion__user=UserFactory(family=True, full_name="Lena Holm"))
    db.session.commit()
    response = client.get(f"/intyg/{certificate.code}")
    assert "Lena Holm" in response.get_data(as_text=True)
    assert response.headers.get("Cache-Control") == "no-store"
    revoke_certificate(certificate, actor=UserFactory(staff=True), reason="Fel", now=clock.now)
    db.session.commit()
    response = client.get(f"/intyg/{certificate.code}")
    assert response.status_code == 410 and response.headers.get("Cache-Control") == "no-store"
    response = client.get("/intyg/ABCD-EFGH")
    assert response.status_code == 404 and response.headers.get("Cache-Control") == "no-store"


def test_a_family_registration_that_comes_back_with_typed_names_is_not_stored(client, db):
    from tests.factories import CourseRunFactory

    run = CourseRunFactory()
    db.session.commit()
    response = client.post(
        f"/kurser/{run.id}/ny-familj",
        data={"adult1_name": "Lena Holm", "adult1_email": "lena.holm@exempel.se", "municipality_id": "0"},
    )
    html = response.get_data(as_text=True)
    assert "lena.holm@exempel.se" in html  # the form came back with what was typed
    assert response.headers.get("Cache-Control") == "no-store"


def test_a_failed_login_that_shows_the_typed_address_back_is_not_stored(client, db):
    response = client.post(
        "/logga-in", data={"login": "lena.holm@exempel.se", "password": "fel-lösenord-här"}
    )
    assert "lena.holm@exempel.se" in response.get_data(as_text=True)
    assert response.headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize("path", ["/finns-inte", "/"])
def test_error_pages_are_not_stored_either(app, client, path):
    app.config.update(TRUSTED_HOSTS=["kurser.example"])
    response = client.get(path, headers={"Host": "evil.example"} if path == "/" else {})
    assert response.status_code in (400, 404)
    assert response.headers.get("Cache-Control") == "no-store"


def test_static_files_may_be_cached(client):
    with client.get("/static/css/coursehub.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")
