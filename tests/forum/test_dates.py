"""The forum's short dates read as the `local_datetime` filter writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, format_datetime

from coursehub.forum.dates import SHORT, short_datetimes


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_short_datetimes_match_babel_in_every_month_and_across_summer_time(app, locale):
    first = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    moments = [first + timedelta(hours=37 * n, minutes=7 * n) for n in range(260)]
    # the nights summer time begins and ends in Stockholm, minute by minute around the change
    for start in (datetime(2026, 3, 29, 0, 0, tzinfo=UTC), datetime(2026, 10, 25, 0, 0, tzinfo=UTC)):
        moments += [start + timedelta(minutes=15 * n) for n in range(16)]
    with app.test_request_context("/"), force_locale(locale):
        short = short_datetimes()
        assert short(None) == ""
        for moment in moments:
            assert short(moment) == format_datetime(moment, SHORT), moment
