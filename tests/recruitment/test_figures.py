"""The steering group's figures against counts made by hand from the data below (point 7).

Eight families, two municipalities (A and B), three half-years: autumn 2025, spring 2026 and
autumn 2026; one registration before them (spring 2025). The comments give every figure's count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coursehub.extensions import db
from coursehub.lib.terms import Half, Term
from coursehub.recruitment.models import Match, Offer, Request, Step, StepChange
from coursehub.recruitment.queries_figures import figures
from tests.factories import MunicipalityFactory
from tests.recruitment.factories import CaseFactory, ChannelFactory

HT25, VT26, HT26 = Term(2025, Half.AUTUMN), Term(2026, Half.SPRING), Term(2026, Half.AUTUMN)
R, IV, P, AV, M = Step.REGISTERED, Step.INTERVIEW, Step.PRESENTATION, Step.AVAILABLE, Step.MATCHED


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def _case(municipality, registered, due, *, contact=None, channel=None, moves=(), **kwargs):
    case = CaseFactory(
        municipality=municipality,
        registered_at=registered,
        step_changed_at=registered,
        first_contact_due_on=due,
        first_contact_at=contact,
        channel=channel,
        **kwargs,
    )
    previous = None
    for step, moment in [(R, registered), *moves]:
        db.session.add(StepChange(case_id=case.id, from_step=previous, to_step=step, at=moment))
        previous = step
    db.session.flush()
    return case


@pytest.fixture
def world(app):
    a = MunicipalityFactory(name="A-stad")
    b = MunicipalityFactory(name="B-by")
    social, ads, evening = (
        ChannelFactory(name=n) for n in ("Sociala medier", "Annonser", "Informationskväll")
    )
    # Before the period: counts only in the total since the start.
    _case(a, at(2025, 3, 1), date(2025, 3, 14), contact=at(2025, 3, 2))
    # Autumn 2025: c1, c2 (A) and c6 (B) registered; c2 and c6 contacted late.
    c1 = _case(
        a,
        at(2025, 9, 10),
        date(2025, 9, 24),
        contact=at(2025, 9, 20),
        channel=social,
        moves=[(IV, at(2025, 9, 20)), (P, at(2026, 1, 20)), (AV, at(2026, 2, 20)), (M, at(2026, 4, 1))],
    )
    c2 = _case(
        a,
        at(2025, 11, 1),
        date(2025, 11, 14),
        contact=at(2025, 11, 20),
        channel=ads,
        moves=[(IV, at(2025, 11, 20)), (P, at(2026, 8, 10))],
    )
    _case(b, at(2025, 12, 1), date(2025, 12, 14), contact=at(2025, 12, 31), moves=[(IV, at(2025, 12, 31))])
    # Spring 2026: c3 never contacted (late), c4 on time, c7 withdrew before its deadline (not late).
    _case(b, at(2026, 2, 1), date(2026, 2, 14))
    _case(
        b,
        at(2026, 3, 1),
        date(2026, 3, 14),
        contact=at(2026, 3, 5),
        channel=evening,
        moves=[(IV, at(2026, 3, 5))],
    )
    _case(b, at(2026, 4, 1), date(2026, 4, 15), withdrawn_at=at(2026, 4, 3))
    # Autumn 2026: c5 on time.
    _case(
        a,
        at(2026, 7, 15),
        date(2026, 7, 29),
        contact=at(2026, 7, 18),
        channel=social,
        moves=[(IV, at(2026, 7, 18))],
    )

    r1 = Request(municipality_id=a.id, child_age=4, kind="long_term", created_at=at(2025, 10, 1))
    r2 = Request(municipality_id=b.id, child_age=7, kind="long_term", created_at=at(2026, 3, 10))
    r3 = Request(municipality_id=b.id, child_age=9, kind="long_term", created_at=at(2026, 8, 1))
    db.session.add_all([r1, r2, r3])
    db.session.flush()
    o1 = Offer(case_id=c1.id, request_id=r2.id, offered_at=at(2026, 3, 15))
    o2 = Offer(case_id=c2.id, request_id=r3.id, offered_at=at(2026, 8, 20))
    db.session.add_all([o1, o2])
    db.session.flush()
    db.session.add(
        Match(
            case_id=c1.id, request_id=r2.id, offer_id=o1.id, municipality_id=b.id, matched_at=at(2026, 4, 1)
        )
    )
    db.session.flush()
    return a, b


def test_counts_per_half_year(world, clock):
    result = figures(HT25, HT26, now=clock.now)
    rows = {row.term: row for row in result.terms}
    got = {
        term: (
            r.registrations,
            r.registrations_total,
            r.presentable,
            r.requests,
            r.offers,
            r.matches,
            r.past_deadline,
        )
        for term, r in rows.items()
    }
    assert got == {
        HT25: (3, 4, 0, 1, 0, 0, 2),
        VT26: (3, 7, 1, 1, 1, 1, 1),
        HT26: (1, 8, 1, 1, 1, 0, 0),
    }


def test_registrations_per_channel(world, clock):
    result = figures(HT25, HT26, now=clock.now)
    assert result.term(HT25).channels == {"Sociala medier": 1, "Annonser": 1, "": 1}
    assert result.term(VT26).channels == {"Informationskväll": 1, "": 2}
    assert result.term(HT26).channels == {"Sociala medier": 1}


def test_median_days_in_each_step(world, clock):
    result = figures(HT25, HT26, now=clock.now)
    # Stays that ended in autumn 2025 in "registered": 10, 19 and 30 days; the middle one is 19.
    assert result.term(HT25).median_days == {R: 19.0}
    assert result.term(VT26).median_days == {R: 4.0, IV: 122.0, P: 31.0, AV: 40.0}
    assert result.term(HT26).median_days == {R: 3.0, IV: 263.0}


def test_counts_and_medians_per_municipality(world, clock):
    a, b = world
    result = figures(HT25, HT26, now=clock.now)
    a_autumn, b_autumn = result.of(HT25, a.id), result.of(HT25, b.id)
    assert (a_autumn.registrations, a_autumn.past_deadline, a_autumn.requests) == (2, 1, 1)
    assert (b_autumn.registrations, b_autumn.past_deadline, b_autumn.requests) == (1, 1, 0)
    assert a_autumn.median_days == {R: 14.5}  # 10 and 19: the mean of the two middle ones
    assert b_autumn.median_days == {R: 30.0}
    b_spring = result.of(VT26, b.id)
    assert (b_spring.registrations, b_spring.requests, b_spring.offers, b_spring.matches) == (3, 1, 1, 1)
    assert result.of(VT26, a.id).presentable == 1
    assert result.of(HT26, b.id).offers == 1


def test_a_fixed_number_of_queries_over_ten_years(world, clock, count_queries):
    a, _b = world
    for year in range(2016, 2026):
        for month in (2, 9):
            _case(a, at(year, month, 3), date(year, month, 17), moves=[(IV, at(year, month, 5))])
    with count_queries() as one_term:
        figures(VT26, VT26, now=clock.now)
    with count_queries() as ten_years:
        result = figures(Term(2016, Half.SPRING), HT25, now=clock.now)
    assert len(ten_years) == len(one_term) == 11
    assert len(result.terms) == 20
    assert result.term(Term(2016, Half.SPRING)).median_days == {R: 2.0}
    assert result.term(HT25).registrations_total == 1 + 20 + 3
