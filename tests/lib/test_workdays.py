"""Working time for the audit log's flags: Stockholm hours on weekdays that are no public holiday."""

from datetime import UTC, date, datetime

from coursehub.lib.workdays import is_working_time, working_intervals

HOURS = (7, 19)


def test_working_time_follows_stockholm_summer_and_winter_time():
    # Winter (UTC+1): 07:00 in Stockholm is 06:00 UTC; summer (UTC+2): 05:00 UTC.
    assert working_intervals(date(2026, 12, 1), date(2026, 12, 1), HOURS) == [
        (datetime(2026, 12, 1, 6, 0, tzinfo=UTC), datetime(2026, 12, 1, 18, 0, tzinfo=UTC))
    ]
    assert is_working_time(datetime(2026, 6, 2, 5, 0, tzinfo=UTC), HOURS)
    assert not is_working_time(datetime(2026, 6, 2, 4, 59, tzinfo=UTC), HOURS)
    assert not is_working_time(datetime(2026, 6, 2, 17, 0, tzinfo=UTC), HOURS)  # 19:00 there


def test_weekends_and_public_holidays_have_no_working_time():
    # Saturday 5 and Sunday 6 December; Friday 25 December is Christmas Day, 24th its eve.
    assert working_intervals(date(2026, 12, 5), date(2026, 12, 6), HOURS) == []
    assert working_intervals(date(2026, 12, 24), date(2026, 12, 25), HOURS) == []
    assert len(working_intervals(date(2026, 12, 1), date(2026, 12, 31), HOURS)) == 20
