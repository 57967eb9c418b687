"""A course session as calendar data, and a run's public schedule (built by coursehub.lib.ical)."""

from __future__ import annotations

from datetime import datetime

from coursehub.courses.models import CourseRun, CourseSession, SessionStatus
from coursehub.lib import ical


def session_info(
    session: CourseSession, *, online_label: str | None = None, description: str = "", url: str | None = None
) -> ical.SessionInfo:
    """Describe a session (with its run and venue loaded) for a calendar event.

    With `online_label` the event is for anyone: an online session says that label as its place and
    the meeting link stays out. Without it the event is a participant's, carrying the link as its
    place and URL (or `url` when given).
    """
    run = session.run
    # A session's own place wins; services copy the run's place to each session, so falling back
    # to the run only covers sessions made before that.
    place = session if session.venue is not None or session.online_url else run
    venue, online_url = place.venue, place.online_url
    public = online_label is not None
    return ical.SessionInfo(
        id=session.id,
        title=ical.event_title(run.title, session.title),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=ical.location(
            venue_name=venue.name if venue else None,
            venue_address=venue.address if venue else None,
            online_url=online_url,
            online_label=online_label,
        ),
        description=description,
        revision=session.revision,
        url=url if public else (url or online_url),
        is_cancelled=session.status == SessionStatus.CANCELLED,
    )


def run_calendar(
    run: CourseRun, *, now: datetime, url: str | None = None, online_label: str = "Online"
) -> bytes:
    """Return the run's public schedule: every session, online ones saying `online_label` as place."""
    infos = [session_info(s, online_label=online_label, url=url) for s in run.sessions]
    return ical.build_feed(infos, name=run.title, now=now)
