"""Results of one evaluation: the threshold in page, chart and export, who may read, free texts."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime

import pytest

from tests.evaluations import results_data as data
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory

TOO_FEW = "För få svar för att visa resultat"


@pytest.fixture
def version(db):
    return data.course_form()


@pytest.fixture
def run(db):
    return CourseRunFactory(
        title="Ett hem att växa i, hösten", sessions__start=datetime(2026, 8, 20, 16, tzinfo=UTC)
    )


def _page(client, login_as, user, url):
    login_as(client, user)
    return client.get(url)


def _workbook_rows(body: bytes) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(body)).active
    return [tuple(cell for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)]


def test_four_answers_show_nothing_in_the_page_the_chart_or_the_exports(db, client, login_as, version, run):
    found = data.evaluation(version, run=run)
    data.answer_course(found, [5, 5, 4, 1], text="Bra kursledare")
    question = version.questions[0]
    staff = UserFactory(staff=True)
    db.session.commit()

    page = data.html(_page(client, login_as, staff, f"/admin/utvarderingar/{found.id}/resultat"))
    assert TOO_FEW in page
    assert question.text not in page and "Bra kursledare" not in page and "mycket nöjda" not in page

    chart = client.get(f"/admin/utvarderingar/{found.id}/resultat/fraga-{question.id}.svg")
    assert chart.mimetype == "image/svg+xml"
    assert TOO_FEW in chart.get_data(as_text=True) and question.text not in chart.get_data(as_text=True)

    csv = data.html(client.get(f"/admin/utvarderingar/{found.id}/resultat/export.csv"))
    assert csv.strip("\ufeff\r\n") == TOO_FEW
    xlsx = client.get(f"/admin/utvarderingar/{found.id}/resultat/export.xlsx").data
    assert _workbook_rows(xlsx) == [(found.title,), (TOO_FEW,)]


def test_five_answers_show_the_distribution_the_share_very_satisfied_and_the_texts(
    db, client, login_as, version, run
):
    found = data.evaluation(version, run=run)
    data.answer_course(found, [5, 5, 4, 3, 1], text="Bra kursledare")
    question = version.questions[0]
    staff = UserFactory(staff=True)
    db.session.commit()

    page = data.html(_page(client, login_as, staff, f"/admin/utvarderingar/{found.id}/resultat"))
    assert TOO_FEW not in page
    assert "5 har svarat" in page
    assert "Andel mycket nöjda: 40 %" in page  # two of five gave the top answer
    assert '<th scope="row">5 – Mycket nöjd</th><td>2</td><td>40 %</td>' in page
    assert '<th scope="row">1 – Inte alls nöjd</th><td>1</td><td>20 %</td>' in page
    assert '<th scope="row">Ja</th><td>5</td>' in page
    assert '<th scope="row">Den första</th><td>5</td>' in page
    for n in range(1, 6):
        assert f"<li>Bra kursledare {n}</li>" in page
    assert f"/admin/utvarderingar/{found.id}/resultat/fraga-{question.id}.svg" in page

    chart = client.get(f"/admin/utvarderingar/{found.id}/resultat/fraga-{question.id}.svg")
    svg = chart.get_data(as_text=True)
    assert question.text in svg and "Mycket nöjd" in svg and "<script" not in svg
    assert "default-src 'none'" in chart.headers["Content-Security-Policy"]

    csv = data.html(client.get(f"/admin/utvarderingar/{found.id}/resultat/export.csv"))
    assert f"{question.text};5 – Mycket nöjd;2;40,0" in csv
    assert f"{question.text};Andel mycket nöjda;;40,0" in csv
    rows = _workbook_rows(client.get(f"/admin/utvarderingar/{found.id}/resultat/export.xlsx").data)
    assert (question.text, "5 – Mycket nöjd", 2, 40.0) in rows
    assert ("Antal svarande", 5) in rows


def test_a_free_text_question_shows_no_chart(db, client, login_as, version, run):
    found = data.evaluation(version, run=run)
    data.answer_course(found, [5] * 5, text="Tack")
    text_question = version.questions[3]
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    assert (
        client.get(f"/admin/utvarderingar/{found.id}/resultat/fraga-{text_question.id}.svg").status_code
        == 404
    )


def test_free_texts_are_unattributed_and_not_in_the_order_of_answering(db, client, login_as, version, run):
    found = data.evaluation(version, run=run)
    data.answer_course(found, [5] * 40, text="Svar")
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    orders = set()
    for _attempt in range(3):
        page = data.html(client.get(f"/admin/utvarderingar/{found.id}/resultat"))
        orders.add(tuple(int(part.split("</li>")[0]) for part in page.split("<li>Svar ")[1:]))
    assert all(sorted(order) == list(range(1, 41)) for order in orders)
    # 40 texts in the order written, or the same order three times, by chance: once in 40!**2.
    assert tuple(range(1, 41)) not in orders and len(orders) > 1


def test_a_leader_reads_the_results_of_their_own_run_only(db, client, login_as, version, run):
    leader = UserFactory(leader=True)
    run.leaders.append(leader)
    own = data.evaluation(version, run=run)
    data.answer_course(own, [5] * 5)
    other = data.evaluation(version, run=CourseRunFactory(title="Någon annans omgång"))
    data.answer_course(other, [5] * 5)
    db.session.commit()
    login_as(client, leader)

    assert "Andel mycket nöjda: 100 %" in data.html(client.get(f"/admin/utvarderingar/{own.id}/resultat"))
    assert "Andel mycket nöjda: 100 %" in data.html(
        client.get(f"/admin/kurser/{run.id}/utvarderingsresultat")
    )
    for url in (
        f"/admin/utvarderingar/{other.id}/resultat",
        f"/admin/utvarderingar/{other.id}/resultat/export.csv",
        f"/admin/utvarderingar/{other.id}/resultat/fraga-{version.questions[0].id}.svg",
        f"/admin/kurser/{other.run_id}/utvarderingsresultat",
    ):
        assert client.get(url).status_code == 404, url
    # Figures across runs are for staff and the steering group, not for leaders.
    assert client.get("/admin/utvarderingar/resultat").status_code == 403


def test_the_steering_group_reads_every_result_and_a_family_none(db, client, login_as, version, run):
    found = data.evaluation(version, run=run)
    data.answer_course(found, [4] * 5)
    steering = UserFactory(steering=True)
    family = UserFactory(family=True)
    db.session.commit()
    assert "Andel mycket nöjda: 0 %" in data.html(
        _page(client, login_as, steering, f"/admin/utvarderingar/{found.id}/resultat")
    )
    assert _page(client, login_as, family, f"/admin/utvarderingar/{found.id}/resultat").status_code == 404


def test_a_run_without_an_evaluation_says_so(db, client, login_as, run):
    staff = UserFactory(staff=True)
    db.session.commit()
    page = data.html(_page(client, login_as, staff, f"/admin/kurser/{run.id}/utvarderingsresultat"))
    assert "Kursomgången har ingen utvärdering ännu." in page


def test_the_threshold_is_a_setting(app, db, client, login_as, version, run):
    app.config["COURSEHUB_EVALUATION_MIN_ANSWERS"] = 3
    found = data.evaluation(version, run=run)
    data.answer_course(found, [5, 5, 5])
    staff = UserFactory(staff=True)
    db.session.commit()
    page = data.html(_page(client, login_as, staff, f"/admin/utvarderingar/{found.id}/resultat"))
    assert "Andel mycket nöjda: 100 %" in page


@pytest.mark.parametrize(
    "url", ["/admin/utvarderingar/{id}/resultat", "/admin/kurser/{run}/utvarderingsresultat"]
)
def test_the_results_page_runs_the_same_queries_for_5_and_60_answers(
    db, client, login_as, count_queries, url
):
    counts = []
    staff = UserFactory(staff=True)
    version = data.course_form()
    for n in (5, 60):
        run = CourseRunFactory(course_type=CourseTypeFactory(), leaders=[UserFactory(leader=True)])
        found = data.evaluation(version, run=run)
        data.answer_course(found, [n % 5 + 1 for n in range(n)], text="Text")
        db.session.commit()
        login_as(client, staff)
        with count_queries() as statements:
            response = client.get(url.format(id=found.id, run=run.id))
        assert "Andel mycket nöjda" in response.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert 0 < counts[0] <= 12, counts  # the user, the evaluation, the four reads of results
