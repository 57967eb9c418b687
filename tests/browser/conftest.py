"""Browser fixtures: the app served on 127.0.0.1, Debian's Chromium through Playwright, axe-core.

Data a journey needs must be committed (`db.session.commit()`) before the browser asks for it:
the server thread uses its own database session.
"""

from __future__ import annotations

import pytest

from coursehub.lib.database import read_without_write_lock
from tests.support.browser import (
    PAGE_PAUSE_SECONDS,
    LiveServer,
    assert_accessible,
    screenshot_on_failure,
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(app):
    # The test reads between browser steps (a user's e-mail to log in, a link from the outbox);
    # on SQLite those reads must not hold the write lock that the server's POSTs wait for.
    read_without_write_lock()
    # Each page comes as over a slow phone connection: a check that does not wait for the page
    # fails every time instead of now and then (tests/support/browser.py, arriving_slowly).
    with LiveServer(app, page_pause=PAGE_PAUSE_SECONDS) as server:
        yield server


@pytest.fixture
def page(chromium, live_server, request, tmp_path):
    """A fresh browser context per test; a screenshot is saved when the test fails."""
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.set_default_timeout(10_000)
    with screenshot_on_failure(page, tmp_path / f"{request.node.name}.png"):
        yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server, request, tmp_path):
    """Like `page`, at a phone-sized viewport with touch."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    with screenshot_on_failure(page, tmp_path / f"{request.node.name}.png"):
        yield page
    context.close()


@pytest.fixture
def accessible():
    """Call `accessible(page)` on every page a journey visits: zero WCAG 2.1 A/AA violations."""
    return assert_accessible


@pytest.fixture
def browser_login():
    """Log in through the real login form."""
    from tests.factories import PASSWORD

    def _login(page, user, password: str = PASSWORD):
        page.goto("/logga-in")
        page.get_by_label("E-postadress eller användarnamn").fill(user.email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").last.click()
        page.wait_for_load_state()

    return _login
