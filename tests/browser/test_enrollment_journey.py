"""A family signs up both adults for basic training, the municipality approves, the family sees the
confirmation and downloads its calendar feed. Every page passes axe."""

from __future__ import annotations

from pathlib import Path

import icalendar

from coursehub.accounts.models import Role
from coursehub.extensions import db
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()
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
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Godkännanden").click()
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
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina kurser").click()
    page.wait_for_load_state()
    assert "Bekräftad" in page.locator("#my-enrollments").inner_text()
    accessible(page, context="my courses, confirmed")
    page.get_by_role("button", name="Skapa kalenderlänk").click()
    page.wait_for_load_state()
    assert "/kalender/" in page.get_by_label("Din kalenderlänk").input_value()
    accessible(page, context="my courses with feed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner kalenderfilen (.ics)").click()
    data = Path(download_info.value.path()).read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    assert sorted(str(e["UID"]) for e in calendar.walk("VEVENT")) == session_uids
    assert all(e["DTSTART"].params["TZID"] == "Europe/Stockholm" for e in calendar.walk("VEVENT"))
