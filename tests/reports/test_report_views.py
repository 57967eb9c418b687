"""The report's pages: who may read which area, the choice of period and area, chart, print, XLSX."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from coursehub.extensions import db
from tests.factories import (
    CourseRunFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.recruitment.factories import CaseFactory


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def data(app, clock):
    """Two member municipalities with a little of everything in 2025 and 2026."""
    clock.set(at(2027, 1, 15))
    app.config["COURSEHUB_REPORTS_START"] = "2025-01-01"
    a = MunicipalityFactory(name="A-stad")
    b = MunicipalityFactory(name="B-by")
    for municipality, when in [(a, at(2025, 3, 1)), (a, at(2025, 9, 1)), (b, at(2026, 2, 1))]:
        CaseFactory(municipality=municipality, registered_at=when, step_changed_at=when)
    run = CourseRunFactory(sessions__start=at(2026, 3, 10))
    EnrollmentFactory(run=run, household=HouseholdFactory(municipality=b))
    db.session.commit()
    return a, b


class _Tables(HTMLParser):
    """Collect every report table of a page as {figure: [[cell, ...], ...]} (the header row too)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._figure: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "table" and "data-figure" in found:
            self._figure = found["data-figure"]
            self.tables[self._figure] = []
        elif self._figure and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._figure:
            self.tables[self._figure].append(self._row)
            self._row = None
        elif tag == "table":
            self._figure = None

    def handle_data(self, text):
        if self._cell is not None:
            self._cell.append(text)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_staff_read_the_yearly_report_with_definitions(data, client, login_as):
    login_as(client, UserFactory(staff=True))
    response = client.get("/rapport?period=2026&omrade=lan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Rapport 2026 – Hela länet" in html
    assert "Intresseanmälningar som kom in under perioden" in html
    tables = page_tables(html)
    # The yearly report's series: the years from the start (2025) to the chosen one.
    assert tables["recruitment.registrations"][0] == ["Vad", "2025", "2026"]
    assert tables["recruitment.registrations"][1] == ["Intresseanmälningar", "2", "1"]
    assert tables["recruitment.registrations_total"][1][1:] == ["2", "3"]
    assert tables["courses.participants"][1] == ["Deltagare", "0", "1"]
    assert 'src="/rapport/diagram/recruitment/registrations.svg?period=2026&amp;omrade=lan"' in html


def test_the_default_is_the_last_whole_half_year(data, client, login_as):
    login_as(client, UserFactory(steering=True))
    html = client.get("/rapport").get_data(as_text=True)
    assert "Rapport ht 2026 – Hela länet" in html
    assert page_tables(html)["recruitment.registrations"][0] == [
        "Vad",
        "vt 2025",
        "ht 2025",
        "vt 2026",
        "ht 2026",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=2026h3&omrade=lan", "Välj en period i listan"),
        ("period=1999&omrade=lan", "Välj en period i listan"),
        ("period=2026&omrade=del-99999", "Välj ett område i listan"),
        ("period=2026&omrade=%27%3B--", "Välj ett område i listan"),
    ],
)
def test_a_bad_choice_gets_a_message_beside_the_field(data, client, login_as, query, message):
    login_as(client, UserFactory(staff=True))
    response = client.get(f"/rapport?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "data-figure" not in html


def test_a_municipal_worker_reads_only_their_own_municipality(data, client, login_as):
    a, b = data
    worker = UserFactory(municipal=True, municipality=b)
    db.session.commit()
    login_as(client, worker)
    html = client.get("/rapport?period=2026").get_data(as_text=True)
    assert "Rapport 2026 – B-by" in html
    assert page_tables(html)["recruitment.registrations"][1] == ["Intresseanmälningar", "0", "1"]
    assert "Hela länet" not in html
    assert client.get("/rapport?period=2026&omrade=lan").status_code == 403
    assert client.get(f"/rapport?period=2026&omrade=kommun-{a.id}").status_code == 403
    assert client.get(f"/rapport/rapport.xlsx?period=2026&omrade=kommun-{a.id}").status_code == 403


@pytest.mark.parametrize("area", ["lan", "kommun"])
def test_the_area_asked_for_is_found_among_the_visitors_areas_without_asking_again(
    data, client, login_as, count_queries, area
):
    """The menu of areas has every area the visitor may see: parsing the key anew was a second query."""
    a, _b = data
    login_as(client, UserFactory(staff=True))
    key = "lan" if area == "lan" else f"kommun-{a.id}"
    with count_queries() as statements:
        response = client.get(f"/rapport?period=2026&omrade={key}")
    assert response.status_code == 200
    label = "Hela länet" if area == "lan" else "A-stad"
    assert f"Rapport 2026 – {label}" in response.get_data(as_text=True)
    # parse_scope's statements read one column of municipalities by id or membership.
    parse_scope_query = re.compile(r"^SELECT municipalities\.\w+\s+FROM municipalities\s+WHERE ")
    assert not [s for s in statements if parse_scope_query.search(s)]


@pytest.mark.parametrize("role", ["family", "leader", "member"])
def test_others_are_refused(data, client, login_as, role):
    login_as(client, UserFactory(**{role: True}))
    assert client.get("/rapport").status_code == 403


def test_a_chart_is_an_image_without_scripts(data, client, login_as):
    login_as(client, UserFactory(staff=True))
    response = client.get("/rapport/diagram/recruitment/registrations.svg?period=2026&omrade=lan")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "<script" not in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get("/rapport/diagram/recruitment/nothing.svg?period=2026&omrade=lan").status_code == 404


def test_the_printable_page_is_shaped_for_the_yearly_account(data, client, login_as):
    login_as(client, UserFactory(staff=True))
    html = client.get("/rapport/utskrift?period=2026&omrade=lan").get_data(as_text=True)
    assert "Redovisning 2026" in html
    assert "styrgruppen och länets politiska råd" in html
    assert 'style="' not in html  # the CSP forbids inline style: printing is in the stylesheet
    assert "/static/css/reports.css" in html
    assert page_tables(html)["recruitment.registrations"][1] == ["Intresseanmälningar", "2", "1"]


def _number(text: str) -> float | None:
    cleaned = text.replace("%", "").replace(",", ".").strip()
    return float(cleaned) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cleaned) else None


def test_the_xlsx_holds_the_numbers_of_the_page(data, client, login_as):
    login_as(client, UserFactory(staff=True))
    html = client.get("/rapport?period=2026h2&omrade=lan").get_data(as_text=True)
    response = client.get("/rapport/rapport.xlsx?period=2026h2&omrade=lan")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert_same_numbers(html, response.data)


def assert_same_numbers(html: str, body: bytes) -> None:
    """Every figure's table on the page holds the numbers of its table in the workbook."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body))
    sheets = {sheet.title: sheet for sheet in workbook.worksheets}
    assert {"Rekrytering", "Kurser"} <= set(sheets)  # a sheet per section
    cells = [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    by_label: dict[str, list[tuple]] = {}
    for row in cells:
        if row and isinstance(row[0], str):
            by_label.setdefault(row[0], []).append(tuple(row[1:]))
    tables = page_tables(html)
    assert tables
    compared = 0
    for table in tables.values():
        for row in table[1:]:
            label, shown = row[0], [_number(text) for text in row[1:]]
            candidates = by_label[label]
            workbook_values = [
                [v if isinstance(v, int | float) else None for v in values[: len(shown)]]
                for values in candidates
            ]
            assert shown in workbook_values, (label, shown, workbook_values)
            compared += 1
    assert compared > 20
