"""Working days: the first-contact deadline counts neither weekends, public holidays nor closure weeks."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _days_off(year: int) -> frozenset[date]:
    """Return Sweden's public holidays of `year`, with Midsummer, Christmas and New Year's Eve.

    The three eves are no public holidays by law, but the country takes them off: nobody would
    answer the family's call.
    """
    # Sundays are weekends anyway; the package would list each one as a holiday otherwise.
    found = holidays.country_holidays("SE", years=year, include_sundays=False)
    days = set(found)
    midsummer = next(day for day, name in found.items() if name == "Midsummer Day")
    days |= {midsummer - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(days)


def is_working_day(day: date, closure_weeks: tuple[int, ...]) -> bool:
    """Whether the resource works on `day`: a weekday, no public holiday, not in a closure week."""
    return (
        day.weekday() < 5 and day not in _days_off(day.year) and day.isocalendar().week not in closure_weeks
    )


def add_working_days(start: date, days: int, closure_weeks: tuple[int, ...]) -> date:
    """Return the date `days` working days after `start` (the day itself does not count)."""
    day = start
    left = days
    # A year of closure weeks would loop forever; no deployment closes more than half the year.
    for _ in range(days * 7 + 400):
        if left <= 0:
            return day
        day += timedelta(days=1)
        if is_working_day(day, closure_weeks):
            left -= 1
    raise ValueError("no working days found; check COURSEHUB_CLOSURE_WEEKS")
