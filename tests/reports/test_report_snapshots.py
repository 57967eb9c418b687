"""A report's figures are counted once and kept for some minutes (reports.models.ReportSnapshot).

The page, its charts, its printable page and its workbook show the same kept figures; after
COURSEHUB_REPORT_FRESH_MINUTES, or when someone asks for it, they are counted again.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coursehub.extensions import db
from coursehub.reports.figures import HIDDEN, Figure, Row, Section
from coursehub.reports.models import ReportSnapshot
from coursehub.reports.report import sections_from_data, sections_to_data
from tests.factories import MunicipalityFactory, UserFactory
from tests.recruitment.factories import CaseFactory
from tests.reports.test_report_views import assert_same_numbers, at, page_tables
from tests.support.race import post_at_once, session_cookie
from tests.support.sql import captured_statements

PAGE = "/rapport?period=2026&omrade=lan"
CHART = "/rapport/diagram/recruitment/registrations.svg?period=2026&omrade=lan"
RECOUNT = "/rapport/rakna-om?period=2026&omrade=lan"


@pytest.fixture
def town(app, clock):
    """A member municipality with two interest registrations in 2026; the clock in January 2027."""
    clock.set(at(2027, 1, 15))
    app.config["COURSEHUB_REPORTS_START"] = "2025-01-01"
    town = MunicipalityFactory(name="A-stad")
    for day in (1, 2):
        CaseFactory(municipality=town, registered_at=at(2026, 3, day), step_changed_at=at(2026, 3, day))
    db.session.commit()
    return town


def _registrations(html: str) -> list[str]:
    """The row of the report's first figure: the registrations of 2025 and 2026."""
    return page_tables(html)["recruitment.registrations"][1]


def _one_more_registration(town) -> None:
    CaseFactory(municipality=town, registered_at=at(2026, 4, 1), step_changed_at=at(2026, 4, 1))
    db.session.commit()


def test_the_figures_are_counted_once_and_kept_while_fresh(town, client, login_as, clock, count_queries):
    login_as(client, UserFactory(staff=True))
    with count_queries() as counting:
        first = client.get(PAGE).get_data(as_text=True)
    assert _registrations(first) == ["Intresseanmälningar", "0", "2"]
    assert "Sammanställd fredag 15 januari 2027 kl. 11:00." in first

    _one_more_registration(town)
    clock.advance(minutes=9)
    with count_queries() as kept:
        again = client.get(PAGE).get_data(as_text=True)
    # Nine minutes later the page shows what was counted, and says when; it no longer counts.
    assert _registrations(again) == ["Intresseanmälningar", "0", "2"]
    assert "Sammanställd fredag 15 januari 2027 kl. 11:00." in again
    assert len(kept) < len(counting) - 10
    # Besides the session's user (whose menu counts open cases for staff), nothing reads the cases.
    assert not [s for s in kept if "recruitment_cases" in s and "session_facts" not in s]

    clock.advance(minutes=2)
    later = client.get(PAGE).get_data(as_text=True)
    # Older than ten minutes: counted again, with the new registration.
    assert _registrations(later) == ["Intresseanmälningar", "0", "3"]
    assert "Sammanställd fredag 15 januari 2027 kl. 11:11." in later


def test_a_kept_report_runs_the_same_statements_whatever_the_data(town, client, login_as, count_queries):
    login_as(client, UserFactory(staff=True))
    client.get(PAGE)
    with count_queries() as few:
        client.get(PAGE)
    for _ in range(5):
        _one_more_registration(MunicipalityFactory())
    # Another area's report is counted and kept; the county's is still read as kept.
    with count_queries() as more:
        client.get(PAGE)
    assert len(more) == len(few)


def test_counting_again_now_shows_the_new_figures(town, client, login_as):
    login_as(client, UserFactory(staff=True))
    page = client.get(PAGE).get_data(as_text=True)
    assert ">2<" in client.get(CHART).get_data(as_text=True)
    assert f'action="{RECOUNT.replace("&", "&amp;")}"' in page
    assert "Räkna om siffrorna nu" in page
    _one_more_registration(town)

    response = client.post(RECOUNT)
    assert response.status_code == 302
    assert response.headers["Location"] == PAGE
    shown = client.get(PAGE).get_data(as_text=True)
    assert "Siffrorna är räknade på nytt." in shown
    assert _registrations(shown) == ["Intresseanmälningar", "0", "3"]
    # The chart too, though the clock stands still (the same moment of counting as before).
    assert ">3<" in client.get(CHART).get_data(as_text=True)


def test_counting_again_a_bad_choice_gets_the_message_beside_the_field(town, client, login_as):
    login_as(client, UserFactory(staff=True))
    response = client.post("/rapport/rakna-om?period=2026h3&omrade=lan")
    assert response.status_code == 400
    assert "Välj en period i listan" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReportSnapshot)) == 0


def test_the_charts_the_printable_page_and_the_workbook_show_the_kept_figures(town, client, login_as):
    login_as(client, UserFactory(staff=True))
    page = client.get(PAGE).get_data(as_text=True)
    _one_more_registration(town)
    # Opened after the page, while the data changed: the same figures as the page, not newer ones.
    assert_same_numbers(page, client.get("/rapport/rapport.xlsx?period=2026&omrade=lan").data)
    printed = client.get("/rapport/utskrift?period=2026&omrade=lan").get_data(as_text=True)
    assert _registrations(printed) == ["Intresseanmälningar", "0", "2"]
    chart = client.get("/rapport/diagram/recruitment/registrations.svg?period=2026&omrade=lan")
    assert chart.status_code == 200
    assert ">2<" in chart.get_data(as_text=True) and ">3<" not in chart.get_data(as_text=True)


def test_each_language_has_its_own_kept_figures(town, client, login_as):
    login_as(client, UserFactory(staff=True))
    assert "Intresseanmälningar som kom in under perioden" in client.get(PAGE).get_data(as_text=True)
    with client.session_transaction() as session:
        session["locale"] = "en"
    english = client.get(PAGE).get_data(as_text=True)
    assert "Interest registrations received in the period" in english
    assert "Intresseanmälningar som kom in under perioden" not in english
    keys = db.session.scalars(select(ReportSnapshot.key).order_by(ReportSnapshot.key)).all()
    assert [key.rsplit("/", 1)[1] for key in keys] == ["en", "sv"]


def test_a_municipal_worker_gets_the_figures_of_their_own_municipality_only(town, client, login_as):
    login_as(client, UserFactory(staff=True))
    assert _registrations(client.get(PAGE).get_data(as_text=True)) == ["Intresseanmälningar", "0", "2"]
    other = MunicipalityFactory(name="B-by")
    worker = UserFactory(municipal=True, municipality=other)
    db.session.commit()
    login_as(client, worker)
    # The county's figures are kept, but a worker of B-by reads B-by's, and may not ask for the county's.
    assert "Rapport 2026 – B-by" in client.get("/rapport?period=2026").get_data(as_text=True)
    assert client.get(PAGE).status_code == 403
    assert client.post(RECOUNT).status_code == 403


def test_old_snapshots_go_when_a_new_one_is_kept(town, client, login_as, clock):
    login_as(client, UserFactory(staff=True))
    client.get(PAGE)
    clock.advance(days=1, minutes=1)
    login_as(client, UserFactory(staff=True))
    assert client.get("/rapport?period=2026h2&omrade=lan").status_code == 200
    keys = db.session.scalars(select(ReportSnapshot.key)).all()
    assert keys == ["lan/2025h1-2026h2/sv"]


def test_a_resource_with_many_years_keeps_its_report_under_a_short_key(app, town, client, login_as):
    app.config["COURSEHUB_REPORTS_START"] = "1990-01-01"
    login_as(client, UserFactory(staff=True))
    page = client.get("/rapport?period=2026h2&omrade=lan").get_data(as_text=True)
    # 74 half-years in the series; the key names the first and the last.
    assert len(page_tables(page)["recruitment.registrations"][0]) == 1 + 74
    assert db.session.scalars(select(ReportSnapshot.key)).all() == ["lan/1990h1-2026h2/sv"]


def test_with_no_minutes_set_the_figures_are_counted_every_time(app, town, client, login_as):
    app.config["COURSEHUB_REPORT_FRESH_MINUTES"] = 0
    login_as(client, UserFactory(staff=True))
    client.get(PAGE)
    _one_more_registration(town)
    page = client.get(PAGE).get_data(as_text=True)
    assert _registrations(page) == ["Intresseanmälningar", "0", "3"]
    assert "Räkna om siffrorna nu" not in page
    assert db.session.scalar(select(func.count()).select_from(ReportSnapshot)) == 0


def test_two_counting_at_once_both_answer_and_one_snapshot_stands(app, town):
    # Two members of staff press "count again" in the same instant: both count, both keep.
    requests = [(RECOUNT, session_cookie(app, UserFactory(staff=True)), "") for _ in range(2)]
    db.session.commit()
    replies = post_at_once(app, requests)
    assert [reply.status for reply in replies] == [302, 302]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReportSnapshot)) == 1


def test_kept_sections_read_back_as_they_were_counted():
    sections = (
        Section(
            "satisfaction",
            "Nöjdhet",
            (
                Figure(
                    key="share",
                    title="Andel nöjda",
                    definition="Andelen som svarade 4 eller 5.",
                    unit="share",
                    rows=(Row("Alla", (0.875, None, HIDDEN)), Row("kvinna", (1, 0, 2.5))),
                    note="Färre än fem svar visas inte.",
                ),
            ),
        ),
    )
    stored = json.loads(json.dumps(sections_to_data(sections)))
    assert sections_from_data(stored) == sections
    assert sections_from_data(stored)[0].figures[0].rows[0].values[2] is HIDDEN


def _figures_part(html: str) -> str:
    """The page from its first section of figures to the end of its content."""
    return html[html.index('<section class="report-section"') : html.index("</main>")]


def test_kept_figures_shown_again_are_the_ones_counting_writes(app, town, client, login_as):
    # Each figure of a kept report is written once and shown as written after (reports/views/report.py).
    login_as(client, UserFactory(staff=True))
    first = client.get(PAGE).get_data(as_text=True)
    again = client.get(PAGE).get_data(as_text=True)
    app.config["COURSEHUB_REPORT_FRESH_MINUTES"] = 0  # counted and written for the page alone
    counted = client.get(PAGE).get_data(as_text=True)
    assert _figures_part(again) == _figures_part(first) == _figures_part(counted)
    assert len(page_tables(again)) == len(page_tables(counted)) > 20


def test_kept_figures_link_their_charts_under_the_address_they_are_shown_at(town, client, login_as):
    login_as(client, UserFactory(staff=True))
    chart = "/rapport/diagram/recruitment/registrations.svg?period=2026&amp;omrade=lan"
    assert f'src="{chart}"' in client.get(PAGE).get_data(as_text=True)
    # The same kept figures, served under a path of its own (a reverse proxy's prefix).
    under = client.get(PAGE, base_url="http://localhost/familjehem").get_data(as_text=True)
    assert f'src="/familjehem{chart}"' in under
    # Another period: other figures, with their own charts' addresses.
    other = client.get("/rapport?period=2026h2&omrade=lan").get_data(as_text=True)
    assert 'registrations.svg?period=2026h2&amp;omrade=lan"' in other


def _unnamed(svg: str) -> str:
    return re.sub(r"chart-[0-9a-f-]{36}", "chart", svg)


def test_a_kept_chart_is_drawn_once_and_read_again_without_the_figures(
    app, town, client, login_as, count_queries
):
    login_as(client, UserFactory(staff=True))
    client.get(PAGE)
    first = client.get(CHART)
    with count_queries() as again:
        second = client.get(CHART)
    assert second.get_data() == first.get_data()
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    # Only when the kept report was counted is read, not its figures.
    kept_reads = [s for s in again if "FROM report_snapshots" in s]
    assert len(kept_reads) == 1 and "report_snapshots.sections" not in kept_reads[0]
    app.config["COURSEHUB_REPORT_FRESH_MINUTES"] = 0  # drawn from figures counted for it alone
    # Each drawing names its chart anew (pygal: an id and the style's selectors); the rest is alike.
    assert _unnamed(client.get(CHART).get_data(as_text=True)) == _unnamed(first.get_data(as_text=True))
    assert client.get(CHART.replace("registrations", "no-such-figure")).status_code == 404


def _kept_read(client, engine) -> tuple[str, object]:
    """The statement (and its values) that reads the kept report for a view of the page."""
    with captured_statements(engine, lambda statement: "FROM report_snapshots" in statement) as seen:
        assert client.get(PAGE).status_code == 200
    [read] = seen
    return read


def test_a_process_reads_a_kept_reports_figures_once(town, client, login_as):
    # A national report's figures are 19 kB of JSON, read and built into some 380 rows on every
    # view; the process holds them once read, and the kept row sends only when it was counted.
    login_as(client, UserFactory(staff=True))
    first = client.get(PAGE).get_data(as_text=True)
    statement, values = _kept_read(client, db.engine)
    with db.engine.connect() as conn:
        [(made_at, sections)] = conn.exec_driver_sql(statement, values).all()
    assert made_at is not None and sections is None
    assert _figures_part(client.get(PAGE).get_data(as_text=True)) == _figures_part(first)


def test_figures_another_process_counted_are_read_anew(town, client, login_as):
    # Another worker counts the report again (its "count again", or the kept one grown stale):
    # this process holds the figures of the moment before and must not show those.
    login_as(client, UserFactory(staff=True))
    assert _registrations(client.get(PAGE).get_data(as_text=True)) == ["Intresseanmälningar", "0", "2"]
    kept = db.session.scalars(select(ReportSnapshot)).one()
    data = json.loads(json.dumps(kept.sections))
    [figure] = [
        figure for section in data for figure in section["figures"] if figure["key"] == "registrations"
    ]
    figure["rows"][0][1] = [0, 7]
    kept.sections = data
    kept.made_at = kept.made_at + timedelta(minutes=1)
    db.session.commit()
    shown = client.get(PAGE).get_data(as_text=True)
    assert _registrations(shown) == ["Intresseanmälningar", "0", "7"]
    assert "Sammanställd fredag 15 januari 2027 kl. 11:01." in shown
