"""A family signs up both adults for basic training, the municipality approves, the family sees the
confirmation and downloads its calendar feed; a new family registers, confirms its address and only
then holds a seat. Every page passes axe."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
from sqlalchemy import select

from coursehub.accounts.models import Role, User
from coursehub.courses.models import CourseRun
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.support.browser import menu_link, open_menu

NEW_PASSWORD = "ett-eget-långt-lösenord"
# What an element shows before its own text (a stacked table cell's column name).
BEFORE = "el => getComputedStyle(el, '::before').content"


def _logout(page):
    open_menu(page).get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()


def test_family_signs_up_municipality_approves_family_gets_calendar(page, accessible, browser_login):
    municipality = MunicipalityFactory(name="Nässjö")
    household = HouseholdFactory(name="Familjen Öberg", municipality=municipality)
    first = UserFactory(household=household, roles=[Role.FAMILY], full_name="Åsa Öberg")
    second = UserFactory(household=household, roles=[Role.FAMILY], full_name="Jonas Öberg")
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=municipality, full_name="Kim Handläggare")
    course_type = CourseTypeFactory(name="Ett hem att växa i", requires_municipal_approval=True, themes=3)
    run = CourseRunFactory(course_type=course_type, title="Ett hem att växa i, hösten 2026")
    session_uids = sorted(f"session-{s.id}@coursehub" for s in run.sessions)
    run_id = run.id
    db.session.commit()

    # The family signs up both adults.
    browser_login(page, first)
    page.goto(f"/kurser/{run_id}/anmalan")
    accessible(page, context="sign-up form")
    assert page.get_by_label("Åsa Öberg").is_checked()
    assert page.get_by_label("Jonas Öberg").is_checked()
    page.get_by_label("Kost (allergier, specialkost)").fill("Laktosfri")
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mina kurser"
    assert "väntar på att kommunen godkänner" in page.locator(".flash-messages").inner_text()
    assert "Väntar på kommunens godkännande" in page.locator("#my-enrollments").inner_text()
    accessible(page, context="my courses, pending")
    _logout(page)

    # The municipal worker approves.
    browser_login(page, worker)
    menu_link(page, "Godkännanden").click()
    page.wait_for_load_state()
    assert "Familjen Öberg" in page.locator("#approvals").inner_text()
    accessible(page, context="approvals")
    page.get_by_role("button", name="Godkänn anmälan från Familjen Öberg").click()
    page.wait_for_load_state()
    assert "Anmälan är godkänd" in page.locator(".flash-messages").inner_text()
    assert "Inga anmälningar väntar på beslut." in page.locator("main").inner_text()
    accessible(page, context="approvals after approving")
    _logout(page)

    # The family sees the confirmation and downloads its calendar feed.
    browser_login(page, second)
    menu_link(page, "Mina kurser").click()
    page.wait_for_load_state()
    assert "Bekräftad" in page.locator("#my-enrollments").inner_text()
    accessible(page, context="my courses, confirmed")
    page.get_by_role("button", name="Skapa kalenderlänk").click()
    page.wait_for_load_state()
    assert "/kalender/" in page.get_by_label("Er kalenderlänk").input_value()
    accessible(page, context="my courses with feed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner kalenderfilen (.ics)").click()
    data = Path(download_info.value.path()).read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    assert sorted(str(e["UID"]) for e in calendar.walk("VEVENT")) == session_uids
    assert all(e["DTSTART"].params["TZID"] == "Europe/Stockholm" for e in calendar.walk("VEVENT"))


def test_a_new_family_registers_confirms_its_address_and_then_holds_its_seat(page, accessible, browser_login):
    municipality = MunicipalityFactory(name="Eksjö")
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=municipality, full_name="Kim Handläggare")
    course_type = CourseTypeFactory(name="Ett hem att växa i", requires_municipal_approval=True, themes=3)
    run = CourseRunFactory(course_type=course_type, title="Ett hem att växa i, våren 2027", capacity=6)
    run_id = run.id
    db.session.commit()

    # A family without an account registers from the course page.
    page.goto(f"/kurser/{run_id}/ny-familj")
    accessible(page, context="register as a new family (with its hidden honeypot)")
    page.get_by_label("Hushållets namn").fill("Familjen Lind")
    page.locator("#adult1_name").fill("Lisa Lind")
    page.locator("#adult1_email").fill("lisa.lind@exempel.se")
    page.get_by_label("Ansvarig kommun").select_option(label="Eksjö")
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tack för er anmälan"
    assert "gäller först när någon av er har öppnat länken" in page.locator("main").inner_text()
    accessible(page, context="registered, address not yet confirmed")
    db.session.rollback()  # see what the server thread has committed
    assert db.session.get(CourseRun, run_id).seats_taken == 0  # nothing held before confirmation

    # Lisa opens the invitation, chooses a password, logs in and sees the sign-up.
    page.goto(_invitation_path("lisa.lind@exempel.se"))
    accessible(page, context="invitation of a registered family")
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Skriv lösenordet igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_load_state()
    db.session.rollback()
    lisa = db.session.scalars(select(User).where(User.email == "lisa.lind@exempel.se")).one()
    assert db.session.get(CourseRun, run_id).seats_taken == 1  # held from the confirmation on
    browser_login(page, lisa, NEW_PASSWORD)
    menu_link(page, "Mina kurser").click()
    page.wait_for_load_state()
    assert "Väntar på kommunens godkännande" in page.locator("#my-enrollments").inner_text()
    accessible(page, context="my courses after confirming the address")
    _logout(page)

    # Now, and not before, the municipality has the sign-up to approve.
    browser_login(page, worker)
    menu_link(page, "Godkännanden").click()
    page.wait_for_load_state()
    assert "Familjen Lind" in page.locator("#approvals").inner_text()


def _invitation_path(recipient: str) -> str:
    db.session.rollback()  # see what the server thread has committed
    body = db.session.scalars(
        select(OutboxMessage.body_text).where(
            OutboxMessage.recipient == recipient, OutboxMessage.dedupe_key.like("enrollment-invitation:%")
        )
    ).one()
    found = re.search(r"http://coursehub\.test(/inbjudan/[A-Za-z0-9_-]+)", body or "")
    assert found is not None, body
    return found.group(1)


def test_on_a_phone_a_family_reads_its_sign_up_and_the_meetings_without_scrolling_sideways(
    phone_page, accessible, browser_login
):
    """At 390 px each sign-up on "Mina kurser" and each meeting on the course page is a card: its
    status, its "Avboka" and where a meeting is are on the screen, each under its column's name,
    and a screen reader still finds a table with its column headings."""
    page = phone_page
    household = HouseholdFactory(name="Familjen Öberg", municipality=MunicipalityFactory(name="Nässjö"))
    asa = UserFactory(household=household, roles=[Role.FAMILY], full_name="Åsa Öberg")
    course_type = CourseTypeFactory(
        name="Ett hem att växa i",
        requires_municipal_approval=True,
        themes=["Barnets ursprungsfamilj", "Barnets bakgrund och svåra upplevelser"],
    )
    run = CourseRunFactory(
        course_type=course_type,
        title="Ett hem att växa i, hösten 2026",
        venue__name="Familjehemsresursens kurslokal",
        venue__street="Barnarpsgatan 22",
    )
    run_id = run.id
    db.session.commit()

    browser_login(page, asa)
    page.goto(f"/kurser/{run_id}/anmalan")
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mina kurser"
    width = page.viewport_size["width"]

    def on_screen(locator) -> bool:
        box = locator.bounding_box()
        return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width

    status = page.get_by_role("cell", name="Status Väntar på kommunens godkännande")
    assert status.is_visible() and on_screen(status)
    assert on_screen(page.locator("#my-enrollments summary", has_text="Avboka"))
    # The column's name is written above the status, and the headings row is out of sight.
    assert status.evaluate(BEFORE) == '"Status"'
    assert not page.get_by_role("columnheader", name="Status").is_visible()
    assert page.get_by_role("columnheader").count() == 5
    accessible(page, context="my courses on a phone")

    page.get_by_role("link", name="Ett hem att växa i, hösten 2026", exact=True).click()
    page.wait_for_load_state()
    place = page.locator("#sessions td", has_text="Barnarpsgatan 22").first
    assert on_screen(place) and place.evaluate(BEFORE) == '"Plats"'
    assert on_screen(page.locator("#sessions td", has_text="Barnets bakgrund och svåra upplevelser"))
    assert page.locator("body").evaluate("body => body.scrollWidth") <= width
    accessible(page, context="course page on a phone")
