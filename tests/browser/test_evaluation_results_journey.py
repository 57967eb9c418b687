"""At a phone-sized screen, staff see a run's results only once five have answered, compare the
course type's runs and the yearly survey's indicators, and send the survey; zero axe violations."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect

from coursehub.extensions import db
from tests.evaluations import results_data as data
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory
from tests.forum.factories import MembershipFactory, NetworkFactory
from tests.support.browser import fits_width

TOO_FEW = "För få svar för att visa resultat"


def test_staff_see_results_once_five_have_answered(phone_page, accessible, browser_login):
    page = phone_page
    staff = UserFactory(staff=True)
    course_type = CourseTypeFactory(name="Ett hem att växa i")
    run = CourseRunFactory(
        course_type=course_type,
        title="Ett hem att växa i, hösten 2025",
        sessions__start=datetime(2025, 9, 1, 16, tzinfo=UTC),
    )
    found = data.evaluation(data.course_form(), run=run)
    data.answer_course(found, [5, 5, 4, 3], text="Superbra föreläsare, tydliga, med humor", may_quote=True)
    survey = data.evaluation(data.survey_form(), year=2025)
    data.answer_survey(survey, [(5, 4, 5), (5, 5, 4), (4, 4, 4), (5, 5, 5), (3, 4, 5)])
    MembershipFactory(network=NetworkFactory(name="Familjehemsnätverket"))
    db.session.commit()
    browser_login(page, staff)

    page.goto(f"/admin/utvarderingar/{found.id}/resultat")
    expect(page.get_by_text(TOO_FEW)).to_be_visible()
    assert page.locator("table").count() == 0 and page.locator("img.result-chart").count() == 0
    accessible(page, context="results with four answers")

    db.session.rollback()  # end the snapshot read at login: SQLite cannot write from a stale one
    data.answer_course(found, [5], text="Bra med många reflektionsövningar", may_quote=True)
    db.session.commit()
    page.reload()
    expect(page.get_by_text("Andel mycket nöjda: 60 %")).to_be_visible()
    chart = page.locator("img.result-chart").first
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG loaded under the CSP
    expect(page.get_by_role("table", name="Svaren på fråga 1")).to_be_visible()
    expect(page.get_by_text("Bra med många reflektionsövningar")).to_be_visible()
    accessible(page, context="results with five answers")
    assert fits_width(page)

    page.goto("/admin/utvarderingar/resultat")
    expect(
        page.get_by_role("table", name="Årsenkätens indikatorer per år: andel mycket nöjda")
    ).to_be_visible()
    accessible(page, context="results overview")
    assert fits_width(page)

    page.get_by_role("link", name="Ett hem att växa i").click()
    assert page.locator("h1").inner_text() == "Utvärderingar: Ett hem att växa i"
    accessible(page, context="course type comparison")
    assert fits_width(page)

    page.goto("/admin/utvarderingar/citat")
    expect(page.get_by_text("Superbra föreläsare, tydliga, med humor").first).to_be_visible()
    accessible(page, context="quotable texts")

    page.goto("/admin/utvarderingar/arsenkat/skicka")
    page.get_by_role("button", name="Skicka enkäten").click()
    expect(page.get_by_text("Välj minst ett nätverk eller en roll.").first).to_be_visible()
    accessible(page, context="sending the survey, with a mistake")
    page.get_by_label("Formulär").select_option(label="Årsenkät (version 1)")
    page.get_by_label("Familjehemsnätverket").check()
    page.get_by_role("button", name="Skicka enkäten").click()
    assert page.locator("h1").inner_text() == "Årsenkäten"
    expect(page.get_by_text("Årsenkäten är skickad till 1 person.")).to_be_visible()
    accessible(page, context="the surveys sent")
    assert fits_width(page)
