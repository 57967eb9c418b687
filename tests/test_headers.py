"""The security headers on every GET route, for every role (SECURITY.md, Input and output: Headers).

The routes come from the access table (tests/access/), which `test_access_table.py` holds to
`app.url_map`; here a further check makes sure that every route answering GET has a GET row, so that
no page escapes the walk. Each role opens every GET route, allowed or not: a refusal (403, 404, a
redirect to the login page) carries the headers too.

The rule for `Cache-Control: no-store`: every response but a static file. Not only pages of
logged-in users show personal data: the certificate check shows a name, the e-mailed links a name,
a form sent back what was typed. `coursehub/web.py` sets it in one after_request hook.
"""

from __future__ import annotations

from flask import url_for

from coursehub import create_app
from tests.access import ROLES, all_rules, user_for

TABLE = all_rules()
STATIC = {"static", "bootstrap.static"}
GET_RULES = sorted((rule for rule in TABLE.values() if rule.method == "GET"), key=lambda rule: rule.endpoint)


def _directives(policy: str) -> dict[str, list[str]]:
    """Split a Content-Security-Policy into its directives and their sources."""
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = [word.lower() for word in words[1:]]
    return parsed


def header_problems(response) -> list[str]:
    """Return what is missing or wrong in the security headers of `response`."""
    headers = response.headers
    problems: list[str] = []
    policy = headers.get("Content-Security-Policy")
    if not policy:
        problems.append("no Content-Security-Policy")
    else:
        directives = _directives(policy)
        default = directives.get("default-src")
        for kind in ("script-src", "style-src"):
            sources = directives.get(kind, default)
            if sources is None:
                problems.append(f"CSP has neither {kind} nor default-src")
            elif "'unsafe-inline'" in sources or "'unsafe-eval'" in sources:
                problems.append(f"CSP allows inline {kind}: {policy}")
        if directives.get("frame-ancestors") != ["'none'"]:
            problems.append(f"CSP lacks frame-ancestors 'none': {policy}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("Referrer-Policy") not in ("same-origin", "no-referrer", "strict-origin"):
        problems.append(f"Referrer-Policy is {headers.get('Referrer-Policy')!r}")
    if "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {headers.get('Cache-Control')!r}")
    return problems


def test_every_route_that_answers_get_has_a_get_row():
    """A route that answers GET but is listed only as POST would be left out of the walk below."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    answering_get = {
        rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())
    } - STATIC
    walked = {rule.endpoint for rule in GET_RULES}
    assert sorted(answering_get - walked) == []


def test_every_get_route_sends_the_security_headers_to_every_role(app, db, client, login_as):
    """One app for the whole walk: its templates are compiled once, which keeps the walk quick."""
    problems: dict[str, list[str]] = {}
    for role in ROLES:
        for rule in GET_RULES:
            # Each route with its own user and records, rolled back after: the argument builders of
            # two routes may make records with the same name.
            user = user_for(role)
            if user is None:
                client.delete_cookie("session")
            else:
                login_as(client, user)
            with app.test_request_context():
                url = url_for(rule.endpoint, **rule.args(user))
            with client.get(url) as response:
                found = header_problems(response)
            if found:
                problems[f"{role} {url} ({response.status_code})"] = found
            db.session.rollback()
    assert not problems, "\n".join(f"{page}: {'; '.join(found)}" for page, found in problems.items())


def test_static_files_carry_the_headers_but_may_be_cached(client):
    with client.get("/static/css/coursehub.css") as response:
        assert response.status_code == 200
        problems = header_problems(response)
    assert problems == [f"Cache-Control is {response.headers.get('Cache-Control')!r}"]


def test_development_sends_no_hsts_and_production_sends_it_on_every_page(app, client, login_as):
    """HSTS only where the site is served over HTTPS: the production setting turns it on."""
    assert "Strict-Transport-Security" not in client.get("/logga-in").headers
    app.config.update(ENV_NAME="production")
    login_as(client, user_for("staff"))
    for path in ("/", "/logga-in", "/profil", "/finns-inte", "/static/css/coursehub.css"):
        with client.get(path, base_url="https://kurser.example") as response:
            hsts = response.headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000, path
