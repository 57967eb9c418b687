"""The catalogue filters by county part (?lansdel=) and kind of home (?hemtyp=), and shows the kinds."""

from __future__ import annotations

import re

import pytest

from coursehub.accounts.models import CountyPart, HomeKind
from tests.factories import CourseRunFactory, CourseTypeFactory, MunicipalityFactory


def _titles(html: str) -> list[str]:
    return re.findall(r'card-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def programme(db):
    habo, varnamo = MunicipalityFactory(name="Habo"), MunicipalityFactory(name="Värnamo")
    north = CountyPart(name="Norra länsdelen", municipalities=[habo])
    south = CountyPart(name="Södra länsdelen", municipalities=[varnamo])
    jour, network = HomeKind(name="Jourhem"), HomeKind(name="Nätverkshem")
    db.session.add_all([north, south, jour, network])
    for_jour = CourseTypeFactory(name="Jourhemskväll", home_kinds=[jour])
    everyone = CourseTypeFactory(name="Fortbildning för alla")
    CourseRunFactory(title="A Hela länet", course_type=everyone)
    CourseRunFactory(title="B Jour i söder", course_type=for_jour, is_open_to_all=False, county_parts=[south])
    CourseRunFactory(title="C Bara Habo", course_type=everyone, is_open_to_all=False, municipalities=[habo])
    db.session.commit()
    return {"north": north, "south": south, "jour": jour, "network": network}


def test_the_catalogue_filters_by_county_part(client, programme):
    south = client.get(f"/kurser?lansdel={programme['south'].id}").get_data(as_text=True)
    north = client.get(f"/kurser?lansdel={programme['north'].id}").get_data(as_text=True)
    assert _titles(south) == ["A Hela länet", "B Jour i söder"]
    assert _titles(north) == ["A Hela länet", "C Bara Habo"]
    assert f'<option selected value="{programme["south"].id}">Södra länsdelen</option>' in south


def test_the_catalogue_filters_by_kind_of_home_and_shows_whom_a_course_is_for(client, programme):
    jour = client.get(f"/kurser?hemtyp={programme['jour'].id}").get_data(as_text=True)
    assert _titles(jour) == ["B Jour i söder"]
    assert re.search(r'aimed-at">\s*Jourhem\s*</dd>', jour)
    assert _titles(client.get(f"/kurser?hemtyp={programme['network'].id}").get_data(as_text=True)) == []
    everything = client.get("/kurser").get_data(as_text=True)
    assert _titles(everything) == ["A Hela länet", "B Jour i söder", "C Bara Habo"]
    assert everything.count('aimed-at">') == 1


@pytest.mark.parametrize("bad", ["abc", "999999", "-1", "1" * 40])
def test_an_unknown_part_or_kind_filters_nothing_away(client, programme, bad):
    for key in ("lansdel", "hemtyp"):
        response = client.get(f"/kurser?{key}={bad}")
        assert response.status_code == 200
        assert len(_titles(response.get_data(as_text=True))) == 3


def test_a_runs_page_says_whom_it_is_for(client, db, programme):
    from sqlalchemy import select

    from coursehub.courses.models import CourseRun

    run = db.session.scalars(select(CourseRun).where(CourseRun.title == "B Jour i söder")).one()
    page = client.get(f"/kurser/{run.id}").get_data(as_text=True)
    assert re.search(r'run-audience">\s*Södra länsdelen\s*</dd>', page)
    assert "Riktar sig till</dt><dd" in page and ">Jourhem</dd>" in page


def test_the_catalogues_statements_are_built_once_per_filter_set_and_bound_per_request(client, programme):
    from coursehub.courses.queries import _catalogue_statements

    client.get(f"/kurser?lansdel={programme['south'].id}&hemtyp={programme['jour'].id}")
    built = _catalogue_statements.cache_info().misses
    north = client.get(f"/kurser?lansdel={programme['north'].id}&hemtyp={programme['jour'].id}")
    south = client.get(f"/kurser?lansdel={programme['south'].id}&hemtyp={programme['network'].id}")
    assert _catalogue_statements.cache_info().misses == built  # the same statements, other values
    assert _titles(north.get_data(as_text=True)) == []
    assert _titles(south.get_data(as_text=True)) == []
    again = client.get(f"/kurser?lansdel={programme['south'].id}&hemtyp={programme['jour'].id}")
    assert _titles(again.get_data(as_text=True)) == ["B Jour i söder"]
