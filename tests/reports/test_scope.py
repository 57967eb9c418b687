"""A report's scope: keys, parsing in one query each, and which scopes a user may choose."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coursehub.accounts.models import CountyPart, Municipality
from coursehub.extensions import db
from coursehub.reports.scope import Scope, may_see, parse_scope, scopes_for
from tests.factories import MunicipalityFactory, UserFactory
from tests.support.sql import count_traffic


@pytest.fixture
def county(app):
    a = MunicipalityFactory(name="Aby")
    b = MunicipalityFactory(name="Bstad")
    outside = MunicipalityFactory(name="Utanför", is_member=False)
    part = CountyPart(name="Södra delen", municipalities=[a, b])
    empty = CountyPart(name="Tom del")
    db.session.add_all([part, empty])
    db.session.flush()
    return a, b, outside, part, empty


def _member_ids():
    return tuple(db.session.scalars(sa.select(Municipality.id).where(Municipality.is_member.is_(True))))


def test_keys():
    assert Scope("county", None, "Hela länet", ()).key == "lan"
    assert Scope("part", 3, "Del", (1,)).key == "del-3"
    assert Scope("municipality", 12, "Kommun", (12,)).key == "kommun-12"


def test_parse_each_kind_in_one_query(county, count_queries):
    a, b, outside, part, empty = county
    with count_queries() as counted:
        whole = parse_scope("lan")
    assert len(counted) == 1
    assert whole.kind == "county" and whole.label == "Hela länet"
    assert set(whole.municipality_ids) == set(_member_ids())
    assert outside.id not in whole.municipality_ids

    with count_queries() as counted:
        south = parse_scope(f"del-{part.id}")
    assert len(counted) == 1
    assert south == Scope("part", part.id, "Södra delen", tuple(sorted((a.id, b.id))))
    assert parse_scope(f"del-{empty.id}") == Scope("part", empty.id, "Tom del", ())

    with count_queries() as counted:
        own = parse_scope(f"kommun-{outside.id}")
    assert len(counted) == 1
    assert own == Scope("municipality", outside.id, "Utanför", (outside.id,))
    assert parse_scope(own.key) == own


@pytest.mark.parametrize(
    "key", ["", "län", "del-", "del-x", "kommun-1-2", "kommun-999999", "del-999999", " lan2"]
)
def test_other_keys_are_no_scope(app, key):
    assert parse_scope(key) is None


def test_staff_and_steering_choose_every_scope(county):
    a, b, outside, part, empty = county
    for user in (UserFactory(staff=True), UserFactory(steering=True), UserFactory(admin=True)):
        keys = [scope.key for scope in scopes_for(user)]
        assert keys[0] == "lan"
        assert f"del-{part.id}" in keys and f"del-{empty.id}" in keys
        assert f"kommun-{a.id}" in keys and f"kommun-{b.id}" in keys
        assert f"kommun-{outside.id}" not in keys  # only the member municipalities are listed


def test_the_scopes_are_listed_in_one_query_and_follow_every_change(county, count_queries):
    a, b, outside, part, empty = county
    staff = UserFactory(staff=True)
    with count_queries() as counted:
        first = scopes_for(staff)
    assert len(counted) == 1
    assert [scope.label for scope in first] == ["Hela länet", "Södra delen", "Tom del", "Aby", "Bstad"]
    assert first[1].municipality_ids == tuple(sorted((a.id, b.id)))
    # The list is built once per set of rows: a renamed, a new and a joining municipality show at once.
    a.name = "Åby"
    c = MunicipalityFactory(name="Cby")
    part.municipalities.append(c)
    outside.is_member = True
    db.session.flush()
    again = scopes_for(staff)
    assert [scope.label for scope in again] == [
        "Hela länet",
        "Södra delen",
        "Tom del",
        "Bstad",
        "Cby",
        "Utanför",
        "Åby",
    ]
    assert again[0].municipality_ids == tuple(sorted((a.id, b.id, c.id, outside.id)))
    assert again[1].municipality_ids == tuple(sorted((a.id, b.id, c.id)))


def test_a_process_reads_the_areas_once_while_none_of_them_changes(county):
    # A national list of 290 municipalities was read and built on every view of the report; the
    # process holds it while the reference mark stays (coursehub.accounts.reference).
    staff = UserFactory(staff=True)
    db.session.flush()
    with count_traffic(db.engine) as first:
        listed = scopes_for(staff)
    with count_traffic(db.engine) as second:
        again = scopes_for(staff)
    assert len(first.statements) == len(second.statements) == 1
    assert (first.rows, second.rows) == (5, 1)  # two members and the parts' three rows; then the mark
    assert again == listed and [scope.label for scope in again][-2:] == ["Aby", "Bstad"]


def test_a_municipal_worker_chooses_only_their_own(county):
    a, b, outside, part, empty = county
    worker = UserFactory(municipal=True, municipality=a)
    assert scopes_for(worker) == [Scope("municipality", a.id, "Aby", (a.id,))]
    assert may_see(worker, parse_scope(f"kommun-{a.id}"))
    assert not may_see(worker, parse_scope(f"kommun-{b.id}"))
    assert not may_see(worker, parse_scope("lan"))
    assert not may_see(worker, parse_scope(f"del-{part.id}"))


def test_others_choose_nothing(county):
    for user in (UserFactory(family=True), UserFactory(leader=True), UserFactory(member=True)):
        assert scopes_for(user) == []
        assert not may_see(user, parse_scope("lan"))
