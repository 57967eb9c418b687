"""A municipal worker signs herself and a colleague up for an evening for new social workers;
both get invites (outbox rows with a calendar file); the course page and her Mina kurser say so.
A family does not find the evening. Every page passes axe."""

from __future__ import annotations

import icalendar
from sqlalchemy import select

from coursehub.accounts.models import Role
from coursehub.courses.models import IntendedFor
from coursehub.extensions import db
from coursehub.notifications.models import OutboxMessage
from tests.factories import CourseRunFactory, CourseTypeFactory, MunicipalityFactory, UserFactory
from tests.support.browser import menu_link


def test_a_worker_signs_herself_and_a_colleague_up_for_an_evening_for_social_workers(
    page, accessible, browser_login
):
    municipality = MunicipalityFactory(name="Eksjö")
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=municipality, full_name="Karin Sjö")
    colleague = UserFactory(roles=[Role.MUNICIPAL], municipality=municipality, full_name="Olle Berg")
    UserFactory(roles=[Role.MUNICIPAL], municipality=MunicipalityFactory(name="Habo"), full_name="Hanna Habo")
    course_type = CourseTypeFactory(
        name="Introduktion för nya socialsekreterare", intended_for=IntendedFor.PROFESSIONALS, themes=1
    )
    run = CourseRunFactory(course_type=course_type, title="Introduktion för nya socialsekreterare, hösten")
    run_id, emails = run.id, (worker.email, colleague.email)
    db.session.commit()

    browser_login(page, worker)
    page.goto("/kurser")
    assert "Introduktion för nya socialsekreterare, hösten" in page.locator("main").inner_text()
    page.goto(f"/kurser/{run_id}")
    accessible(page, context="course page for professionals")
    page.get_by_role("link", name="Anmälan för yrkesverksamma").click()
    page.wait_for_load_state()
    accessible(page, context="professionals' sign-up form")
    assert page.get_by_label("Karin Sjö (du själv)").is_checked()
    assert "Hanna Habo" not in page.locator("main").inner_text()  # another municipality's worker
    page.get_by_label("Olle Berg").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()
    flashes = page.locator(".flash-messages").inner_text()
    assert "Karin Sjö: Bekräftad" in flashes and "Olle Berg: Bekräftad" in flashes
    assert "Du är anmäld till kursen" in page.locator("#own-status").inner_text()
    accessible(page, context="course page after signing up")

    menu_link(page, "Mina kurser").click()
    page.wait_for_load_state()
    assert "Introduktion för nya socialsekreterare, hösten" in page.locator("#my-enrollments").inner_text()
    accessible(page, context="a professional's Mina kurser")

    db.session.rollback()
    for address in emails:
        invites = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient == address, OutboxMessage.calendar_ics.is_not(None)
            )
        ).all()
        assert len(invites) == 1
        event = icalendar.Calendar.from_ical(invites[0].calendar_ics).walk("VEVENT")[0]
        assert "Introduktion för nya socialsekreterare" in str(event["SUMMARY"])
