"""The report's periods: half-year and year labels, keys, bounds, series and parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coursehub.reports.periods import (
    half_year,
    half_years_between,
    parse_period,
    series_for,
    year,
    years_between,
)


def test_half_years_are_labelled_vt_and_ht_and_keyed_h1_h2():
    spring, autumn = half_year(2025, 1), half_year(2025, 2)
    assert (spring.label, spring.key, spring.first, spring.last) == (
        "vt 2025",
        "2025h1",
        date(2025, 1, 1),
        date(2025, 6, 30),
    )
    assert (autumn.label, autumn.key, autumn.first, autumn.last) == (
        "ht 2025",
        "2025h2",
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert (year(2025).label, year(2025).key) == ("2025", "2025")


def test_bounds_are_local_midnights_in_utc():
    # Stockholm is UTC+1 in winter and UTC+2 in summer.
    assert half_year(2025, 1).starts_at() == datetime(2024, 12, 31, 23, 0, tzinfo=UTC)
    assert half_year(2025, 1).ends_before() == datetime(2025, 6, 30, 22, 0, tzinfo=UTC)
    assert half_year(2025, 2).starts_at() == half_year(2025, 1).ends_before()
    assert year(2025).ends_before() == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)


def test_half_years_between_cross_the_new_year():
    series = half_years_between(half_year(2024, 2), half_year(2026, 1))
    assert [p.label for p in series] == ["ht 2024", "vt 2025", "ht 2025", "vt 2026"]
    assert half_years_between(half_year(2025, 1), half_year(2025, 1)) == [half_year(2025, 1)]
    assert half_years_between(half_year(2025, 2), half_year(2025, 1)) == []


def test_years_between():
    assert [p.key for p in years_between(year(2023), year(2025))] == ["2023", "2024", "2025"]


def test_a_year_series_runs_from_the_start_year():
    assert [p.label for p in series_for(year(2026), date(2024, 3, 15))] == ["2024", "2025", "2026"]


def test_a_half_year_series_runs_from_the_start_half_year():
    series = series_for(half_year(2025, 2), date(2024, 9, 1))
    assert [p.key for p in series] == ["2024h2", "2025h1", "2025h2"]


def test_a_period_chosen_before_the_start_stands_alone():
    assert series_for(half_year(2023, 1), date(2024, 1, 1)) == [half_year(2023, 1)]


@pytest.mark.parametrize(
    "key, expected",
    [("2025h1", half_year(2025, 1)), ("2025h2", half_year(2025, 2)), ("2025", year(2025))],
)
def test_keys_parse_back(key, expected):
    assert parse_period(key) == expected
    assert parse_period(expected.key) == expected


@pytest.mark.parametrize(
    "key", ["", "2025h3", "2025h", "h1", "25", "1999", "3000h1", "2025-HT", "２０２５", "2025h1 x"]
)
def test_other_keys_are_no_period(key):
    assert parse_period(key) is None
