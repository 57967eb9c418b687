"""Random, odd and extreme input posted into every form of every role (TESTING.md, bad input).

The forms are discovered, not listed: every route of the access table (tests/access/) that takes a
POST, and every page whose view builds a form without a CSRF token (the query-string filters), is
opened as each kind of role that may use it. The forms its view builds (every `BaseForm`) are
recorded with their fields, and each field is filled from a strategy chosen by its type. A route or
a form added later (the forum's) is fuzzed without touching this file.

After each example: no response is a 500 (TESTING propagates the exception, so it fails with its
traceback), a refused post (an error beside a field or above the form, a flashed error, a 4xx) has
written no row, and the seats held match every run's count.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehub import create_app
from coursehub.extensions import db
from coursehub.lib.forms import BaseForm
from coursehub.lib.work import ERROR
from tests.access import ROLES, all_rules, user_for
from tests.fuzz.strategies import for_field
from tests.support.seats import check_no_seat_drift

TABLE = all_rules()
_app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
_METHODS = {rule.endpoint: rule.methods or set() for rule in _app.url_map.iter_rules()}
# A refused attempt may leave these behind on purpose: the login throttle and the audit trail.
MAY_CHANGE_WHEN_REFUSED = {"login_throttles", "audit_entries"}
# The e-mailed link pages show their form only for a working link.
LINK_PAGES = {"accounts.reset_password": "reset", "accounts.accept_invitation": "invitation"}
# A page open to (nearly) everyone shows every visitor the same form: a stranger and a family post it.
REPRESENTATIVES = ("anonymous", "family")


def _roles(allowed: frozenset[str]) -> list[str]:
    """The roles to post a route's form as: each kind that may, staff standing in for admins."""
    if len(allowed) > 4:
        return [role for role in REPRESENTATIVES if role in allowed]
    return sorted(allowed - {"admin"} if "staff" in allowed else allowed)


POSTED = sorted(
    (endpoint, role)
    for endpoint, rule in TABLE.items()
    if "POST" in _METHODS.get(endpoint, set())
    for role in _roles(rule.allowed)
)
# Pages whose views may build a query-string form (a filter or a search box): every GET-only route.
PAGES = sorted(
    endpoint
    for endpoint, rule in TABLE.items()
    if rule.method == "GET" and "POST" not in _METHODS.get(endpoint, set())
)
QUERY_ROLES = [role for role in ROLES if role != "admin"]


def _url_args(rule, user) -> dict:
    if rule.endpoint not in LINK_PAGES:
        return rule.args(user)
    from coursehub import clock
    from coursehub.accounts.models import AccountToken, TokenPurpose
    from coursehub.accounts.services import hash_token
    from tests.factories import UserFactory

    token = secrets.token_urlsafe(16)
    db.session.add(
        AccountToken(
            user=UserFactory(),
            purpose=TokenPurpose(LINK_PAGES[rule.endpoint]),
            token_hash=hash_token(token),
            expires_at=clock.now() + timedelta(hours=1),
        )
    )
    db.session.commit()
    return {"token": token}


class FormRecorder:
    """Record every BaseForm a view builds during one request."""

    def __init__(self, monkeypatch):
        self.forms: list[BaseForm] = []
        original = BaseForm.__init__
        recorder = self

        def spying_init(form, *args, **kwargs):
            original(form, *args, **kwargs)
            recorder.forms.append(form)

        monkeypatch.setattr(BaseForm, "__init__", spying_init)

    def take(self) -> list[BaseForm]:
        forms, self.forms = self.forms, []
        return forms


def _refused(response, forms, client) -> bool:
    if response.status_code >= 400:
        return True
    if any(form.form_errors or any(field.errors for field in form) for form in forms):
        return True
    with client.session_transaction() as session:
        return any(category == ERROR for category, _message in session.get("_flashes", []))


def _row_counts() -> dict[str, int]:
    counts = [
        sa.select(sa.literal(table.name), sa.func.count()).select_from(table)
        for table in db.metadata.sorted_tables
    ]
    return dict(db.session.execute(sa.union_all(*counts)).all())


def _strategy(forms) -> st.SearchStrategy[dict]:
    fields = {}
    for form in forms:
        for field in form:
            strategy = for_field(field)
            if strategy is not None:
                fields[field.name] = strategy
    return st.fixed_dictionaries(fields, optional={"x": st.text(max_size=20)})


def _login(client, login_as, user):
    if user is not None:
        db.session.refresh(user)
        login_as(client, user)


class Target:
    """One route as one role: its URL (built afresh, with new records, for every example)."""

    def __init__(self, app, endpoint, user):
        self.app, self.endpoint, self.user, self.rule = app, endpoint, user, TABLE[endpoint]

    def url(self) -> str:
        with self.app.test_request_context():
            return url_for(self.endpoint, **_url_args(self.rule, self.user))

    def forms(self, client, recorder) -> list[BaseForm]:
        """Open the route as its page (or post what the table posts) and return the forms built."""
        recorder.take()
        if "GET" in _METHODS[self.endpoint]:
            client.get(self.url())
        else:
            client.post(self.url(), data=self.rule.data(self.user))
        db.session.rollback()
        return recorder.take()


def _fuzz(target, forms, client, login_as, recorder, *, method):
    """Send examples drawn for `forms` to `target`; check no 500, no half-written row, no drift.

    Returns the status of every answer, so that the test can show what it saw.
    """
    statuses: list[int] = []

    @settings()  # the profile's settings (tests/conftest.py)
    @given(data=_strategy(forms))
    def send_one(data):
        db.session.rollback()
        _login(client, login_as, target.user)
        url = target.url()
        db.session.commit()  # what the arguments built is there before the post, whatever it does
        recorder.take()
        before = _row_counts()
        if method == "POST":
            response = client.post(url, data=data)
        else:
            response = client.get(url, query_string=data)
        statuses.append(response.status_code)
        assert response.status_code < 500, (url, data)
        db.session.rollback()
        if method == "POST" and _refused(response, recorder.take(), client):
            after = _row_counts()
            changed = {t for t in before if before[t] != after[t]} - MAY_CHANGE_WHEN_REFUSED
            assert not changed, f"a refused post to {url} wrote rows in {sorted(changed)}: {data!r}"
        check_no_seat_drift(db.session)

    send_one()
    return statuses


# A long random text makes a long failing example to print; that is expected here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)


@pytest.mark.parametrize(("endpoint", "role"), POSTED, ids=[f"{e}-{r}" for e, r in POSTED])
def test_every_posted_form_takes_any_input_without_a_500(app, client, login_as, monkeypatch, endpoint, role):
    user = user_for(role)
    db.session.commit()
    _login(client, login_as, user)
    recorder = FormRecorder(monkeypatch)
    target = Target(app, endpoint, user)
    statuses = _fuzz(target, target.forms(client, recorder), client, login_as, recorder, method="POST")
    assert statuses, f"no example was posted to {endpoint}"
    assert max(statuses) < 500, statuses


@pytest.mark.parametrize("role", QUERY_ROLES)
def test_every_query_form_takes_any_input_without_a_500(app, client, login_as, monkeypatch, role):
    user = user_for(role)
    db.session.commit()
    recorder = FormRecorder(monkeypatch)
    fuzzed = []
    for endpoint in PAGES:
        if role not in TABLE[endpoint].allowed:
            continue
        _login(client, login_as, user)
        target = Target(app, endpoint, user)
        forms = [form for form in target.forms(client, recorder) if not form.meta.csrf]
        if forms:
            _fuzz(target, forms, client, login_as, recorder, method="GET")
            fuzzed.append(endpoint)
    if role == "staff":  # the filters staff use: proof that discovery finds query forms at all
        assert {"accounts.admin_users", "accounts.audit_log"} <= set(fuzzed), fuzzed
