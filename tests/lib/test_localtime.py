"""The summer-time rule for local wall-clock times, raised as the base domain error."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from coursehub.errors import CoursehubError
from coursehub.lib.localtime import local_moment

SPRING_FORWARD = date(2027, 3, 28)  # 02:00 becomes 03:00
FALL_BACK = date(2026, 10, 25)  # 03:00 becomes 02:00 again


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_a_local_time_becomes_utc_with_the_offset_of_its_day(request_context):
    assert local_moment(date(2026, 6, 16), time(18)) == datetime(2026, 6, 16, 16, tzinfo=UTC)
    assert local_moment(date(2026, 12, 8), time(18)) == datetime(2026, 12, 8, 17, tzinfo=UTC)
    assert local_moment(SPRING_FORWARD, time(3)) == datetime(2027, 3, 28, 1, tzinfo=UTC)
    assert local_moment(FALL_BACK, time(1, 59)) == datetime(2026, 10, 24, 23, 59, tzinfo=UTC)


@pytest.mark.parametrize(("day", "words"), [(SPRING_FORWARD, "finns inte"), (FALL_BACK, "två gånger")])
def test_a_missing_or_repeated_time_is_refused_beside_its_field(request_context, day, words):
    with pytest.raises(CoursehubError) as caught:
        local_moment(day, time(2, 30), field="start_time")
    assert type(caught.value) is CoursehubError
    assert caught.value.field == "start_time"
    assert words in caught.value.message and "02:30" in caught.value.message


def test_an_area_may_raise_its_own_error(request_context):
    class AreaError(CoursehubError):
        pass

    with pytest.raises(AreaError):
        local_moment(SPRING_FORWARD, time(2), field="t", error=AreaError)
