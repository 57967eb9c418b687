"""Staff turn on the second factor at phone size, log in with a code, and with a recovery code once.

The codes are computed by pyotp in the test from the secret the page shows as text, as an
authenticator app would from the QR code. The app's clock is frozen; it is moved on half a minute
between codes, since a code of a time step already used is refused.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from coursehub.extensions import db
from tests.accounts.second_factor_helpers import code_at
from tests.factories import PASSWORD, UserFactory
from tests.support.browser import fits_width


def _log_in_with_password(page, user) -> None:
    page.goto("/logga-in")
    page.get_by_label("E-postadress eller användarnamn").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()
    page.wait_for_load_state()


def _log_out(page) -> None:
    page.context.clear_cookies()  # a fresh visit, as from another browser


def _check(page, accessible, context: str) -> None:
    accessible(page, context=context)
    assert fits_width(page), f"{context}: wider than the phone"


def test_staff_enrol_log_in_with_a_code_and_use_a_recovery_code_once(phone_page, accessible, clock):
    page = phone_page
    staff = UserFactory(staff=True, full_name="Sara Berg")
    db.session.commit()

    _log_in_with_password(page, staff)
    page.goto("/profil")
    page.get_by_role("link", name="Hantera tvåstegsverifiering").click()
    assert page.locator("h1").inner_text() == "Tvåstegsverifiering"
    _check(page, accessible, "second factor, off")
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    expect(page.get_by_role("img", name="QR-kod med nyckeln för appen")).to_be_visible()
    _check(page, accessible, "enrolment")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Koden som appen visar").fill(
        "000000" if code_at(secret, clock.now) != "000000" else "111111"
    )
    page.get_by_role("button", name="Slå på", exact=True).click()
    expect(page.get_by_text("Koden stämmer inte.")).to_be_visible()
    _check(page, accessible, "enrolment with a wrong code")
    page.get_by_label("Koden som appen visar").fill(code_at(secret, clock.now))
    page.get_by_role("button", name="Slå på", exact=True).click()
    assert page.locator("h1").inner_text() == "Dina reservkoder"
    codes = re.findall(r"[A-Z2-9]{5}-[A-Z2-9]{5}", page.locator("#recovery-codes").inner_text())
    assert len(codes) == 10
    _check(page, accessible, "recovery codes")
    _log_out(page)

    # Logging in: the password, then a code from the app.
    clock.advance(seconds=30)
    _log_in_with_password(page, staff)
    assert page.locator("h1").inner_text() == "Logga in: kod"
    _check(page, accessible, "the login's code step")
    page.goto("/profil")
    assert page.locator("h1").inner_text() == "Logga in"  # not logged in before the code
    _log_in_with_password(page, staff)
    page.get_by_label("Kod från appen eller en reservkod").fill(code_at(secret, clock.now))
    page.get_by_role("button", name="Logga in").last.click()
    page.goto("/profil")
    assert page.locator("h1").inner_text() == "Mitt konto"
    _log_out(page)

    # A recovery code instead of the app: once.
    _log_in_with_password(page, staff)
    page.get_by_label("Kod från appen eller en reservkod").fill(codes[0])
    page.get_by_role("button", name="Logga in").last.click()
    expect(page.get_by_text("Du loggade in med en reservkod. Du har 9 kvar.")).to_be_visible()
    _check(page, accessible, "logged in with a recovery code")
    _log_out(page)
    _log_in_with_password(page, staff)
    page.get_by_label("Kod från appen eller en reservkod").fill(codes[0])
    page.get_by_role("button", name="Logga in").last.click()
    expect(page.get_by_text("Koden stämmer inte.")).to_be_visible()
    _check(page, accessible, "a recovery code used twice")
    page.goto("/profil")
    assert page.locator("h1").inner_text() == "Logga in"
