"""A staff member reads the outbox in Chromium; every page passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coursehub.extensions import db
from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory
from tests.support.browser import menu_link

pytestmark = pytest.mark.browser


def test_staff_reads_a_failed_message_and_puts_it_back_in_line(
    page, accessible, browser_login, queue_test_message
):
    OutboxMessageFactory(
        failed=True,
        subject="Kallelse till träff 2",
        last_error="Servern svarade 550 5.1.1 Mailbox unavailable",
    )
    OutboxMessageFactory(sent=True, subject="Välkommen till kursen")
    queue_test_message("erik@exempel.test", name="Erik")
    staff = UserFactory(staff=True)
    db.session.commit()

    browser_login(page, staff)
    menu_link(page, "Utkorg").click()
    expect(page.locator("h1")).to_have_text("Utkorg")
    expect(page.get_by_text("Ingen e-postserver är inställd")).to_be_visible()
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("Kallelse till träff 2")
    expect(first_row).to_contain_text("Misslyckades")
    accessible(page, context="outbox")

    page.get_by_role("link", name="Testmeddelande från").click()
    expect(page.locator("pre")).to_contain_text("Hej Erik!")
    accessible(page, context="outbox message")

    page.get_by_role("link", name="Tillbaka till utkorgen").click()
    page.get_by_role("link", name="Kallelse till träff 2", exact=True).click()
    page.get_by_role("button", name="Försök igen nu").click()
    expect(page.get_by_text("Meddelandet skickas vid nästa utskick")).to_be_visible()
    expect(page.get_by_text("Väntar", exact=True)).to_be_visible()
    accessible(page, context="outbox message after retry")


def test_staff_correct_the_address_of_a_failed_message(page, accessible, browser_login):
    failed = OutboxMessageFactory(
        failed=True,
        subject="Välkommen till kursen",
        recipient="åsa@exempel.test",
        last_error="Mottagarens adress går inte att skicka till: Delen före @ får bara ha "
        "bokstäverna a–z (inte å, ä, ö)",
    )
    staff = UserFactory(staff=True)
    db.session.commit()

    browser_login(page, staff)
    menu_link(page, "Utkorg").click()
    page.get_by_role("link", name=re.compile(r"^Rätta adressen\W+Välkommen till kursen$")).click()
    expect(page.locator("h1")).to_have_text("Rätta mottagarens adress")
    expect(page.get_by_text("Delen före @ får bara ha")).to_be_visible()
    accessible(page, context="correct recipient")

    field = page.get_by_label("Ny mottagaradress")
    field.fill("åsa@exempel.test")
    page.get_by_role("button", name="Spara adressen och skicka igen").click()
    expect(page.locator("#recipient-error")).to_contain_text("Delen före @")
    expect(field).to_have_attribute("aria-invalid", "true")
    accessible(page, context="correct recipient with an error")

    field.fill("asa@exempel.test")
    page.get_by_role("button", name="Spara adressen och skicka igen").click()
    expect(page.get_by_text("Adressen är ändrad")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Välkommen till kursen")
    expect(page.get_by_text("asa@exempel.test", exact=True)).to_be_visible()
    expect(page.get_by_text("Väntar", exact=True)).to_be_visible()
    # End this test's read transaction: on SQLite it reads a snapshot from before the live server's
    # write (see coursehub/lib/database.py), as any second connection would.
    db.session.rollback()
    assert failed.recipient == "asa@exempel.test" and failed.is_pending
