"""Comparisons across runs and half-years, the survey's indicators over the years, quotable texts."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime

import pytest

from tests.evaluations import results_data as data
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory

TOO_FEW = "För få svar för att visa resultat"
AUTUMN = datetime(2025, 9, 10, 16, tzinfo=UTC)
SPRING = datetime(2026, 2, 10, 16, tzinfo=UTC)


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


def _run(course_type, title, start):
    return CourseRunFactory(course_type=course_type, title=title, sessions__start=start)


def _rows(body: bytes) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(body)).active
    return [tuple(cell for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)]


def test_runs_of_a_type_are_compared_and_a_run_with_four_answers_shows_nothing(db, client, login_as, staff):
    version = data.course_form()
    course_type = CourseTypeFactory(name="Ett hem att växa i")
    five = data.evaluation(version, run=_run(course_type, "Omgång Jönköping", AUTUMN))
    data.answer_course(five, [5, 5, 5, 4, 4])
    four = data.evaluation(version, run=_run(course_type, "Omgång Värnamo", SPRING))
    data.answer_course(four, [1, 1, 1, 1])
    db.session.commit()
    login_as(client, staff)

    page = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}"))
    jonkoping = page.split("Omgång Jönköping")[1].split("</tr>")[0]
    assert "<td>5</td><td>60 %</td>" in jonkoping
    varnamo = page.split("Omgång Värnamo")[1].split("</tr>")[0]
    assert TOO_FEW in varnamo and "<td>4</td>" not in varnamo
    autumn = page.split("hösten 2025")[1].split("</tr>")[0]
    assert "<td>5</td><td>60 %</td>" in autumn
    spring = page.split("våren 2026")[1].split("</tr>")[0]
    assert TOO_FEW in spring

    csv = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}/export.csv"))
    assert "Omgång Jönköping;5;60,0" in csv
    assert f"Omgång Värnamo;{TOO_FEW};" in csv
    assert f"våren 2026;{TOO_FEW};" in csv
    rows = _rows(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}/export.xlsx").data)
    assert ("Omgång Jönköping", 5, 60.0) in rows and ("Omgång Värnamo", TOO_FEW) in rows


def test_a_half_year_adds_up_only_runs_that_show_their_own_results(db, client, login_as, staff):
    """Three and four answers in one half-year make seven, but shown they would give the runs away."""
    version = data.course_form()
    course_type = CourseTypeFactory()
    data.answer_course(data.evaluation(version, run=_run(course_type, "A", AUTUMN)), [5, 5, 5])
    data.answer_course(data.evaluation(version, run=_run(course_type, "B", AUTUMN)), [1, 1, 1, 1])
    shown = data.evaluation(version, run=_run(course_type, "C", SPRING))
    data.answer_course(shown, [5, 5, 1, 1, 1])
    data.answer_course(data.evaluation(version, run=_run(course_type, "D", SPRING)), [5, 5])
    db.session.commit()
    login_as(client, staff)

    page = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}"))
    assert TOO_FEW in page.split("hösten 2025")[1].split("</tr>")[0]
    assert "<td>5</td><td>40 %</td>" in page.split("våren 2026")[1].split("</tr>")[0]
    overview = data.html(client.get("/admin/utvarderingar/resultat"))
    assert TOO_FEW in overview.split("hösten 2025")[1].split("</tr>")[0]
    assert "<td>5</td><td>40 %</td>" in overview.split("våren 2026")[1].split("</tr>")[0]
    chart = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}/halvar.svg"))
    assert "våren 2026" in chart and "hösten 2025" not in chart


def test_a_course_type_with_only_hidden_runs_charts_only_the_notice(db, client, login_as, staff):
    version = data.course_form()
    course_type = CourseTypeFactory()
    data.answer_course(data.evaluation(version, run=_run(course_type, "A", AUTUMN)), [5, 5, 5, 5])
    db.session.commit()
    login_as(client, staff)
    chart = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}/halvar.svg"))
    assert TOO_FEW in chart and "hösten" not in chart


def test_the_half_years_come_ten_at_a_time_and_the_older_ones_a_link_away(db, client, login_as, staff, clock):
    clock.set(datetime(2026, 11, 2, 9, tzinfo=UTC))
    version = data.course_form()
    course_type = CourseTypeFactory()
    data.answer_course(data.evaluation(version, run=_run(course_type, "Nyss", SPRING)), [5, 5, 5, 4, 4])
    long_ago = _run(course_type, "Förr", datetime(2020, 9, 10, 16, tzinfo=UTC))  # six years back
    data.answer_course(data.evaluation(version, run=long_ago), [5, 5, 1, 1, 1])
    db.session.commit()
    login_as(client, staff)

    overview = "/admin/utvarderingar/resultat"
    of_type = f"{overview}/kurstyp/{course_type.id}"
    for page_url, chart_url in ((overview, f"{overview}/halvar.svg"), (of_type, f"{of_type}/halvar.svg")):
        latest = data.html(client.get(page_url))
        assert "<td>5</td><td>60 %</td>" in latest.split("våren 2026")[1].split("</tr>")[0]
        assert "hösten 2020" not in latest
        assert "Här visas halvåren från våren 2022 till hösten 2026." in latest
        assert f'href="{page_url}?halvarssida=2">Tidigare halvår</a>' in latest
        assert "Senare halvår" not in latest
        chart = data.html(client.get(chart_url))
        assert "våren 2026" in chart and "hösten 2020" not in chart

        earlier = data.html(client.get(f"{page_url}?halvarssida=2"))
        assert "<td>5</td><td>40 %</td>" in earlier.split("hösten 2020</th>")[1].split("</tr>")[0]
        assert "våren 2026" not in earlier
        assert "Här visas halvåren från våren 2017 till hösten 2021." in earlier
        assert f'href="{page_url}?halvarssida=1">Senare halvår</a>' in earlier
        assert "Tidigare halvår" not in earlier  # nothing was evaluated before 2017
        assert f'src="{chart_url}?halvarssida=2"' in earlier
        chart = data.html(client.get(f"{chart_url}?halvarssida=2"))
        assert "hösten 2020" in chart and "våren 2026" not in chart
        # An address asking for a window before there were any terms gets the oldest there is.
        assert "Tidigare halvår" not in data.html(client.get(f"{page_url}?halvarssida=999999999999"))

    # The download holds every half-year.
    csv = data.html(client.get(f"{of_type}/export.csv"))
    assert "hösten 2020;5;40,0" in csv and "våren 2026;5;60,0" in csv


def test_the_survey_indicators_over_the_years(db, client, login_as, staff):
    version = data.survey_form()
    data.answer_survey(
        data.evaluation(version, year=2024), [(5, 5, 4), (5, 4, 4), (5, 4, 4), (4, 4, 4), (5, 5, 5)]
    )
    data.answer_survey(data.evaluation(version, year=2025), [(5, 5, 5)] * 4)
    data.answer_survey(
        data.evaluation(version, year=2026), [(5, 5, 5), (4, 4, 4), (4, 4, 4), (4, 4, 5), (4, 4, 4)]
    )
    steering = UserFactory(steering=True)
    db.session.commit()
    login_as(client, steering)

    page = data.html(client.get("/admin/utvarderingar/resultat"))
    table = page.split("<caption>Årsenkätens indikatorer per år")[1].split("</table>")[0]
    for indicator in data.SURVEY_INDICATORS:
        assert indicator in table
    assert '<th scope="row">2024</th><td>5</td><td>80 %</td><td>40 %</td><td>20 %</td>' in table
    assert TOO_FEW in table.split("2025")[1].split("</tr>")[0]
    assert "<td>5</td><td>20 %</td><td>20 %</td><td>40 %</td>" in table.split("2026")[1].split("</tr>")[0]

    chart = data.html(client.get("/admin/utvarderingar/resultat/arsenkat/indikator-1.svg"))
    assert data.SURVEY_INDICATORS[0] in chart and "2024" in chart and "2025" not in chart
    assert client.get("/admin/utvarderingar/resultat/arsenkat/indikator-4.svg").status_code == 404

    csv = data.html(client.get("/admin/utvarderingar/resultat/arsenkat/export.csv"))
    assert "2024;5;80,0;40,0;20,0" in csv
    assert f"2025;{TOO_FEW};;;" in csv
    rows = _rows(client.get("/admin/utvarderingar/resultat/arsenkat/export.xlsx").data)
    assert (2024, 5, 80.0, 40.0, 20.0) in rows and (2025, TOO_FEW) in rows


def test_a_survey_with_four_answers_shows_nothing_and_with_five_its_results(db, client, login_as, staff):
    version = data.survey_form()
    survey = data.evaluation(version, year=2026)
    data.answer_survey(survey, [(5, 5, 5)] * 4)
    db.session.commit()
    login_as(client, staff)
    assert TOO_FEW in data.html(client.get(f"/admin/utvarderingar/{survey.id}/resultat"))
    data.answer_survey(survey, [(4, 4, 4)])
    db.session.commit()
    page = data.html(client.get(f"/admin/utvarderingar/{survey.id}/resultat"))
    assert TOO_FEW not in page and page.count("Andel mycket nöjda: 80 %") == 3


def test_quotes_list_only_texts_that_may_be_quoted_from_evaluations_with_enough_answers(
    db, client, login_as, staff
):
    version = data.course_form()
    shown = data.evaluation(version, run=CourseRunFactory(title="Omgång med många svar"))
    data.answer_course(shown, [5, 5, 5], text="Superbra föreläsare", may_quote=True)
    data.answer_course(shown, [4, 4], text="Hemligt", may_quote=False)
    hidden = data.evaluation(version, run=CourseRunFactory(title="Liten omgång"))
    data.answer_course(hidden, [5, 5, 5, 5], text="Bra med reflektionsövningar", may_quote=True)
    db.session.commit()
    login_as(client, staff)

    page = data.html(client.get("/admin/utvarderingar/citat"))
    for n in (1, 2, 3):
        assert f"<li>Superbra föreläsare {n}</li>" in page
    assert "Hemligt" not in page and "reflektionsövningar" not in page
    login_as(client, UserFactory(steering=True))
    assert client.get("/admin/utvarderingar/citat").status_code == 403


def test_comparison_pages_run_the_same_queries_for_5_and_60_answers(
    db, client, login_as, count_queries, staff
):
    version = data.course_form()
    survey_version = data.survey_form()
    counts = []
    for year, n in ((2025, 5), (2026, 60)):
        course_type = CourseTypeFactory()
        found = data.evaluation(version, run=_run(course_type, f"Omgång {year}", AUTUMN))
        data.answer_course(found, [k % 5 + 1 for k in range(n)], text="Text", may_quote=True)
        data.answer_survey(data.evaluation(survey_version, year=year), [(5, 4, 3)] * n)
        db.session.commit()
        login_as(client, staff)
        per_page = []
        for url in (
            f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}",
            "/admin/utvarderingar/resultat",
            "/admin/utvarderingar/citat",
        ):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            per_page.append(len(statements))
        counts.append(per_page)
    assert counts[0] == counts[1], counts
    assert all(0 < n <= 10 for n in counts[0]), counts
