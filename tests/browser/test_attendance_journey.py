"""At a phone-sized screen, a leader marks attendance, corrects a mark, and the family sees it."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.enrollment.models import Enrollment
from coursehub.extensions import db
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    UserFactory,
)
from tests.support.browser import menu_link, open_menu


def test_leader_marks_and_corrects_attendance_and_the_family_sees_it(phone_page, accessible, browser_login):
    page = phone_page
    course_type = CourseTypeFactory(name="Ett hem att växa i", themes=3)
    leader = UserFactory(roles=[Role.LEADER], full_name="Lena Ledare")
    start = (clock.now() - timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)
    run = CourseRunFactory(
        course_type=course_type,
        title="Ett hem att växa i, hösten 2026",
        sessions__start=start,
        leaders=[leader],
    )
    oberg = HouseholdFactory(name="Familjen Öberg")
    asa = UserFactory(household=oberg, roles=[Role.FAMILY], full_name="Åsa Öberg")
    goran = UserFactory(household=oberg, roles=[Role.FAMILY], full_name="Göran Öberg")
    EnrollmentFactory(run=run, household=oberg, persons=[asa, goran])
    lind = HouseholdFactory(name="Familjen Lind")
    EnrollmentFactory(
        run=run,
        household=lind,
        persons=[UserFactory(household=lind, roles=[Role.FAMILY], full_name="Karin Lind")],
    )
    db.session.commit()

    browser_login(page, leader)
    menu_link(page, "Närvaro").click()
    assert page.locator("h1").inner_text() == "Närvaro"
    accessible(page, context="leader's runs")

    page.get_by_role("link", name="Tema 1,").first.click()
    assert page.locator("h1").inner_text() == "Närvaro: Tema 1"
    expect(page.get_by_role("heading", name="Familjen Öberg")).to_be_visible()
    accessible(page, context="attendance sheet")

    asa_row = page.locator(f"#person-{asa.id}")
    asa_row.get_by_role("button", name="Frånvarande").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#person-{asa.id}")
    assert "Sparat: Åsa Öberg – Frånvarande." in page.get_by_role("status").first.inner_text()
    assert "Markerat: Frånvarande" in asa_row.inner_text()
    # Each choice is a big target for a finger.
    box = asa_row.get_by_role("button", name="Närvarande").bounding_box()
    assert box["height"] >= 48 and box["width"] >= 200

    page.locator(f"#person-{goran.id}").get_by_role("button", name="Närvarande").click()
    page.wait_for_load_state()
    assert "Markerat: Närvarande" in page.locator(f"#person-{goran.id}").inner_text()

    # Åsa came after all, late: the leader corrects her mark.
    asa_row.get_by_label("Anteckning om Åsa Öberg (frivilligt)").fill("Kom 20 minuter sent")
    asa_row.get_by_role("button", name="Närvarande").click()
    page.wait_for_load_state()
    assert "Markerat: Närvarande" in asa_row.inner_text()
    changes = page.get_by_role("table", name="Rättade markeringar, senaste först")
    assert "Frånvarande" in changes.inner_text() and "Lena Ledare" in changes.inner_text()
    accessible(page, context="attendance sheet after a correction")

    open_menu(page).get_by_role("button", name="Logga ut").click()
    browser_login(page, asa)
    menu_link(page, "Mina framsteg").click()
    assert page.locator("h1").inner_text() == "Mina framsteg"
    themes = page.get_by_role("table", name="Teman i Ett hem att växa i").first
    first_row = themes.get_by_role("row", name="Tema 1")
    assert "Närvarande" in first_row.inner_text()
    assert "Ett hem att växa i, hösten 2026" in first_row.inner_text()
    assert "Inte klar ännu: 1 av 3 teman, 3 behövs." in page.locator("main").inner_text()
    accessible(page, context="family's progress")


def test_family_signs_up_for_a_make_up_session_at_phone_size(phone_page, accessible, browser_login):
    from coursehub.attendance.models import AttendanceMark

    page = phone_page
    course_type = CourseTypeFactory(name="Ett hem att växa i", themes=3)
    past = (clock.now() - timedelta(weeks=4)).replace(hour=16, minute=0, second=0, microsecond=0)
    home = CourseRunFactory(course_type=course_type, title="Våren 2026", sessions__start=past)
    coming = CourseRunFactory(
        course_type=course_type, title="Hösten 2026", sessions__start=past + timedelta(weeks=5)
    )
    oberg = HouseholdFactory(name="Familjen Öberg")
    asa = UserFactory(household=oberg, roles=[Role.FAMILY], full_name="Åsa Öberg")
    EnrollmentFactory(run=home, household=oberg, persons=[asa])
    for session, status in zip(home.sessions, ("present", "absent", "present"), strict=True):
        db.session.add(
            AttendanceMark(session=session, user_id=asa.id, status=status, recorded_at=session.starts_at)
        )
    db.session.commit()

    browser_login(page, asa)
    menu_link(page, "Mina framsteg").click()
    offers = page.get_by_role("region", name="Ta igen missade teman")
    assert "Ett hem att växa i: Tema 2" in offers.inner_text()
    assert "Hösten 2026" in offers.inner_text() and "Platser kvar: 20." in offers.inner_text()
    accessible(page, context="family's progress with make-up offers")

    offers.get_by_role("button", name="Anmäl till den här träffen").first.click()
    page.wait_for_load_state()
    assert "Åsa Öberg är anmäld till Tema 2" in page.get_by_role("status").first.inner_text()
    upcoming = page.get_by_role("region", name="Kommande träffar")
    assert "Hösten 2026" in upcoming.inner_text()
    assert page.get_by_role("region", name="Ta igen missade teman").count() == 0
    accessible(page, context="family's progress after a make-up sign-up")
    session_id = coming.sessions[1].id
    db.session.rollback()  # see what the server thread has committed
    assert session_id in {e.makeup_session_id for e in db.session.scalars(select(Enrollment))}
