"""lib.sqlfind.among: the rows whose key a subquery returns, on both databases, in one cached
statement that keeps apart what it is asked."""

from __future__ import annotations

import sqlalchemy as sa

from coursehub.accounts.models import User
from coursehub.lib.sqlfind import among
from tests.factories import HouseholdFactory, UserFactory


def _named_in(household_ids: list[int]) -> sa.Select:
    ids = sa.select(User.id).where(User.household_id.in_(sa.bindparam("households", expanding=True)))
    return sa.select(User.full_name).where(among(User.id, ids)).order_by(User.full_name)


def test_among_finds_the_rows_a_subquery_names_and_only_those(db):
    first, second = HouseholdFactory(), HouseholdFactory()
    UserFactory(full_name="Ada Först", household=first)
    UserFactory(full_name="Bo Först", household=first)
    UserFactory(full_name="Cia Annan", household=second)
    UserFactory(full_name="Dan Utan")
    db.session.commit()
    statement = _named_in([])
    assert db.session.scalars(statement, {"households": [first.id]}).all() == ["Ada Först", "Bo Först"]
    assert db.session.scalars(statement, {"households": [second.id]}).all() == ["Cia Annan"]
    assert db.session.scalars(statement, {"households": []}).all() == []


def test_among_with_a_union_finds_the_rows_of_each_way(db):
    household = HouseholdFactory()
    UserFactory(full_name="Ada Hemma", household=household)
    UserFactory(full_name="Bo Namngiven", username="bo.namngiven")
    UserFactory(full_name="Cia Ingen")
    db.session.commit()
    ways = sa.union(
        sa.select(User.id).where(User.household_id == household.id),
        sa.select(User.id).where(User.username == "bo.namngiven"),
    )
    found = db.session.scalars(sa.select(User.full_name).where(among(User.id, ways)).order_by(User.full_name))
    assert found.all() == ["Ada Hemma", "Bo Namngiven"]


def test_among_is_an_index_lookup_on_postgresql_and_a_plain_in_on_sqlite(db):
    sql = str(_named_in([]).compile(db.engine))
    if db.engine.dialect.name == "postgresql":
        assert "users.id = ANY(ARRAY(SELECT users.id" in sql
    else:
        # A condition by itself, not compared with 1 as SQLite's booleans otherwise are.
        assert "users.id IN (SELECT users.id" in sql and ") = 1" not in sql


def test_two_statements_differing_only_inside_among_have_different_cache_keys():
    by_household = sa.select(User.id).where(among(User.id, sa.select(User.id).where(User.household_id == 1)))
    by_municipality = sa.select(User.id).where(
        among(User.id, sa.select(User.id).where(User.municipality_id == 1))
    )
    again = sa.select(User.id).where(among(User.id, sa.select(User.id).where(User.household_id == 1)))
    assert by_household._generate_cache_key() != by_municipality._generate_cache_key()
    assert by_household._generate_cache_key() == again._generate_cache_key()
