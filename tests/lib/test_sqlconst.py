"""lib.sqlconst: the code's constants written into the SQL, quoted, and read back as themselves."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import pytest
from sqlalchemy import Integer, Numeric, String, select

from coursehub.lib.sqlconst import start_of_minute, written, written_all


class Colour(enum.Enum):
    RED = "röd"


def test_written_constants_come_back_as_themselves_from_the_database(db):
    row = db.session.execute(
        select(written("O'Hara", String), written(25, Integer), written(Colour.RED, String))
    ).one()
    assert tuple(row) == ("O'Hara", 25, "röd")


def test_written_constants_are_in_the_statement_text_not_its_parameters(db):
    statement = select(*written_all(["a", "b'c"], String))
    compiled = statement.compile(db.engine)
    assert compiled.params == {}
    assert "'a'" in str(compiled) and "'b''c'" in str(compiled)


def test_a_decimal_number_is_written_as_itself(db):
    assert db.session.execute(select(written(0.5, Numeric) * 4)).scalar_one() == 2


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), None, b"bytes"])
def test_only_texts_and_finite_numbers_are_written(value):
    with pytest.raises(TypeError):
        written(value, String)


def test_moments_within_one_minute_give_one_moment_to_write():
    first = datetime(2026, 3, 2, 9, 41, 0, tzinfo=UTC)
    assert start_of_minute(datetime(2026, 3, 2, 9, 41, 59, 999999, tzinfo=UTC)) == first
    assert start_of_minute(first) == first
    assert start_of_minute(datetime(2026, 3, 2, 9, 42, tzinfo=UTC)) != first
