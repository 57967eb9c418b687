"""A run's schedule as an iCalendar file (RFC 5545), built with icalendar: a pure function."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from coursehub.clock import LOCAL_TZ
from coursehub.courses.models import CourseRun, CourseSession, SessionStatus

PRODID = "-//coursehub//kursschema//SV"


def session_uid(session: CourseSession) -> str:
    """Return the stable UID of a session's calendar event."""
    return f"session-{session.id}@coursehub"


def _location(session: CourseSession, online_label: str) -> str:
    if session.venue is not None:
        return ", ".join(p for p in (session.venue.name, session.venue.address) if p)
    # The meeting link is for participants (their invites carry it), not for every visitor.
    return online_label if session.online_url else ""


def stockholm_vtimezone() -> Timezone:
    """Return Europe/Stockholm as a VTIMEZONE with yearly rules (the EU rule in force since 1996).

    Yearly RRULEs rather than a list of dates: every calendar program, and dateutil-based parsers,
    read them the same way.
    """
    zone = Timezone()
    zone.add("tzid", "Europe/Stockholm")
    for part, name, start, month, offsets in (
        (TimezoneDaylight(), "CEST", datetime(1996, 3, 31, 2, 0), 3, ("+0100", "+0200")),  # noqa: DTZ001
        (TimezoneStandard(), "CET", datetime(1996, 10, 27, 3, 0), 10, ("+0200", "+0100")),  # noqa: DTZ001
    ):
        part.add("tzname", name)
        part.add("dtstart", start)  # floating local time, as RFC 5545 requires here
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part["tzoffsetfrom"] = offsets[0]
        part["tzoffsetto"] = offsets[1]
        zone.add_component(part)
    return zone


def run_calendar(run: CourseRun, *, now: datetime, url: str | None = None,
                 online_label: str = "Online") -> bytes:
    """Return the run's sessions as an iCalendar file in Europe/Stockholm time, one VEVENT each.

    A session held online says `online_label` as its place; the link itself stays out.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", run.title)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    calendar.add_component(stockholm_vtimezone())
    for session in sorted(run.sessions, key=lambda s: s.starts_at):
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", now)
        event.add("sequence", session.revision)
        event.add("summary", f"{run.title}: {session.title}")
        event.add("dtstart", session.starts_at.astimezone(LOCAL_TZ))
        event.add("dtend", session.ends_at.astimezone(LOCAL_TZ))
        location = _location(session, online_label)
        if location:
            event.add("location", location)
        if url:
            event.add("url", url)
        cancelled = session.status == SessionStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
