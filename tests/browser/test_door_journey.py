"""At a phone-sized screen: a family lands on its next meeting, a leader marks attendance at the
door 20 minutes before the start, and staff cancel a meeting whose mail names its date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from coursehub.accounts.models import Role
from coursehub.attendance.models import AttendanceMark
from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    UserFactory,
)


def _evening_run(clock, leader=None):
    """A run of three Tuesday meetings at 18:00 local, the first one tonight, and one family."""
    first = datetime(2026, 10, 6, 16, 0, tzinfo=UTC)  # 18:00 in Stockholm (summer time)
    clock.set(first - timedelta(days=5))
    run = CourseRunFactory(
        course_type=CourseTypeFactory(name="Ett hem att växa i", themes=3),
        title="Ett hem att växa i, hösten 2026",
        sessions__start=first,
        leaders=[leader or UserFactory(roles=[Role.LEADER], full_name="Lena Ledare")],
    )
    household = HouseholdFactory(name="Familjen Öberg")
    asa = UserFactory(household=household, roles=[Role.FAMILY], full_name="Åsa Öberg")
    EnrollmentFactory(run=run, household=household, persons=[asa], needs_diet="Vegetarisk")
    db.session.commit()
    return run, asa


def test_a_family_logs_in_and_sees_its_next_meeting(phone_page, accessible, browser_login, clock):
    page = phone_page
    run, asa = _evening_run(clock)
    browser_login(page, asa)
    assert page.locator("h1").inner_text() == "Mina kurser"
    card = page.get_by_role("region", name="Er nästa träff")
    assert "Tema 1" in card.inner_text() and "tisdag 6 oktober 2026 kl. 18:00" in card.inner_text()
    expect(card.get_by_role("link", name="Anmäl frånvaro")).to_be_visible()
    assert "0 av 3 träffar, nästa:" in page.locator("#my-enrollments").inner_text()
    accessible(page, context="family start page")


def test_a_leader_opens_tonights_sheet_from_the_start_page_and_marks_with_one_tap(
    phone_page, accessible, browser_login, clock
):
    page = phone_page
    run, asa = _evening_run(clock)
    leader = run.leaders[0]
    clock.set(run.sessions[0].starts_at - timedelta(minutes=20))
    browser_login(page, leader)
    assert page.locator("h1").inner_text() == "Närvaro"
    accessible(page, context="leader start page")
    page.get_by_role("link", name="Närvaro: Tema 1 kl. 18:00").click()
    assert page.locator("h1").inner_text() == "Närvaro: Tema 1"
    assert "Kost: Vegetarisk" in page.locator(f"#person-{asa.id}").inner_text()
    accessible(page, context="attendance sheet before the start")
    page.locator(f"#person-{asa.id}").get_by_role("button", name="Närvarande").tap()
    page.wait_for_url(f"**/narvaro#person-{asa.id}")
    assert "Markerat: Närvarande" in page.locator(f"#person-{asa.id}").inner_text()
    db.session.rollback()  # see what the server committed
    mark = db.session.scalars(select(AttendanceMark)).one()
    assert (mark.user_id, mark.status.value) == (asa.id, "present")


def test_staff_cancel_a_meeting_with_a_reason_and_the_family_mail_names_the_date(
    phone_page, accessible, browser_login, clock, smtp_server
):
    page = phone_page
    run, asa = _evening_run(clock)
    staff = UserFactory(roles=[Role.STAFF], full_name="Stina Personal")
    db.session.commit()
    session = run.sessions[1]
    browser_login(page, staff)
    page.goto(f"/admin/kurser/{run.id}")
    page.locator(f"#traff-{session.id}").get_by_role("link", name="Ställ in").click()
    assert page.locator("h1").inner_text() == "Ställ in träffen 13 oktober 2026?"
    accessible(page, context="cancel a session: confirm")
    page.get_by_role("button", name="Ja, ställ in träffen").click()
    assert "Skriv varför träffen ställs in" in page.locator("#reason-error").inner_text()
    page.get_by_label("Anledning (skickas till familjerna)").fill("Kursledaren är sjuk")
    page.get_by_role("button", name="Ja, ställ in träffen").click()
    page.wait_for_load_state()
    assert "Träffen 13 oktober 2026 är inställd" in page.get_by_role("status").first.inner_text()
    row = page.locator(f"#traff-{session.id}")
    assert "Kursledaren är sjuk" in row.inner_text()
    expect(row.get_by_role("link", name="Lägg till en ersättningsträff")).to_be_visible()
    accessible(page, context="run page after a cancellation")

    db.session.rollback()
    send_outbox(clock.now)
    db.session.commit()
    mails = [m for m in smtp_server.wait_for(1) if "Inställd träff" in m["Subject"]]
    assert [m["To"] for m in mails] == [asa.email]
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "13 oktober 2026" in body and "Kursledaren är sjuk" in body
