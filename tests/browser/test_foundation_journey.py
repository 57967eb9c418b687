"""Each demo role logs in, sees a navigation that fits it, and every page passes axe."""

import pytest
from playwright.sync_api import expect

from coursehub.extensions import db
from tests.factories import UserFactory
from tests.support.browser import menu_link


def test_visitor_pages_are_accessible(page, accessible):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Välkommen till familjehemsresursen"
    accessible(page, context="start page")
    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    assert page.locator("h1").inner_text() == "Tillgänglighetsredogörelse"
    accessible(page, context="accessibility statement")
    page.get_by_role("link", name="Logga in").click()
    accessible(page, context="login")


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "municipal", "member", "family", "steering"])
def test_each_role_logs_in_and_sees_its_menu(page, accessible, browser_login, role):
    user = UserFactory(**{role: True}) if role in ("municipal", "family") else UserFactory(roles=[role])
    db.session.commit()
    browser_login(page, user)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    shows_users = menu_link(page, "Användare").count() == 1
    assert shows_users == (role in ("admin", "staff"))
    accessible(page, context=f"start page as {role}")
    page.get_by_role("link", name=user.full_name).click()
    assert page.locator("h1").inner_text() == "Mitt konto"
    accessible(page, context=f"profile as {role}")
