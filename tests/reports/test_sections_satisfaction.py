"""The report's satisfaction section against counts made by hand, for the county, a part and a municipality.

The fixture, three half-years (vt 2025, ht 2025, vt 2026) of course evaluations, top answer 5:

    run  first meeting  audience          answers (indicator ratings)        counts?
    R0   ht 2024        all               5 × 5                              outside the series
    R1   vt 2025        all               5,5,5,4,3,2 + one without rating   yes: 3 top of 6, 7 answers
    R2   vt 2025        Aneby             5,5,5,5,1                          yes: 4 of 5
    R3   vt 2025        Aneby             5,5,5,5                            no: 4 answers, kept back
    R4   ht 2025        part Norra        5,5,1,1,1                          yes: 2 of 5
    R5   ht 2025        Eksjö             7 × 5                              yes: 7 of 7
    R6   vt 2026        Aneby             5,5,5,5                            no: 4 answers, kept back
    R7   vt 2026        Aneby and Eksjö   5 × 5                              yes: 5 of 5

Part Norra is Aneby and Habo; Eksjö lies in part Södra. The yearly survey: 2024 with five answers
to all three indicators, 2025 with four complete answers and one to the first indicator only.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coursehub.accounts.models import CountyPart
from coursehub.extensions import db as _db
from coursehub.reports.figures import HIDDEN
from coursehub.reports.periods import half_year, year
from coursehub.reports.scope import parse_scope
from coursehub.reports.sections.satisfaction import build_satisfaction
from tests.evaluations import results_data as data
from tests.factories import CourseRunFactory, MunicipalityFactory

NOW = datetime(2026, 7, 15, 10, tzinfo=UTC)
HALF_YEARS = [half_year(2025, 1), half_year(2025, 2), half_year(2026, 1)]
YEARS = [year(2024), year(2025)]


class Place:
    def __init__(self):
        self.aneby = MunicipalityFactory(name="Aneby")
        self.habo = MunicipalityFactory(name="Habo")
        self.eksjo = MunicipalityFactory(name="Eksjö")
        self.norra = CountyPart(name="Norra", municipalities=[self.aneby, self.habo])
        self.sodra = CountyPart(name="Södra", municipalities=[self.eksjo])
        _db.session.add_all([self.norra, self.sodra])
        _db.session.flush()

    def scopes(self):
        return {
            "county": parse_scope("lan"),
            "part": parse_scope(f"del-{self.norra.id}"),
            "municipality": parse_scope(f"kommun-{self.aneby.id}"),
        }


def _run(version, start: datetime, ratings: list[int], *, municipalities=(), parts=()):
    run = CourseRunFactory(
        sessions__start=start,
        is_open_to_all=not (municipalities or parts),
        municipalities=list(municipalities),
        county_parts=list(parts),
    )
    found = data.evaluation(version, run=run)
    data.answer_course(found, ratings)
    return found


@pytest.fixture
def place(db, clock):
    clock.set(NOW)
    return Place()


@pytest.fixture
def courses(place):
    version = data.course_form()
    spring25 = datetime(2025, 3, 4, 16, tzinfo=UTC)
    autumn25 = datetime(2025, 9, 9, 16, tzinfo=UTC)
    spring26 = datetime(2026, 2, 3, 16, tzinfo=UTC)
    _run(version, datetime(2024, 10, 1, 16, tzinfo=UTC), [5] * 5)
    r1 = _run(version, spring25, [5, 5, 5, 4, 3, 2])
    data.answer(r1, {2: 1})  # answered, but not the indicator question
    _run(version, spring25, [5, 5, 5, 5, 1], municipalities=[place.aneby])
    _run(version, spring25, [5, 5, 5, 5], municipalities=[place.aneby])
    _run(version, autumn25, [5, 5, 1, 1, 1], parts=[place.norra])
    _run(version, autumn25, [5] * 7, municipalities=[place.eksjo])
    _run(version, spring26, [5, 5, 5, 5], municipalities=[place.aneby])
    _run(version, spring26, [5] * 5, municipalities=[place.aneby, place.eksjo])
    return place


@pytest.fixture
def surveys(place):
    version = data.survey_form()
    data.answer_survey(
        data.evaluation(version, year=2024), [(5, 5, 5), (5, 4, 5), (5, 3, 5), (4, 2, 5), (1, 1, 5)]
    )
    found = data.evaluation(version, year=2025)
    data.answer_survey(found, [(5, 5, 5), (5, 5, 4), (4, 5, 5), (3, 1, 1)])
    data.answer(found, {1: 5})
    return place


def _figure(section, key):
    return next(figure for figure in section.figures if figure.key == key)


def _values(figure):
    return [(row.label, list(row.values)) for row in figure.rows]


def test_the_county_counts_every_run_that_reached_five_answers(courses):
    section = build_satisfaction(courses.scopes()["county"], HALF_YEARS, NOW)

    assert section.key == "satisfaction"
    share = _figure(section, "course_very_satisfied")
    # vt 2025: R1 3 of 6 and R2 4 of 5; ht 2025: R4 2 of 5 and R5 7 of 7; vt 2026: R7 5 of 5.
    assert _values(share) == [("Mycket nöjda", [7 / 11, 9 / 12, 1.0])]
    assert "minst 5" in share.definition and "första träff" in share.definition
    assert "kommun" in share.note and "–" in share.note
    answers = _figure(section, "course_answers")
    assert _values(answers) == [
        ("Antal svar", [16, 12, 9]),
        ("i kursomgångar med minst 5 svar", [12, 12, 5]),
        ("i kursomgångar med färre än 5 svar", [4, 0, 4]),
    ]


def test_a_part_counts_the_runs_aimed_only_at_its_municipalities_beside_the_county(courses):
    section = build_satisfaction(courses.scopes()["part"], HALF_YEARS, NOW)

    share = _figure(section, "course_very_satisfied")
    # vt 2025: R2 (R3 has four answers); ht 2025: R4; vt 2026: only R6, four answers: kept back.
    assert _values(share) == [
        ("Mycket nöjda", [4 / 5, 2 / 5, HIDDEN]),
        ("Alla kursomgångar i länet", [7 / 11, 9 / 12, 1.0]),
    ]
    assert "Norra" in share.definition and "hela länet" in share.note
    assert _values(_figure(section, "course_answers")) == [
        ("Antal svar", [9, 5, 4]),
        ("i kursomgångar med minst 5 svar", [5, 5, 0]),
        ("i kursomgångar med färre än 5 svar", [4, 0, 4]),
    ]


def test_a_municipality_counts_neither_a_run_for_its_part_nor_one_shared_with_another(courses):
    section = build_satisfaction(courses.scopes()["municipality"], HALF_YEARS, NOW)

    share = _figure(section, "course_very_satisfied")
    # R4 is for part Norra, R7 for Aneby and Eksjö: neither is Aneby's alone.
    assert _values(share)[0] == ("Mycket nöjda", [4 / 5, None, HIDDEN])
    assert "Aneby" in share.definition
    assert _values(_figure(section, "course_answers"))[0] == ("Antal svar", [9, 0, 4])


def test_five_answers_show_a_run_and_four_keep_it_back(place):
    version = data.course_form()
    start = datetime(2025, 3, 4, 16, tzinfo=UTC)
    four = _run(version, start, [5, 5, 5, 5], municipalities=[place.aneby])
    scope = place.scopes()["municipality"]
    assert _values(_figure(build_satisfaction(scope, HALF_YEARS[:1], NOW), "course_very_satisfied")) == [
        ("Mycket nöjda", [HIDDEN]),
        ("Alla kursomgångar i länet", [HIDDEN]),
    ]

    data.answer_course(four, [1])
    assert _values(_figure(build_satisfaction(scope, HALF_YEARS[:1], NOW), "course_very_satisfied")) == [
        ("Mycket nöjda", [4 / 5]),
        ("Alla kursomgångar i länet", [4 / 5]),
    ]


def test_the_yearly_survey_per_year_with_its_answers_and_the_threshold_per_indicator(surveys):
    section = build_satisfaction(surveys.scopes()["county"], YEARS, NOW)

    first, second, third = (_figure(section, f"survey_indicator_{n}") for n in (1, 2, 3))
    assert [first.title, second.title, third.title] == list(data.SURVEY_INDICATORS)
    # 2024: 3, 1 and 5 of five gave 5. 2025: five answered the first (3 gave 5), four the others.
    assert _values(first) == [("Mycket nöjda", [3 / 5, 3 / 5])]
    assert _values(second) == [("Mycket nöjda", [1 / 5, HIDDEN])]
    assert _values(third) == [("Mycket nöjda", [1.0, HIDDEN])]
    assert "minst 5" in second.definition and "–" in second.note
    assert _values(_figure(section, "survey_answers")) == [
        ("Antal svar", [5, 5]),
        ("svar på fråga 1", [5, 5]),
        ("svar på fråga 2", [5, 4]),
        ("svar på fråga 3", [5, 4]),
    ]


def test_the_survey_stands_under_the_autumn_and_is_the_county_s_for_a_municipality(surveys):
    section = build_satisfaction(surveys.scopes()["municipality"], HALF_YEARS, NOW)

    assert _values(_figure(section, "survey_indicator_1")) == [("Mycket nöjda", [None, 3 / 5, None])]
    assert _values(_figure(section, "survey_indicator_2")) == [("Mycket nöjda", [None, HIDDEN, None])]
    assert _values(_figure(section, "survey_answers"))[0] == ("Antal svar", [None, 5, None])
    assert "hela länet" in _figure(section, "survey_indicator_1").note


def test_no_survey_and_no_evaluation_give_nothing_to_count(place):
    section = build_satisfaction(place.scopes()["county"], HALF_YEARS, NOW)

    assert _values(_figure(section, "course_very_satisfied")) == [("Mycket nöjda", [None, None, None])]
    assert _values(_figure(section, "survey_answers")) == [("Antal svar", [None, None, None])]
    assert [figure.key for figure in section.figures] == [
        "course_very_satisfied",
        "course_answers",
        "survey_answers",
    ]


def _more(place, version, survey_version, runs: int) -> None:
    for n in range(runs):
        start = datetime(2024 + n % 3, 1 + (n * 5) % 12, 10, 16, tzinfo=UTC)
        _run(version, start, [5, 4, 3, 5, 5, 2][: 4 + n % 3], municipalities=[place.aneby] if n % 2 else ())
    for survey_year in range(2020, 2020 + runs // 2):
        data.answer_survey(data.evaluation(survey_version, year=survey_year), [(5, 4, 3)] * 5)


@pytest.mark.parametrize("kind", ["county", "municipality"])
def test_the_section_runs_three_queries_whatever_the_periods_and_the_data(place, count_queries, kind):
    version, survey_version = data.course_form(), data.survey_form()
    scope = place.scopes()[kind]
    six = [half_year(2024 + n // 2, 1 + n % 2) for n in range(6)]
    counts = []
    for runs in (1, 12):
        _more(place, version, survey_version, runs)
        for periods in (six[:1], six):
            with count_queries() as statements:
                build_satisfaction(scope, periods, NOW)
            counts.append(len(statements))
    assert counts == [3, 3, 3, 3]


def test_a_run_whose_evaluation_is_still_open_counts_only_as_answers_apart(courses):
    version = data.course_form(name="Kursutvärdering, öppen")
    run = CourseRunFactory(sessions__start=datetime(2026, 2, 17, 16, tzinfo=UTC))
    data.answer_course(data.evaluation(version, run=run, still_open=True), [1] * 6)

    section = build_satisfaction(courses.scopes()["county"], HALF_YEARS, NOW)

    # The share is that of the closed runs alone, as in the county test above.
    assert _values(_figure(section, "course_very_satisfied")) == [("Mycket nöjda", [7 / 11, 9 / 12, 1.0])]
    assert _values(_figure(section, "course_answers")) == [
        ("Antal svar", [16, 12, 15]),
        ("i kursomgångar med minst 5 svar", [12, 12, 5]),
        ("i kursomgångar med färre än 5 svar", [4, 0, 4]),
        ("i kursomgångar vars utvärdering fortfarande är öppen", [0, 0, 6]),
    ]
