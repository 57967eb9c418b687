"""Every route × every role against the access table (SECURITY.md, Access)."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from coursehub import create_app
from tests.access import ANONYMOUS, ROLES, all_rules, user_for
from tests.test_glossary import you_words_in_page

IGNORED = {"static", "bootstrap.static"}
TABLE = all_rules()
# Families and visitors are addressed as "ni" (docs/glossary.md). An account page speaks to the one
# person who holds the account ("ditt lösenord"), and the forum's unsubscribe links come from mail
# to one network member: those may say "du".
FAMILY_VOICE = {ANONYMOUS, "family"}
ONE_PERSON_ENDPOINT = re.compile(r"accounts\.|forum\.unsubscribe")


def test_every_route_has_an_entry_and_every_entry_a_route():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    missing = sorted(endpoints - TABLE.keys())
    stale = sorted(TABLE.keys() - endpoints)
    assert not missing, f"routes without an entry in the access table: {missing}"
    assert not stale, f"entries for routes that do not exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_route_answers_each_role_as_the_table_says(app, client, login_as, endpoint, role):
    rule = TABLE[endpoint]
    user = user_for(role)
    if user is not None:
        login_as(client, user)
    with app.test_request_context():
        url = url_for(endpoint, **rule.args(user))
    if rule.method == "POST":
        response = client.post(url, data=rule.data(user))
    else:
        response = client.get(url)
    to_login = response.status_code in (301, 302, 303) and "/logga-in" in response.location
    if role in rule.allowed:
        assert response.status_code not in (401, 403, 404, 405), (url, response.status_code)
        assert not to_login, f"{url} sent an allowed {role} to the login page"
        assert response.status_code < 500
        if role in FAMILY_VOICE and response.status_code == 200 and response.mimetype == "text/html":
            if not ONE_PERSON_ENDPOINT.match(endpoint):
                found = you_words_in_page(response.get_data(as_text=True))
                assert not found, f"{url} says {found} to a {role}; families read ni (docs/glossary.md)"
    elif role == ANONYMOUS:
        assert to_login or response.status_code == 404, (url, response.status_code)
    else:
        assert response.status_code in rule.denied_status, (url, role, response.status_code)
