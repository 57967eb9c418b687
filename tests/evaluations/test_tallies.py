"""An evaluation's figures are counted once, by the closing job, and read from there.

The results pages (a course type's runs and half-years, the overview, the quotes) and the
report's figures used to count every answer of every year on each visit. The closing job now
stores each evaluation's responses and indicator answers (asking.count_tallies), and the pages
read those: the same figures as counted from the answers before the job ran, and not one answer
of a closed evaluation read again, however many years of them there are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coursehub import clock as app_clock
from coursehub.courses.models import RunStatus
from coursehub.evaluations import jobs
from coursehub.evaluations.models import Answer, Evaluation, IndicatorTally, Question, Response
from coursehub.evaluations.queries_figures import course_indicator_by_period
from coursehub.evaluations.queries_results import quotes_page
from coursehub.extensions import db
from coursehub.lib.spans import Span
from tests.evaluations import results_data as data
from tests.factories import CourseRunFactory, CourseTypeFactory, UserFactory
from tests.support.history import HISTORY_ID, add_finished_runs
from tests.support.sql import page_buffers, page_rows

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
SPRING = datetime(2026, 2, 10, 16, tzinfo=UTC)
SPRING_SPAN = Span("2026H1", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))


def _row(page: str, label: str) -> str:
    return page.split(label)[1].split("</tr>")[0]


def test_the_closing_job_stores_the_figures_the_pages_counted_before_it(db, client, login_as, clock):
    clock.set(NOW)
    version = data.course_form()
    course_type = CourseTypeFactory(name="Ett hem att växa i")
    found = data.evaluation(
        version,
        run=CourseRunFactory(course_type=course_type, title="Omgång Eksjö", sessions__start=SPRING),
        still_open=True,
    )
    data.answer_course(found, [5, 5, 4, 3, 1, 1], text="Bra kursledare", may_quote=True)
    staff = UserFactory(staff=True)
    db.session.commit()
    assert found.response_count is None  # nothing stored while answers come in

    clock.set(found.closes_at + timedelta(minutes=1))  # closed by its time, not yet by the job
    login_as(client, staff)
    type_page = f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}"

    def shown() -> tuple[str, str, str, str, bool]:
        page = data.html(client.get(type_page))
        overview = data.html(client.get("/admin/utvarderingar/resultat"))
        quotes = data.html(client.get("/admin/utvarderingar/citat"))
        [period] = course_indicator_by_period([SPRING_SPAN], municipality_ids=None, now=app_clock.now())
        totals = period.all_runs
        return (
            _row(page, "Omgång Eksjö"),
            _row(page, "våren 2026"),
            _row(overview, "våren 2026"),
            f"{totals.responses} {totals.top} {totals.indicator_answers} {totals.still_open}",
            "Bra kursledare 6" in quotes,
        )

    before = shown()
    assert "<td>6</td><td>33 %</td>" in before[0] and "<td>6</td><td>33 %</td>" in before[1]
    assert before[3] == "6 2 6 0" and before[4]

    assert jobs.close_evaluations(app_clock.now()) == 1
    db.session.commit()
    db.session.refresh(found)
    # Six responses; two gave the indicator the top of the scale, all six answered it.
    assert (found.response_count, found.indicator_top, found.indicator_answered) == (6, 2, 6)
    assert shown() == before


def test_the_closing_job_stores_each_indicators_figures_and_the_trend_reads_the_same(
    db, client, login_as, clock
):
    clock.set(NOW)
    version = data.survey_form()
    found = data.evaluation(version, year=2026, still_open=True)
    data.answer_survey(found, [(5, 5, 4), (5, 4, 4), (5, 4, 1), (4, 4, 4), (5, 5, 5), (3, 3, 3)])
    staff = UserFactory(staff=True)
    db.session.commit()
    clock.set(found.closes_at + timedelta(minutes=1))  # closed by its time, not yet by the job
    login_as(client, staff)

    def shown() -> tuple[str, str, str]:
        page = data.html(client.get("/admin/utvarderingar/resultat"))
        table = page.split("<caption>Årsenkätens indikatorer per år")[1].split("</table>")[0]
        chart = data.html(client.get("/admin/utvarderingar/resultat/arsenkat/indikator-2.svg"))
        chart = re.sub(r"chart-[0-9a-f-]+", "chart", chart)  # each drawing has an id of its own
        csv = data.html(client.get("/admin/utvarderingar/resultat/arsenkat/export.csv"))
        return table, chart, csv

    before = shown()
    assert '<th scope="row">2026</th><td>6</td><td>67 %</td><td>33 %</td><td>17 %</td>' in before[0]
    assert "2026;6;66,7;33,3;16,7" in before[2]

    assert jobs.close_evaluations(app_clock.now()) == 1
    db.session.commit()
    stored = db.session.execute(
        sa.select(Question.position, IndicatorTally.top, IndicatorTally.answered)
        .join(Question, IndicatorTally.question_id == Question.id)
        .where(IndicatorTally.evaluation_id == found.id)
        .order_by(Question.position)
    ).all()
    # Six answered each of the three indicators: four, two and one of them gave it a 5.
    assert [tuple(row) for row in stored] == [(1, 4, 6), (2, 2, 6), (3, 1, 6)]
    assert shown() == before


def test_a_closed_evaluation_stored_too_few_answers_shows_too_few(db, client, login_as, clock):
    clock.set(NOW)
    version = data.course_form()
    course_type = CourseTypeFactory()
    found = data.evaluation(
        version,
        run=CourseRunFactory(course_type=course_type, title="Omgång Tranås", sessions__start=SPRING),
        still_open=True,
    )
    data.answer_course(found, [5, 5, 5, 5])
    staff = UserFactory(staff=True)
    db.session.commit()
    clock.set(found.closes_at + timedelta(days=1))
    assert jobs.close_evaluations(app_clock.now()) == 1
    db.session.commit()
    login_as(client, staff)

    page = data.html(client.get(f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}"))
    assert "För få svar för att visa resultat" in _row(page, "Omgång Tranås")
    assert "100 %" not in page


# A test set is small enough for PostgreSQL to read a table whole, or hash it, where the bench
# sets' plans look rows up by index (tests/support/sql.page_rows, `without`).
INDEX_PLANS = ("seqscan", "hashjoin", "mergejoin")
ANSWER_TABLES = ("evaluation_answers", "evaluation_responses")


def _rows_read(client, pages: tuple[str, ...], tables: tuple[str, ...] = ANSWER_TABLES) -> list[int]:
    """The rows of `tables` each of `pages` looks at, with the plans a large set would get
    (`INDEX_PLANS`)."""
    return [
        sum(
            sum(page_rows(client, path, db.engine, db.session, table=table, without=INDEX_PLANS).values())
            for table in tables
        )
        for path in pages
    ]


def _closed_runs(version, course_type, first: int, count: int, clock) -> None:
    """`count` runs of earlier half-years, held and completed, each answered by six (all
    quotable), closed by the job."""
    for n in range(first, first + count):
        found = data.evaluation(
            version,
            run=CourseRunFactory(
                course_type=course_type,
                title=f"Omgång {n}",
                sessions__start=SPRING - timedelta(weeks=26 * n),
                status=RunStatus.COMPLETED,
            ),
            still_open=True,
        )
        data.answer_course(found, [5, 4, 4, 3, 2, 1], text=f"Tack {n}", may_quote=True)
    db.session.commit()
    clock.set(app_clock.now() + timedelta(days=21))
    assert jobs.close_evaluations(app_clock.now()) == count
    db.session.commit()


def test_the_results_pages_read_the_same_with_five_times_the_evaluations(
    db, client, login_as, clock, postgres_only
):
    clock.set(NOW)
    version = data.course_form()
    course_type = CourseTypeFactory()
    staff = UserFactory(staff=True)
    pages = (
        f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}",
        "/admin/utvarderingar/resultat/halvar.svg",
        "/admin/utvarderingar/citat",
    )

    def read() -> list[int]:
        login_as(client, staff)  # the session of three weeks ago has lapsed
        return _rows_read(client, pages)

    _closed_runs(version, course_type, 0, 10, clock)
    small = read()
    _closed_runs(version, course_type, 10, 40, clock)
    big = read()

    # 60 -> 300 responses and 240 -> 1,200 answers. Counted from the answers on each visit, the
    # pages would look at every one of those rows, five times as many with five times the
    # evaluations; the figures stored by the closing job are one row per run, and the quotes page
    # looks at the texts of the evaluations it shows (on the small set the planner may read both
    # tables whole: 300 rows, then 150 through the indexes). Rows, not buffers: a buffer count
    # also measured the index pages that earlier tests in the session had filled and emptied.
    for path, before, after in zip(pages, small, big, strict=True):
        assert after <= before * 1.5 + 10, (path, small, big)
    page = data.html(client.get(pages[0]))
    assert "<td>6</td><td>17 %</td>" in _row(page, "Omgång 0")
    quotes = data.html(client.get(pages[2]))
    assert "Tack 49 1" in quotes and "Tack 0 1" not in quotes  # the latest evaluation first


def test_the_half_years_read_the_runs_of_ten_whatever_the_years_before_them(
    db, client, login_as, clock, postgres_only
):
    clock.set(NOW)
    version = data.course_form()
    course_type = CourseTypeFactory()
    staff = UserFactory(staff=True)
    pages = (
        "/admin/utvarderingar/resultat",
        "/admin/utvarderingar/resultat/halvar.svg",
        f"/admin/utvarderingar/resultat/kurstyp/{course_type.id}/halvar.svg",
    )

    def read() -> list[int]:
        login_as(client, staff)  # the session of three weeks ago has lapsed
        return _rows_read(client, pages, ("evaluations", "course_runs"))

    _closed_runs(version, course_type, 0, 10, clock)  # the last five years
    small = read()
    _closed_runs(version, course_type, 10, 40, clock)  # the twenty before them
    big = read()

    # The pages show ten half-years: the runs evaluated in them, the first evaluated run found
    # before them (for the link to earlier half-years), and the first of each course type (for
    # the list of types). Every half-year on the page read every evaluated run twice (the first
    # and last half-year, then the sums): 10 -> 50 runs each time.
    for path, before, after in zip(pages, small, big, strict=True):
        assert after <= before * 1.2 + 10, (path, small, big)
    page = data.html(client.get(pages[0]))
    assert "Tidigare halvår" in page and "Omgång" not in page and course_type.name in page


def _closed_surveys(version, years: range, clock) -> None:
    """A survey for each of `years`, answered by six, closed by the job."""
    for year in years:
        data.answer_survey(data.evaluation(version, year=year, still_open=True), [(5, 4, 3)] * 6)
    db.session.commit()
    clock.set(app_clock.now() + timedelta(days=21))
    assert jobs.close_evaluations(app_clock.now()) == len(years)
    db.session.commit()


def test_the_surveys_indicators_read_the_same_whatever_the_years_of_answers(
    db, client, login_as, clock, postgres_only
):
    clock.set(NOW)
    version = data.survey_form()
    staff = UserFactory(staff=True)
    pages = (
        "/admin/utvarderingar/resultat",
        "/admin/utvarderingar/resultat/arsenkat/indikator-1.svg",
        "/admin/utvarderingar/resultat/arsenkat/export.csv",
    )

    def read() -> list[int]:
        login_as(client, staff)  # the session of three weeks ago has lapsed
        return _rows_read(client, pages)

    _closed_surveys(version, range(2024, 2026), clock)
    small = read()
    _closed_surveys(version, range(2014, 2024), clock)
    big = read()

    # 2 -> 12 years of surveys, 12 -> 72 responses and 36 -> 216 indicator answers: counted on
    # each visit, every one of them was looked at (the code before: 60 -> 360 rows on each page); the
    # figures the closing job stored are a row per survey and per survey and indicator.
    for path, before, after in zip(pages, small, big, strict=True):
        assert after <= before * 1.2 + 10, (path, small, big)
    csv = data.html(client.get(pages[2]))
    assert "2014;6;100,0;0,0;0,0" in csv and "2025;6;100,0;0,0;0,0" in csv


def _every_quote(now) -> list[tuple[str, str, str]]:
    """Every quotable text in the page's order, read the plain way: all of them, sorted."""
    enough = sa.select(Response.evaluation_id).group_by(Response.evaluation_id).having(sa.func.count() >= 5)
    rows = db.session.execute(
        sa.select(Evaluation.title, Question.text, Answer.text)
        .join(Response, Answer.response_id == Response.id)
        .join(Evaluation, Response.evaluation_id == Evaluation.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            Response.may_quote,
            Answer.text.is_not(None),
            Answer.text != "",
            Response.evaluation_id.in_(enough),
            Evaluation.closed_clause(now),
        )
        .order_by(
            Evaluation.closes_at.desc(), Evaluation.id.desc(), Question.position, Question.id, Answer.text
        )
    )
    return [tuple(row) for row in rows]


def test_the_quotes_are_paged_across_evaluations_as_one_list(db, clock):
    clock.set(NOW)
    version = data.course_form()
    made = []
    # Quotable texts 7, 0 (too few answers), 3, 9 and 2: some counted by the job, the last
    # closed by its time only; a page of 4 starts inside one evaluation and ends in another.
    for n, (quotable, kept) in enumerate(((7, 0), (3, 1), (3, 3), (9, 0), (2, 4))):
        clock.set(NOW + timedelta(days=n))
        found = data.evaluation(version, run=CourseRunFactory(title=f"Omgång {n}"), still_open=True)
        data.answer_course(found, [5] * quotable, text=f"Citat {n}", may_quote=True)
        data.answer_course(found, [4] * kept, text=f"Inte citat {n}", may_quote=False)
        made.append(found)
    db.session.commit()
    clock.set(made[3].closes_at + timedelta(hours=1))
    assert jobs.close_evaluations(app_clock.now()) == 4  # the fifth closes in a day
    clock.set(made[4].closes_at + timedelta(hours=1))  # past its time, not yet counted
    db.session.commit()
    now = app_clock.now()

    expected = _every_quote(now)
    assert len(expected) == 7 + 3 + 9 + 2
    shown = []
    for number in range(1, 7):
        page = quotes_page(now=now, page=number, per_page=4)
        assert (page.total, page.pages) == (21, 6)
        shown += [(q.source, q.question, q.text) for q in page.items]
    assert shown == expected
    last = quotes_page(now=now, page=99, per_page=4)  # past the end: the last page
    assert last.page == 6 and [q.text for q in last.items] == [text for _s, _q, text in expected[20:]]


def _course_evaluations(version_id: int, course_type_id: int, first: int, count: int) -> None:
    """`count` finished runs of earlier years, each with its evaluation closed and counted."""
    add_finished_runs(course_type_id, first, count, sessions=0)
    moment = app_clock.now() - timedelta(days=3000)
    db.session.execute(
        sa.insert(Evaluation),
        [
            {
                "version_id": version_id,
                "run_id": HISTORY_ID + n,
                "title": f"Tidigare omgång {n}",
                "created_at": moment,
                "opens_at": moment,
                "closes_at": moment + timedelta(days=20),
                "remind_at": moment + timedelta(days=7),
                "closed_at": moment + timedelta(days=21),
                "invited_count": 10,
                "response_count": 6,
                "indicator_top": 2,
                "indicator_answered": 6,
                "quote_count": 0,
            }
            for n in range(first, first + count)
        ],
    )
    db.session.commit()


def test_the_survey_list_reads_the_surveys_only_whatever_the_course_evaluations(
    db, client, login_as, clock, postgres_only
):
    clock.set(NOW)
    survey = data.survey_form()
    for year in (2024, 2025):
        data.answer_survey(data.evaluation(survey, year=year), [(5, 4, 3)] * 5)
    course = data.course_form()
    course_type = CourseTypeFactory()
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)

    def read() -> int:
        return sum(
            page_buffers(
                client, "/admin/utvarderingar/arsenkat", db.engine, db.session, table="evaluations"
            ).values()
        )

    _course_evaluations(course.id, course_type.id, 0, 200)
    small = read()
    _course_evaluations(course.id, course_type.id, 200, 1_800)
    big = read()

    # 200 -> 2,000 course evaluations beside two surveys: read whole to find the surveys, each
    # was read on every visit; the surveys' own index finds the two.
    assert big <= small * 1.2 + 4, (small, big)
    page = data.html(client.get("/admin/utvarderingar/arsenkat"))
    assert "Årsenkät 2025" in page and "Årsenkät 2024" in page
