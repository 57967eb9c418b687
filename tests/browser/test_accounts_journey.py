"""Staff invite a new user, who chooses a password through the e-mailed link and logs in."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.support.browser import menu_link

NEW_PASSWORD = "ett-eget-långt-lösenord"
LINK = re.compile(r"http://coursehub\.test(/inbjudan/[A-Za-z0-9_-]+)")


def _invitation_path(recipient: str) -> str:
    db.session.rollback()  # see what the server thread has committed
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)).one()
    return LINK.search(message.body_text).group(1)


def test_staff_invite_a_user_who_sets_a_password_and_logs_in(page, accessible, browser_login):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    UserFactory(full_name="Lars Holm", username="lars.holm", email="lars@exempel.se", roles=["leader"])
    UserFactory(full_name="Maria Ek", username="maria.ek", email="maria@exempel.se", roles=["member"])
    db.session.commit()

    browser_login(page, staff)
    menu_link(page, "Användare").click()
    assert page.locator("h1").inner_text() == "Användare"
    accessible(page, context="user list")

    page.get_by_label("Sök på namn, e-post eller användarnamn").fill("holm")
    page.get_by_role("button", name="Sök", exact=True).click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Lars Holm")).to_be_visible()
    assert table.get_by_text("Maria Ek").count() == 0
    accessible(page, context="user search")

    page.get_by_role("link", name="Bjud in en ny användare").click()
    accessible(page, context="invite form")
    page.get_by_label("Namn", exact=True).fill("Örjan Åström")
    page.get_by_label("E-postadress", exact=True).fill("lars@exempel.se")
    page.get_by_label("Kursledare").check()
    page.get_by_role("button", name="Skapa konto och skicka inbjudan").click()
    expect(page.get_by_text("Det finns redan ett konto med den här e-postadressen.")).to_be_visible()
    accessible(page, context="invite form with an error")
    page.get_by_label("E-postadress", exact=True).fill("orjan@exempel.se")
    page.get_by_role("button", name="Skapa konto och skicka inbjudan").click()
    assert page.locator("h1").inner_text() == "Örjan Åström"
    expect(page.get_by_text("Örjan Åström har fått en inbjudan till orjan@exempel.se")).to_be_visible()
    accessible(page, context="edit user")

    menu_link(page, "Logg").click()
    expect(page.get_by_role("table").get_by_text("user.invite")).to_be_visible()
    accessible(page, context="audit log")
    page.get_by_role("button", name="Logga ut").click()

    page.goto(_invitation_path("orjan@exempel.se"))
    assert page.locator("h1").inner_text() == "Välkommen, Örjan"
    accessible(page, context="invitation")
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Skriv lösenordet igen").fill("inte-samma-lösenord")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Lösenorden är inte lika.")).to_be_visible()
    accessible(page, context="invitation with an error")
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Skriv lösenordet igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    assert page.locator("h1").inner_text() == "Logga in"
    expect(page.get_by_text("Ditt lösenord är sparat.")).to_be_visible()
    accessible(page, context="login after invitation")

    page.get_by_label("E-postadress eller användarnamn").fill("orjan.astrom")
    page.get_by_label("Lösenord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()
    page.get_by_role("link", name="Örjan Åström").click()
    assert page.locator("h1").inner_text() == "Mitt konto"
    expect(page.get_by_text("Kursledare")).to_be_visible()
    accessible(page, context="profile of the invited user")


def test_forgotten_password_pages_are_accessible(page, accessible):
    page.goto("/logga-in")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    accessible(page, context="forgot password")
    page.get_by_label("E-postadress").fill("okand@exempel.se")
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.get_by_text("Om det finns ett konto med den adressen")).to_be_visible()
    page.goto("/aterstall-losenord/en-gammal-lank")
    expect(page.get_by_text("Länken gäller inte.")).to_be_visible()
    accessible(page, context="invalid link")
