"""Sweden's days off and the working hours of the resource, for deadlines and the audit log's flags."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from coursehub.clock import LOCAL_TZ, local_to_utc


@cache
def public_days_off(year: int) -> frozenset[date]:
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


def is_weekday_at_work(day: date) -> bool:
    """Whether `day` is a weekday that is no public holiday (closure weeks are not counted here)."""
    return day.weekday() < 5 and day not in public_days_off(day.year)


def working_intervals(first: date, last: date, hours: tuple[int, int]) -> list[tuple[datetime, datetime]]:
    """Return the working time of each day `first`..`last` as UTC intervals [start, end).

    `hours` is (opening hour, closing hour) in Stockholm time on weekdays that are no public holiday.
    """
    opens, closes = hours
    found = []
    day = first
    while day <= last:
        if is_weekday_at_work(day):
            found.append(
                (
                    local_to_utc(datetime.combine(day, time(opens))),
                    local_to_utc(datetime.combine(day, time(closes))),
                )
            )
        day += timedelta(days=1)
    return found


def is_working_time(moment: datetime, hours: tuple[int, int]) -> bool:
    """Whether the aware `moment` falls in working time (see `working_intervals`)."""
    day = moment.astimezone(LOCAL_TZ).date()
    return any(start <= moment < end for start, end in working_intervals(day, day, hours))
