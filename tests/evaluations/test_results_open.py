"""An evaluation still open shows no results: only how many have answered, and when it closes.

While answers still come in, results read at 5 answers and again at 6 would give away the sixth
person's answers (SECURITY.md: anonymous by construction). So results of every kind — the page,
its charts, the exports, comparisons, the survey's indicators, quotes and the report's figures —
come only from evaluations that have closed; an aggregate leaves the open ones out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coursehub import clock as app_clock
from coursehub.evaluations.queries_figures import course_indicator_by_period
from coursehub.lib.spans import Span
from tests.evaluations import results_data as data
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory

OPEN_NOTE = "Resultaten visas när utvärderingen har stängt"
NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
SPRING = datetime(2026, 2, 10, 16, tzinfo=UTC)


def _run(course_type, title):
    return CourseRunFactory(course_type=course_type, title=title, sessions__start=SPRING)


def test_an_open_evaluation_shows_only_its_count_in_the_page_the_chart_and_the_exports(
    db, client, login_as, clock
):
    clock.set(NOW)
    version = data.course_form()
    found = data.evaluation(version, run=_run(CourseTypeFactory(), "Omgång Eksjö"), still_open=True)
    data.answer_course(found, [5, 5, 4, 3, 1, 1], text="Bra kursledare")
    question = version.questions[0]
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    base = f"/admin/utvarderingar/{found.id}/resultat"

    page = data.html(client.get(base))
    assert "6 har svarat" in page
    assert OPEN_NOTE in page and "22 mars 2026" in page  # the closing date
    assert question.text not in page and "Bra kursledare" not in page and "mycket nöjda" not in page
    assert "export.csv" not in page

    svg = client.get(f"{base}/fraga-{question.id}.svg").get_data(as_text=True)
    assert question.text not in svg and "Mycket nöjd" not in svg
    csv = data.html(client.get(f"{base}/export.csv"))
    assert OPEN_NOTE in csv and question.text not in csv and "Bra kursledare" not in csv
    xlsx = client.get(f"{base}/export.xlsx").data
    assert b"Bra kursledare" not in xlsx and question.text.encode() not in xlsx

    # Once the closing time has passed the results are shown, before the closing job has run.
    clock.set(found.closes_at + timedelta(minutes=1))
    login_as(client, staff)  # the session of 20 days ago has lapsed
    page = data.html(client.get(base))
    assert OPEN_NOTE not in page and "Andel mycket nöjda: 33 %" in page and "Bra kursledare 1" in page
    assert "Bra kursledare 1" in data.html(client.get(f"{base}/export.csv"))


def test_an_evaluation_closed_by_the_job_shows_its_results_before_its_closing_time(
    db, client, login_as, clock
):
    clock.set(NOW)
    version = data.course_form()
    found = data.evaluation(version, run=_run(CourseTypeFactory(), "Omgång Tranås"), still_open=True)
    data.answer_course(found, [5] * 5)
    found.closed_at = app_clock.now()
    db.session.commit()
    login_as(client, UserFactory(staff=True))

    page = data.html(client.get(f"/admin/utvarderingar/{found.id}/resultat"))
    assert OPEN_NOTE not in page and "Andel mycket nöjda: 100 %" in page


def test_comparisons_leave_the_open_runs_out_and_keep_the_closed(db, client, login_as, clock):
    clock.set(NOW)
    version = data.course_form()
    course_type = CourseTypeFactory(name="Ett hem att växa i")
    closed = data.evaluation(version, run=_run(course_type, "Omgång Jönköping"))
    data.answer_course(closed, [5, 5, 5, 4, 4])  # 60 % very satisfied
    still_open = data.evaluation(version, run=_run(course_type, "Omgång Värnamo"), still_open=True)
    data.answer_course(still_open, [1] * 6)
    db.session.commit()
    login_as(client, UserFactory(staff=True))

    page = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}"))
    varnamo = page.split("Omgång Värnamo")[1].split("</tr>")[0]
    assert "<td>6</td>" not in varnamo and "%" not in varnamo and "Öppen till" in varnamo
    jonkoping = page.split("Omgång Jönköping")[1].split("</tr>")[0]
    assert "<td>5</td><td>60 %</td>" in jonkoping
    spring = page.split("våren 2026")[1].split("</tr>")[0]
    assert "<td>5</td><td>60 %</td>" in spring  # the half-year holds the closed run only

    csv = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}/export.csv"))
    assert "Omgång Jönköping;5;60,0" in csv and "våren 2026;5;60,0" in csv
    varnamo_row = next(line for line in csv.splitlines() if line.startswith("Omgång Värnamo"))
    assert ";6;" not in varnamo_row and "Öppen till" in varnamo_row

    overview = data.html(client.get("/admin/utvarderingar/resultat"))
    assert "<td>5</td><td>60 %</td>" in overview.split("våren 2026")[1].split("</tr>")[0]


def test_the_survey_indicators_and_quotes_leave_an_open_survey_out(db, client, login_as, clock):
    clock.set(NOW)
    version = data.survey_form()
    data.answer_survey(data.evaluation(version, year=2024), [(5, 5, 5)] * 5)
    still_open = data.evaluation(version, year=2025, still_open=True)
    data.answer_survey(still_open, [(1, 1, 1)] * 6)
    data.answer(still_open, {9: "Ett citat från en öppen enkät"}, may_quote=True)
    db.session.commit()
    login_as(client, UserFactory(staff=True))

    overview = data.html(client.get("/admin/utvarderingar/resultat"))
    assert '<th scope="row">2024</th><td>5</td><td>100 %</td>' in overview
    assert '<th scope="row">2025</th>' not in overview
    csv = data.html(client.get("/admin/utvarderingar/resultat/arsenkat/export.csv"))
    assert "2024;5;100,0" in csv and "2025" not in csv
    svg = client.get("/admin/utvarderingar/resultat/arsenkat/indikator-1.svg").get_data(as_text=True)
    assert "2025" not in svg
    quotes = data.html(client.get("/admin/utvarderingar/citat"))
    assert "Ett citat från en öppen enkät" not in quotes


def test_the_report_figures_count_only_closed_evaluations(db, clock):
    clock.set(NOW)
    version = data.course_form()
    course_type = CourseTypeFactory()
    closed = data.evaluation(version, run=_run(course_type, "Omgång Jönköping"))
    data.answer_course(closed, [5, 5, 5, 4, 4])
    still_open = data.evaluation(version, run=_run(course_type, "Omgång Värnamo"), still_open=True)
    data.answer_course(still_open, [1] * 6)
    db.session.flush()
    spring = Span("2026H1", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))

    [period] = course_indicator_by_period([spring], municipality_ids=None, now=NOW)
    totals = period.all_runs
    assert (totals.responses, totals.kept_back, totals.still_open) == (5, 0, 6)
    assert totals.very_satisfied == 3 / 5

    [later] = course_indicator_by_period([spring], municipality_ids=None, now=still_open.closes_at)
    assert (later.all_runs.responses, later.all_runs.still_open) == (11, 0)
    assert later.all_runs.very_satisfied == 3 / 11
