"""Staff create a run from Ett hem att växa i, adjust a date and publish it; a visitor finds it in
the catalogue with the right local times in summer and in winter. Every page passes axe."""

from __future__ import annotations

import re

from coursehub.extensions import db
from tests.factories import CourseTypeFactory, MunicipalityFactory, UserFactory, VenueFactory


def test_staff_publish_a_run_and_a_visitor_finds_it(page, accessible, browser_login):
    staff = UserFactory(staff=True, full_name="Sara Berg")
    UserFactory(leader=True, full_name="Lars Holm")
    course_type = CourseTypeFactory(name="Ett hem att växa i", themes=8)
    VenueFactory(
        name="Kurslokalen",
        municipality=MunicipalityFactory(name="Jönköping"),
        accessibility_notes="Hiss till plan 2.",
    )
    db.session.commit()

    browser_login(page, staff)
    page.goto(f"/admin/kurstyper/{course_type.id}")
    accessible(page, context="course type form")

    page.goto("/admin/kurser/ny")
    accessible(page, context="new run form")
    page.get_by_label("Kurstyp").select_option(label="Ett hem att växa i")
    page.get_by_label("Första träffens datum").fill("2026-10-06")
    page.get_by_label("Starttid").fill("18:00")
    page.get_by_label("Sluttid").fill("21:00")
    page.get_by_label("Antal platser (personer)").fill("24")
    page.get_by_label("Anmälan öppnar, datum").fill("2026-09-01")
    page.get_by_label("Sista anmälningsdag").fill("2026-10-01")
    page.get_by_label("Lokal").select_option(label="Kurslokalen")
    leaders = page.get_by_role("group", name="Kursledare")
    leaders.get_by_label("Lars Holm").focus()  # by keyboard: a checkbox toggles with Space
    page.keyboard.press("Space")
    assert leaders.get_by_label("Lars Holm").is_checked()
    page.get_by_role("button", name="Skapa kursomgången").click()

    assert page.locator("h1").inner_text() == "Ett hem att växa i"
    accessible(page, context="run page for staff")
    sessions = page.locator("#sessions tbody tr")
    assert sessions.count() == 8

    sessions.nth(2).get_by_role("link", name=re.compile("^Ändra")).click()
    accessible(page, context="session form")
    page.get_by_label("Datum").fill("2026-10-21")
    page.get_by_role("button", name="Spara träffen").click()
    assert "Träffen är ändrad." in page.locator(".flash-messages").inner_text()

    page.get_by_role("button", name="Publicera").click()
    assert page.locator("#run-status").inner_text() == "Publicerad"
    page.get_by_role("button", name="Logga ut").click()

    page.goto("/kurser")
    accessible(page, context="catalogue")
    page.get_by_label("Kurs", exact=True).select_option(label="Ett hem att växa i")
    page.get_by_role("button", name="Visa kurser").click()
    page.get_by_role("link", name="Ett hem att växa i").click()
    accessible(page, context="course page")
    rows = page.locator("#sessions tbody tr")
    assert rows.count() == 8
    summer = rows.nth(2).inner_text()
    winter = rows.nth(3).inner_text()
    assert "onsdag 21 oktober 2026" in summer and "18:00–21:00" in summer
    assert "tisdag 27 oktober 2026" in winter and "18:00–21:00" in winter
    assert "Lars Holm" in page.locator("main").inner_text()
