"""Staff open their start page, go on to the yearly report, read it on a phone and export it;
the workbook downloaded in the browser holds the page's numbers; zero axe violations."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect

from coursehub.extensions import db
from tests.factories import (
    CourseRunFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.recruitment.factories import CaseFactory
from tests.reports.test_report_views import assert_same_numbers
from tests.support.browser import fits_width


def test_staff_open_the_yearly_report_and_export_it(phone_page, accessible, browser_login, app, clock):
    page = phone_page
    clock.set(datetime(2027, 1, 15, 9, tzinfo=UTC))
    app.config["COURSEHUB_REPORTS_START"] = "2025-01-01"
    home = MunicipalityFactory(name="Jönköping")
    for when in (datetime(2025, 4, 1, 9, tzinfo=UTC), datetime(2026, 9, 1, 9, tzinfo=UTC)):
        CaseFactory(municipality=home, registered_at=when, step_changed_at=when)
    run = CourseRunFactory(sessions__start=datetime(2026, 3, 10, 16, tzinfo=UTC))
    EnrollmentFactory(run=run, household=HouseholdFactory(municipality=home))
    staff = UserFactory(staff=True)
    db.session.commit()
    browser_login(page, staff)

    accessible(page, context="the staff's start page")
    page.goto("/rapport")
    assert page.locator("h1").inner_text() == "Rapport till styrgrupp och ägare"
    page.get_by_label("Period").select_option(label="helåret 2026")
    page.get_by_label("Område").select_option(label="Hela länet")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Rapport 2026 – Hela länet")).to_be_visible()
    expect(page.get_by_role("table", name="Intresseanmälningar (antal)")).to_be_visible()
    chart = page.locator("img.report-chart").first
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    accessible(page, context="the yearly report")
    assert fits_width(page)
    html = page.content()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner som Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        assert_same_numbers(html, file.read())

    page.get_by_role("link", name="Utskriftsvänlig sida").click()
    assert page.locator("h1").inner_text() == "Redovisning 2026"
    accessible(page, context="the printable report")
    assert fits_width(page)


# Where the first cell of a figure's first row stands against its table's region, once the region
# has been scrolled to its newest half-year.
_LABEL_AFTER_SCROLL_JS = """region => {
  region.scrollLeft = region.scrollWidth;
  const label = region.querySelector('tbody th[scope=row]');
  return {scrolls: region.scrollWidth > region.clientWidth, scrolled: region.scrollLeft,
          offset: Math.round(label.getBoundingClientRect().left - region.getBoundingClientRect().left)};
}"""


def test_on_a_phone_a_figures_name_stays_beside_its_newest_half_year(
    phone_page, accessible, browser_login, app, clock
):
    """The steering group read the report on a phone: five half-years do not fit 390 px, and the
    newest is the last column. Scrolled to it, each row still shows what it counts."""
    page = phone_page
    clock.set(datetime(2026, 10, 1, 9, tzinfo=UTC))
    app.config["COURSEHUB_REPORTS_START"] = "2023-01-01"
    steering = UserFactory(steering=True)
    db.session.commit()
    browser_login(page, steering)
    assert page.url.endswith("/rapport")  # where the steering group land

    region = page.get_by_role("region", name="Tabell: Intresseanmälningar").first
    placed = region.evaluate(_LABEL_AFTER_SCROLL_JS)
    assert placed["scrolls"] and placed["scrolled"] > 0, placed
    assert placed["offset"] == 0, placed
    accessible(page, context="the report scrolled to its newest half-year")
