"""The periods a report counts over: half-years ("vt 2025", "ht 2025") and years ("2025").

A period's bounds are local (Europe/Stockholm) midnights, turned into the UTC moments the other
areas store: from its first day 00:00 (inclusive) to the day after its last day 00:00 (exclusive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from coursehub.lib.localtime import local_moment

_KEY = re.compile(r"([0-9]{4})(h[12])?")
FIRST_YEAR, LAST_YEAR = 2000, 2999  # as coursehub.lib.terms: other years are no periods of the resource


@dataclass(frozen=True)
class Period:
    """A half-year or a year: its first and last day and its Swedish label."""

    first: date
    last: date
    label: str

    @property
    def is_year(self) -> bool:
        return self.first.month == 1 and self.last.month == 12

    @property
    def key(self) -> str:
        """The period in a URL: "2025h1", "2025h2" or "2025"."""
        if self.is_year:
            return str(self.first.year)
        return f"{self.first.year}h{1 if self.first.month == 1 else 2}"

    def starts_at(self) -> datetime:
        """The UTC moment of the first day's local midnight (inclusive)."""
        return local_moment(self.first, time(0))

    def ends_before(self) -> datetime:
        """The UTC moment of the local midnight after the last day (exclusive)."""
        return local_moment(self.last + timedelta(days=1), time(0))


def half_year(year: int, half: int) -> Period:
    """Return the first (Jan-Jun, "vt") or second (Jul-Dec, "ht") half of `year`."""
    if half == 1:
        return Period(date(year, 1, 1), date(year, 6, 30), f"vt {year}")
    return Period(date(year, 7, 1), date(year, 12, 31), f"ht {year}")


def year(number: int) -> Period:
    """Return the calendar year `number`."""
    return Period(date(number, 1, 1), date(number, 12, 31), str(number))


def half_year_of(day: date) -> Period:
    """Return the half-year that holds `day`."""
    return half_year(day.year, 1 if day.month <= 6 else 2)


def year_of(day: date) -> Period:
    """Return the year that holds `day`."""
    return year(day.year)


def half_years_between(first: Period, last: Period) -> list[Period]:
    """Return the half-years from the one holding `first`'s first day to the one holding `last`'s last day."""
    current = half_year_of(first.first)
    end = half_year_of(last.last)
    series = []
    while current.first <= end.first:
        series.append(current)
        current = half_year_of(current.last + timedelta(days=1))
    return series


def years_between(first: Period, last: Period) -> list[Period]:
    """Return the years from the one holding `first`'s first day to the one holding `last`'s last day."""
    return [year(number) for number in range(first.first.year, last.last.year + 1)]


def parse_period(key: str) -> Period | None:
    """Return the period a URL key names ("2025h1", "2025h2", "2025"), or None for anything else."""
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    number = int(match.group(1))
    if not FIRST_YEAR <= number <= LAST_YEAR:
        return None
    if match.group(2) is None:
        return year(number)
    return half_year(number, int(match.group(2)[1]))


def series_for(chosen: Period, start: date) -> list[Period]:
    """Return the half-years (years, when `chosen` is a year) from the resource's `start` to `chosen`.

    A period chosen before the start gives a series of that period alone.
    """
    if chosen.is_year:
        first = year_of(start)
        return years_between(first, chosen) if first.first <= chosen.first else [chosen]
    first = half_year_of(start)
    return half_years_between(first, chosen) if first.first <= chosen.first else [chosen]


def reports_start(config: Any) -> date:
    """Return the resource's start from config COURSEHUB_REPORTS_START (an ISO date)."""
    return date.fromisoformat(str(config["COURSEHUB_REPORTS_START"]))
