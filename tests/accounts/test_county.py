"""County parts and kinds of home: staff define them, bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coursehub.accounts import county
from coursehub.accounts.errors import AccountError
from coursehub.accounts.models import CountyPart, HomeKind, county_part_municipalities
from coursehub.extensions import db
from tests.factories import HouseholdFactory, MunicipalityFactory, UserFactory


def _rows() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(CountyPart.id))),
        db.session.scalar(select(func.count()).select_from(county_part_municipalities)),
        db.session.scalar(select(func.count(HomeKind.id))),
    )


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


def test_a_municipality_may_be_in_two_parts(staff):
    vaggeryd = MunicipalityFactory(name="Vaggeryd")
    north = county.create_county_part(
        name="Norr", municipalities=[vaggeryd, MunicipalityFactory()], actor=staff
    )
    south = county.create_county_part(name="Söder", municipalities=[vaggeryd], actor=staff)
    assert [m.name for m in south.municipalities] == ["Vaggeryd"] and vaggeryd in north.municipalities
    assert county.part_membership().shared() == ["Vaggeryd"]


@pytest.mark.parametrize(
    ("name", "with_municipality", "field", "message"),
    [
        ("Väster", False, "municipalities", "Välj minst en kommun i länsdelen."),
        ("   ", True, "name", "Skriv ett namn."),
        ("x" * 81, True, "name", "Namnet får vara högst 80 tecken."),
        (" norr ", True, "name", "Det finns redan en länsdel med det namnet."),
    ],
)
def test_bad_county_parts_are_refused_and_nothing_is_saved(staff, name, with_municipality, field, message):
    county.create_county_part(name="Norr", municipalities=[MunicipalityFactory()], actor=staff)
    before = _rows()
    chosen = [MunicipalityFactory()] if with_municipality else []
    with pytest.raises(AccountError) as refused:
        county.create_county_part(name=name, municipalities=chosen, actor=staff)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert _rows() == before


def test_a_renamed_part_may_not_take_another_parts_name(staff):
    county.create_county_part(name="Norr", municipalities=[MunicipalityFactory()], actor=staff)
    south = county.create_county_part(name="Söder", municipalities=[MunicipalityFactory()], actor=staff)
    with pytest.raises(AccountError, match="redan en länsdel"):
        county.update_county_part(south, name="NORR", municipalities=south.municipalities, actor=staff)
    kept = county.update_county_part(south, name="Söder", municipalities=south.municipalities, actor=staff)
    assert kept.name == "Söder"


def test_kinds_of_home_are_unique_and_a_household_records_its_own(staff):
    jour = county.create_home_kind(name="Jourhem", actor=staff)
    county.create_home_kind(name="Familjehem", actor=staff)
    with pytest.raises(AccountError, match="redan en hemtyp"):
        county.create_home_kind(name="jourhem", actor=staff)
    household = HouseholdFactory()
    county.set_household_home_kinds(household, [jour, jour], actor=staff)
    assert [k.name for k in household.home_kinds] == ["Jourhem"]
    assert [k.name for k in county.home_kinds()] == ["Familjehem", "Jourhem"]


def test_place_names_name_the_ids_in_their_sql_and_the_parts_they_are_in(staff):
    # Written into the SQL, not bound: a prepared statement's generic plan probed the primary key
    # once per bound id (hundreds for a national report) where the plan for the ids reads the table.
    from coursehub.accounts.queries import place_names
    from tests.support.sql import count_traffic

    vaggeryd, eksjo, outside = (MunicipalityFactory(name=name) for name in ("Vaggeryd", "Eksjö", "Aneby"))
    county.create_county_part(name="Norr", municipalities=[vaggeryd, eksjo], actor=staff)
    db.session.flush()
    with count_traffic(db.engine) as traffic:
        names = place_names([vaggeryd.id, eksjo.id])
    assert names.municipalities == {vaggeryd.id: "Vaggeryd", eksjo.id: "Eksjö"}
    assert names.parts == {"Norr": [eksjo.id, vaggeryd.id]}
    assert f"municipalities.id IN ({vaggeryd.id}, {eksjo.id})" in traffic.statements[0]
    assert outside.id not in names.municipalities
    assert place_names([]).municipalities == {}
