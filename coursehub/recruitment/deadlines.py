"""Working days: the first-contact deadline counts neither weekends, public holidays nor closure weeks."""

from __future__ import annotations

from datetime import date, timedelta

from coursehub.lib.workdays import is_weekday_at_work


def is_working_day(day: date, closure_weeks: tuple[int, ...]) -> bool:
    """Whether the resource works on `day`: a weekday, no public holiday, not in a closure week."""
    return is_weekday_at_work(day) and day.isocalendar().week not in closure_weeks


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
