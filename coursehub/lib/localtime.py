"""Local wall-clock times in Europe/Stockholm, and the rule at the changes of summer time."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _

from coursehub.clock import LOCAL_TZ, local_to_utc
from coursehub.errors import CoursehubError
from coursehub.lib.checks import known


def local_moment(
    day: date, wall_clock: time, *, field: str | None = None, error: type[CoursehubError] = CoursehubError
) -> datetime:
    """Return the UTC moment of a Europe/Stockholm date and wall-clock time.

    The rule at the changes between summer and winter time: a wall-clock time that does not
    exist (02:00-02:59 on the last Sunday of March) or that happens twice (02:00-02:59 on the
    last Sunday of October) is refused with a message beside `field`, never silently moved.
    An area raises its own subclass of the domain error by passing it as `error`.
    """
    naive = datetime.combine(day, wall_clock.replace(tzinfo=None))
    first = naive.replace(tzinfo=LOCAL_TZ, fold=0)
    second = naive.replace(tzinfo=LOCAL_TZ, fold=1)
    # Both are aware in LOCAL_TZ, a ZoneInfo, whose utcoffset() is never None.
    first_offset = known(first.utcoffset(), "an aware time has an offset")
    second_offset = known(second.utcoffset(), "an aware time has an offset")
    if first_offset != second_offset:
        shown = {"day": day.isoformat(), "time": wall_clock.strftime("%H:%M")}
        if first_offset < second_offset:  # fold=0 keeps the old, larger offset in a gap
            message = _(
                "Klockan %(time)s finns inte den %(day)s: klockan ställs då fram en "
                "timme till sommartid. Välj en annan tid.",
                **shown,
            )
        else:
            message = _(
                "Klockan %(time)s finns två gånger den %(day)s: klockan ställs då "
                "tillbaka en timme från sommartid. Välj en annan tid.",
                **shown,
            )
        raise error(message, field=field)
    return local_to_utc(naive)
