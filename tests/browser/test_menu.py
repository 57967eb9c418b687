"""The menu on a phone hides behind a real button; at 1280 px its links sit on one line."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.support.browser import screenshot_on_failure

PHONE = {"width": 390, "height": 844}


def open_start_page(chromium, live_server, tmp_path, *, viewport, javascript=True):
    context = chromium.new_context(
        base_url=live_server.url, locale="sv-SE", viewport=viewport, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/")
    return context, page


def test_on_a_phone_the_menu_opens_and_closes_with_its_button(chromium, live_server, tmp_path, accessible):
    context, page = open_start_page(chromium, live_server, tmp_path, viewport=PHONE)
    with screenshot_on_failure(page, tmp_path / "phone-menu.png"):
        button = page.get_by_role("button", name="Meny")
        courses = page.locator("#site-menu").get_by_role("link", name="Kurser", exact=True)
        assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
        assert button.get_attribute("aria-controls") == "site-menu"
        assert not courses.is_visible()

        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        expect(courses).to_be_visible()
        accessible(page, context="the open menu at 390 px")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false" and not courses.is_visible()
    context.close()


def test_without_javascript_the_menu_is_simply_shown(chromium, live_server, tmp_path):
    context, page = open_start_page(chromium, live_server, tmp_path, viewport=PHONE, javascript=False)
    with screenshot_on_failure(page, tmp_path / "no-js-menu.png"):
        assert not page.get_by_role("button", name="Meny").is_visible()
        expect(page.locator("#site-menu").get_by_role("link", name="Kurser", exact=True)).to_be_visible()
    context.close()


def test_at_1280_px_the_staff_menu_fits_one_line_without_a_button(
    chromium, live_server, tmp_path, db, browser_login
):
    admin = UserFactory(admin=True, full_name="Ada Admin")
    db.session.commit()
    context, page = open_start_page(chromium, live_server, tmp_path, viewport={"width": 1280, "height": 900})
    with screenshot_on_failure(page, tmp_path / "desktop-menu.png"):
        browser_login(page, admin)
        assert not page.get_by_role("button", name="Meny").is_visible()
        tops = page.eval_on_selector_all(
            # The entries on the bar itself; the administration pages sit in their closed disclosure.
            "#site-menu .navbar-nav > .nav-item > .nav-link, #site-menu .navbar-nav > .nav-item summary",
            "links => links.map(a => Math.round(a.getBoundingClientRect().top))",
        )
        assert len(tops) >= 6 and len(set(tops)) == 1, tops
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()
