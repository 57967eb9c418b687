"""CSRF is enforced on every POST route; a form page with an old token keeps what was typed."""

import re

import pytest
from flask import url_for

from coursehub import create_app
from coursehub.extensions import db
from tests.access import ANONYMOUS, all_rules, user_for

_app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
TABLE = all_rules()
_POSTS = [r for r in _app.url_map.iter_rules() if "POST" in r.methods]
# POSTs that cannot carry a form token, each with its reason and its own tests:
# forum.unsubscribe_one_click is RFC 8058's one-click unsubscribe, posted by mail programs; the
# signed token in its URL is the proof (tests/forum/test_notify.py).
CSRF_EXEMPT = {"forum.unsubscribe_one_click"}
BUTTON_RULES = sorted(
    {TABLE[r.endpoint] for r in _POSTS if "GET" not in r.methods and r.endpoint not in CSRF_EXEMPT},
    key=lambda rule: rule.endpoint,
)
FORM_PAGE_RULES = sorted(
    {TABLE[r.endpoint] for r in _POSTS if "GET" in r.methods}, key=lambda rule: rule.endpoint
)
TYPED = "Inskrivet-värde-åäö"
TYPED_INPUTS = ("text", "email", "tel", "search", "date", "time", "number", "url")
TEXT_INPUT = re.compile(
    rf'<(?:input[^>]*type="(?:{"|".join(TYPED_INPUTS)})"[^>]*|textarea[^>]*)name="([^"]+)"'
    rf'|<(?:input[^>]*|textarea[^>]*)name="([^"]+)"[^>]*type="(?:{"|".join(TYPED_INPUTS)})"'
)
FORM = re.compile(r"<form([^>]*)>(.*?)</form>", re.S)
LINK_PAGES = {"accounts.reset_password": "reset", "accounts.accept_invitation": "invitation"}


def _url_args(rule, user) -> dict:
    """The table's arguments; for the e-mailed link pages a working link, so there is a form."""
    if rule.endpoint not in LINK_PAGES:
        return rule.args(user)
    from datetime import timedelta

    from coursehub import clock
    from coursehub.accounts.models import AccountToken, TokenPurpose
    from coursehub.accounts.services import hash_token
    from tests.factories import UserFactory

    db.session.add(
        AccountToken(
            user=UserFactory(),
            purpose=TokenPurpose(LINK_PAGES[rule.endpoint]),
            token_hash=hash_token("en-giltig-lank"),
            expires_at=clock.now() + timedelta(hours=1),
        )
    )
    db.session.commit()
    return {"token": "en-giltig-lank"}


def _pending_login(client, user) -> None:
    """Turn on a second factor for `user` and leave this client at the login's code step."""
    from coursehub import clock
    from coursehub.accounts.views.second_factor import PENDING, pending_login
    from tests.accounts.second_factor_helpers import enable_second_factor

    enable_second_factor(user)
    db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session[PENDING] = pending_login(user, clock.now())


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("rule", BUTTON_RULES, ids=lambda rule: rule.endpoint)
def test_a_button_without_token_is_refused_and_does_nothing(app, client, login_as, rule):
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


@pytest.mark.parametrize("rule", FORM_PAGE_RULES, ids=lambda rule: rule.endpoint)
def test_a_form_with_an_old_token_comes_back_with_what_was_typed(app, client, login_as, rule):
    role = "admin" if "admin" in rule.allowed else sorted(rule.allowed - {ANONYMOUS})[0]
    user = user_for(role)
    db.session.commit()
    if user is not None:
        login_as(client, user)
    if rule.endpoint == "accounts.second_factor_login":  # the code step has a form after a password
        _pending_login(client, user)
    with app.test_request_context():
        url = url_for(rule.endpoint, **_url_args(rule, user))
    form_page = client.get(url).get_data(as_text=True)
    assert 'name="csrf_token"' in form_page
    own_forms = [
        body
        for attrs, body in FORM.findall(form_page)
        if 'action="' not in attrs or f'action="{url}"' in attrs
    ]
    fields = [a or b for body in own_forms for a, b in TEXT_INPUT.findall(body)]
    posted = dict.fromkeys(fields, TYPED) | {"password": TYPED, "csrf_token": "gammal"}
    response = client.post(url, data=posted)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "inget har sparats" in html
    assert 'name="csrf_token"' in html  # a fresh token to send it again with
    for name in fields:  # every typed field is filled in again; a password never is
        assert re.search(
            rf'name="{name}"[^>]*value="{TYPED}"|value="{TYPED}"[^>]*name="{name}"'
            rf'|name="{name}"[^>]*>\s*{TYPED}</textarea>',
            html,
        ), name
