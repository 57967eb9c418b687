"""CSRF is enforced on every POST route: without a token, nothing is done."""

import pytest
from flask import url_for

from coursehub import create_app
from coursehub.extensions import db
from tests.access import all_rules

_app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
TABLE = all_rules()
POST_RULES = sorted(
    {TABLE[r.endpoint] for r in _app.url_map.iter_rules() if "POST" in r.methods},
    key=lambda rule: rule.endpoint,
)


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda rule: rule.endpoint)
def test_post_without_token_is_refused_with_a_swedish_page(app, client, login_as, rule):
    from tests.factories import UserFactory

    user = UserFactory(admin=True)
    login_as(client, user)
    token_before = user.session_token
    with app.test_request_context():
        url = url_for(rule.endpoint, **rule.args(user))
    response = client.post(url, data=rule.data(user))
    assert response.status_code == 400
    assert "Formuläret har gått ut" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.session_token == token_before  # e.g. logout did not happen
