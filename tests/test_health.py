"""The health probes: /healthz answers without the database, /readyz asks it one trivial question."""

from __future__ import annotations

import pytest
from flask import url_for

from coursehub import create_app
from coursehub.extensions import db as _db
from coursehub.extensions import limiter
from tests.factories import UserFactory
from tests.support.sql import count_traffic


def test_healthz_answers_without_database_or_cookie(app, client, login_as):
    user = UserFactory(roles=["staff"])
    _db.session.commit()
    login_as(client, user)
    with count_traffic(_db.engine) as traffic:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert traffic.statements == []
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_an_ordinary_page_does_load_the_user_and_refresh_the_session(app, client, login_as):
    # The counterpart of the test above: it shows that the count and the cookie check can fail.
    user = UserFactory(roles=["staff"])
    _db.session.commit()
    login_as(client, user)
    with count_traffic(_db.engine) as traffic:
        response = client.get("/")
    assert response.status_code == 200
    assert traffic.statements
    assert "Set-Cookie" in response.headers


def test_readyz_asks_the_database_once(app, client):
    with count_traffic(_db.engine) as traffic:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert [s.strip() for s in traffic.statements if "SELECT" in s.upper()] == ["SELECT 1"]


@pytest.mark.parametrize(
    "url",
    ["sqlite:////nonexistent-coursehub-dir/none.db", "postgresql+psycopg://postgres@127.0.0.1:1/none"],
)
def test_readyz_says_503_when_the_database_is_down(app, url):
    down = create_app(
        {
            "ENV_NAME": "testing",
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "COURSEHUB_SCHEDULER": "",
        }
    )
    with down.app_context():
        response = down.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.get_data(as_text=True) == "database unavailable\n"
        assert down.test_client().get("/healthz").status_code == 200
        _db.session.remove()


@pytest.fixture
def app_config() -> dict:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "3 per minute"}


def test_probes_are_never_rate_limited(app, client):
    for _ in range(10):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
    # An ordinary page is held to the same limit, so the limit is really on.
    with app.test_request_context():
        page = url_for("pages.accessibility")
    statuses = [client.get(page).status_code for _ in range(5)]
    assert 429 in statuses
    limiter.reset()


def test_query_count_header_is_off_by_default_and_counts_when_asked(app, client, template_database):
    assert "X-Query-Count" not in client.get("/readyz").headers
    url, drop = template_database()
    counted = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": url, "COURSEHUB_QUERY_COUNT_HEADER": True})
    try:
        with counted.app_context():
            probe = counted.test_client()
            assert probe.get("/healthz").headers["X-Query-Count"] == "0"
            assert probe.get("/readyz").headers["X-Query-Count"] == "1"
            _db.session.remove()
            _db.engine.dispose()
    finally:
        drop()
