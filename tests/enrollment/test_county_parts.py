"""A run for county parts: families of the parts' municipalities may sign up, others are refused."""

from __future__ import annotations

import re

import pytest

from coursehub import clock
from coursehub.accounts import county
from coursehub.enrollment import queries, services
from coursehub.enrollment.errors import SignupClosedError
from coursehub.enrollment.models import EnrollmentStatus
from coursehub.extensions import db
from tests.factories import CourseRunFactory, MunicipalityFactory, UserFactory


@pytest.fixture
def county_map():
    """The county's two parts as the resource uses them (Habo north, Värnamo south)."""
    staff = UserFactory(staff=True)
    town = {
        name: MunicipalityFactory(name=name)
        for name in ("Habo", "Mullsjö", "Värnamo", "Gislaved", "Vaggeryd")
    }
    north = county.create_county_part(
        name="Norra länsdelen", municipalities=[town["Habo"], town["Mullsjö"], town["Vaggeryd"]], actor=staff
    )
    south = county.create_county_part(
        name="Södra länsdelen",
        municipalities=[town["Värnamo"], town["Gislaved"], town["Vaggeryd"]],
        actor=staff,
    )
    return town, north, south


def _south_run(south):
    run = CourseRunFactory(is_open_to_all=False, title="Jourhemsträff i söder")
    run.county_parts.append(south)
    db.session.flush()
    return run


def test_a_run_for_the_southern_part_accepts_varnamo_and_refuses_habo(county_map, make_family):
    town, _north, south = county_map
    run = _south_run(south)
    from_varnamo, varnamo_adults = make_family(1, municipality=town["Värnamo"])
    from_habo, habo_adults = make_family(1, municipality=town["Habo"])

    enrollment = services.sign_up(run, from_varnamo, varnamo_adults, actor=varnamo_adults[0], now=clock.now())
    assert enrollment.status == EnrollmentStatus.CONFIRMED

    with pytest.raises(SignupClosedError) as refused:
        services.sign_up(run, from_habo, habo_adults, actor=habo_adults[0], now=clock.now())
    assert refused.value.message == (
        "Kursomgången är till för familjer i Södra länsdelen och är inte öppen för familjer från Habo."
    )
    assert [e.household_id for e in run_enrollments(run)] == [from_varnamo.id]


def run_enrollments(run):
    from sqlalchemy import select

    from coursehub.enrollment.models import Enrollment

    return list(db.session.scalars(select(Enrollment).where(Enrollment.run_id == run.id)))


def test_a_municipality_in_both_parts_is_in_the_audience_of_either(county_map, make_family):
    town, north, _south = county_map
    run = CourseRunFactory(is_open_to_all=False)
    run.county_parts.append(north)
    db.session.flush()
    household, adults = make_family(1, municipality=town["Vaggeryd"])
    assert services.sign_up(run, household, adults, actor=adults[0], now=clock.now()).status == (
        EnrollmentStatus.CONFIRMED
    )


def test_parts_and_chosen_municipalities_add_up(county_map, make_family):
    town, _north, south = county_map
    run = _south_run(south)
    run.municipalities.append(town["Habo"])
    db.session.flush()
    household, adults = make_family(1, municipality=town["Habo"])
    assert services.sign_up(run, household, adults, actor=adults[0], now=clock.now()).status == (
        EnrollmentStatus.CONFIRMED
    )
    shown = [m.name for m in queries.audience_municipalities(run)]
    assert shown == sorted(["Gislaved", "Habo", "Vaggeryd", "Värnamo"])


def test_a_municipal_worker_is_offered_only_runs_open_to_their_municipality(county_map):
    town, _north, south = county_map
    run = _south_run(south)
    open_to_all = CourseRunFactory(title="För hela länet")
    assert [r.id for r in queries.open_runs_for(town["Värnamo"], clock.now())] == sorted(
        [run.id, open_to_all.id]
    )
    assert [r.id for r in queries.open_runs_for(town["Habo"], clock.now())] == [open_to_all.id]


def test_a_run_for_the_whole_county_still_takes_every_member_municipality(county_map, make_family):
    town, _north, _south = county_map
    run = CourseRunFactory(is_open_to_all=True)
    household, adults = make_family(1, municipality=town["Habo"])
    assert services.sign_up(run, household, adults, actor=adults[0], now=clock.now()).status == (
        EnrollmentStatus.CONFIRMED
    )


def test_the_figures_per_municipality_also_sum_per_part_and_say_when_one_is_in_both(
    client, login_as, county_map, make_family
):
    town, _north, _south = county_map
    run = CourseRunFactory(title="Trygga kvällar")
    for name, adults in (("Habo", 2), ("Värnamo", 1), ("Vaggeryd", 2)):
        household, members = make_family(adults, municipality=town[name])
        services.sign_up(run, household, members, actor=members[0], now=clock.now())
    staff = UserFactory(staff=True)
    db.session.commit()
    login_as(client, staff)
    page = client.get("/kurser/deltagare-per-kommun?termin=2026-HT").get_data(as_text=True).replace("\n", "")
    sums = re.search(r'<table class="[^"]*" id="part-sums">.*?</table>', page).group(0)
    # North: Habo 2 + Vaggeryd 2; south: Värnamo 1 + Vaggeryd 2 (Vaggeryd is in both).
    assert re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>', sums) == [
        ("Norra länsdelen", "4", "2"),
        ("Södra länsdelen", "3", "2"),
    ]
    note = re.search(r'id="shared-parts-note">(.*?)</p>', page).group(1)
    assert "räknas därför i var och en av dem" in note
    assert "Vaggeryd (Norra länsdelen, Södra länsdelen)" in note and "Habo" not in note


def test_the_refusal_names_the_runs_municipalities_in_alphabetical_order(county_map, make_family):
    town, _north, _south = county_map
    run = CourseRunFactory(is_open_to_all=False, title="Kväll för Värnamo och Gislaved")
    run.municipalities.extend([town["Värnamo"], town["Gislaved"]])
    db.session.flush()
    db.session.expire(run)  # read the run's municipalities back as a family's request would
    from_habo, habo_adults = make_family(1, municipality=town["Habo"])

    with pytest.raises(SignupClosedError) as refused:
        services.sign_up(run, from_habo, habo_adults, actor=habo_adults[0], now=clock.now())
    assert refused.value.message == (
        "Kursomgången är till för familjer i Gislaved, Värnamo och är inte öppen för familjer från Habo."
    )


@pytest.fixture
def two_pages(client, login_as, county_map, make_family, monkeypatch):
    """Three families of three municipalities in one run, two rows a page, staff logged in."""
    from coursehub.enrollment.views import staff as staff_views

    monkeypatch.setattr(staff_views, "MUNICIPALITY_ROWS_PER_PAGE", 2, raising=False)
    town, _north, _south = county_map
    run = CourseRunFactory(title="Trygga kvällar")
    for name, adults in (("Habo", 2), ("Värnamo", 1), ("Vaggeryd", 2)):
        household, members = make_family(adults, municipality=town[name])
        services.sign_up(run, household, members, actor=members[0], now=clock.now())
    db.session.commit()
    login_as(client, UserFactory(staff=True))
    return client


def test_the_figures_per_municipality_are_paged_and_the_sums_count_every_page(two_pages):
    client = two_pages

    def read(page_number):
        page = client.get(f"/kurser/deltagare-per-kommun?termin=2026-HT&sida={page_number}")
        text = page.get_data(as_text=True).replace("\n", "")
        rows = re.search(r'<table class="[^"]*" id="municipality-counts">.*?</table>', text).group(0)
        sums = re.search(r'<table class="[^"]*" id="part-sums">.*?</table>', text).group(0)
        shown = re.findall(r"<td>[^<]*</td><td>([^<]+)</td><td>\d+</td><td>\d+</td>", rows)
        counted = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>', sums)
        return text, shown, counted

    first, shown, counted = read(1)
    assert shown == ["Habo", "Vaggeryd"]
    assert "Sida 1 av 2" in first and "termin=2026-HT" in re.search(
        r'href="([^"]*sida=2[^"]*)"', first
    ).group(1)
    # The sums are the whole term's, whichever page is shown, and so is the note on Vaggeryd.
    whole = [("Norra länsdelen", "4", "2"), ("Södra länsdelen", "3", "2")]
    assert counted == whole
    last, shown, counted = read(2)
    assert shown == ["Värnamo"] and counted == whole
    assert "Vaggeryd (Norra länsdelen, Södra länsdelen)" in last


def test_the_figures_per_municipality_read_the_terms_sign_ups_once(two_pages, count_queries):
    client = two_pages
    with count_queries() as statements:
        page = client.get("/kurser/deltagare-per-kommun?termin=2026-HT").get_data(as_text=True)
    assert "Sida 1 av 2" in page
    # The page's rows and the whole term's sums come from one aggregate of the term's sign-ups
    # (at national size 60-90 ms each); the page and the sums each aggregated the term before.
    distinct_households = re.compile(r"count\(distinct\W+enrollments\.household_id", re.IGNORECASE)
    term_aggregates = [s for s in statements if distinct_households.search(s)]
    assert len(term_aggregates) == 1, term_aggregates
    # A page past the last (typed by hand) shows the last one.
    last = client.get("/kurser/deltagare-per-kommun?termin=2026-HT&sida=99").get_data(as_text=True)
    assert "Sida 2 av 2" in last and "Värnamo" in last
