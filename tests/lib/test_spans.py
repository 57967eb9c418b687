"""Rows of some ids (lib.spans.of_ids), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from coursehub.accounts.models import Municipality
from coursehub.extensions import db
from coursehub.lib.spans import of_ids
from tests.factories import MunicipalityFactory


def _ids(ids) -> set[int]:
    return set(db.session.scalars(select(Municipality.id).where(of_ids(Municipality.id, ids))))


def test_of_ids_keeps_the_rows_of_those_ids_none_for_no_ids_and_every_row_for_none(app):
    first, second, third = (MunicipalityFactory() for _ in range(3))
    db.session.flush()
    assert _ids([first.id, third.id]) == {first.id, third.id}
    assert _ids((second.id,)) == {second.id}
    assert _ids([]) == set()
    assert {first.id, second.id, third.id} <= _ids(None)


def test_on_postgresql_the_ids_are_one_parameter_whatever_their_number(app, db_engine_name, count_queries):
    """290 municipalities bound one by one made a statement of 290 parameters, parsed on every run."""
    municipalities = [MunicipalityFactory() for _ in range(12)]
    db.session.flush()
    ids = [m.id for m in municipalities]
    with count_queries() as statements:
        assert _ids(ids[:2]) == set(ids[:2])
        assert _ids(ids) == set(ids)
    few, many = statements
    if db_engine_name == "postgresql":
        assert few == many
        assert "ANY" in few
    else:
        assert many.count("?") == few.count("?") + 10
