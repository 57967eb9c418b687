"""The one source of the current time.

Everything that needs "now" calls `now()`; tests freeze it with `freeze()`. The frozen value lives
in the Flask app config when an app context is active, so that it never leaks between apps, and
falls back to a process value for code outside an app (the CLI before the app is made).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
_FROZEN_KEY = "COURSEHUB_FROZEN_NOW"


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    if has_app_context():
        frozen = current_app.config.get(_FROZEN_KEY)
        if frozen is not None:
            return frozen
    return datetime.now(UTC)


def freeze(app, moment: datetime | None) -> None:
    """Freeze the app's clock at `moment` (aware), or unfreeze it with None."""
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    app.config[_FROZEN_KEY] = moment.astimezone(UTC) if moment else None


def advance(app, delta: timedelta) -> datetime:
    """Move a frozen clock forward by `delta` and return the new time."""
    current = app.config.get(_FROZEN_KEY) or datetime.now(UTC)
    app.config[_FROZEN_KEY] = current + delta
    return app.config[_FROZEN_KEY]


def to_local(moment: datetime) -> datetime:
    """Convert an aware datetime to Europe/Stockholm."""
    return moment.astimezone(LOCAL_TZ)


def local_to_utc(naive_local: datetime) -> datetime:
    """Interpret a naive wall-clock time in Europe/Stockholm and return it in UTC."""
    return naive_local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
