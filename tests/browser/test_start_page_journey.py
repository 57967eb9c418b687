"""At a phone-sized screen, staff land on what needs action after login and follow a run with too
few sign-ups to its page, where it is handled; zero axe violations."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from coursehub import clock
from coursehub.extensions import db
from tests.factories import CourseRunFactory, CourseTypeFactory, EnrollmentFactory, UserFactory
from tests.support.browser import fits_width


def test_staff_land_on_what_needs_action_and_follow_a_run(phone_page, accessible, browser_login):
    page = phone_page
    staff = UserFactory(staff=True)
    start = (clock.now() + timedelta(days=5)).replace(hour=16, minute=0, second=0, microsecond=0)
    run = CourseRunFactory(
        course_type=CourseTypeFactory(themes=1),
        title="Vinterkursen i Värnamo",
        sessions__start=start,
        capacity=12,
        min_participants=6,
    )
    EnrollmentFactory(run=run)
    db.session.commit()

    browser_login(page, staff)
    assert page.url.endswith("/att-gora")
    assert page.locator("h1").inner_text() == "Att göra"
    expect(page.get_by_text("11 lediga platser; bekräftade: 1 av minst 6")).to_be_visible()
    accessible(page, context="staff start page")
    assert fits_width(page)

    page.get_by_role("link", name="Vinterkursen i Värnamo").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/admin/kurser/{run.id}")
    assert page.locator("#run-min-participants").inner_text() == "6 personer"
    accessible(page, context="the run page reached from the start page")
    assert fits_width(page)
