"""Calendar files (RFC 5545) for invites and feeds: pure functions that return bytes.

Everything is built with icalendar objects, never by joining strings. Each session has one stable
UID (`session-<id>@coursehub`, the scheme of the course's own .ics download), so that calendar
programs update or remove the event they already hold; SEQUENCE is `session.revision` plus the
person's offset (see models.CalendarSequence), and one more in a CANCEL.
Times are written as local Stockholm time with a TZID and a VTIMEZONE that states the EU rule
(an RRULE, which Outlook reads more reliably than a long list of dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TZID = "Europe/Stockholm"
PRODID = "-//Familjehemsresursen//coursehub//SV"


def session_uid(session_id: int) -> str:
    """Return the stable UID of a session's event."""
    return f"session-{session_id}@coursehub"


@dataclass(frozen=True)
class Person:
    """A name and an e-mail address, for ORGANIZER and ATTENDEE."""

    name: str
    email: str


@dataclass(frozen=True)
class SessionInfo:
    """What a calendar event needs to know about one session."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    revision: int
    url: str | None = None


def session_info(session, *, description: str = "") -> SessionInfo:
    """Describe a CourseSession (with its run and venue loaded) for an event."""
    run = session.run
    venue = session.venue or run.venue
    online = session.online_url or run.online_url
    if venue is not None:
        location = ", ".join(p for p in (venue.name, venue.address) if p)
    else:
        location = online or ""
    title = run.title if session.title == run.title else f"{run.title}: {session.title}"
    return SessionInfo(
        id=session.id,
        title=title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=location,
        description=description,
        revision=session.revision,
        url=online,
    )


def _timezone() -> icalendar.Timezone:
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    daylight = icalendar.TimezoneDaylight()
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))  # noqa: DTZ001 - floating by RFC 5545
    daylight.add("tzoffsetfrom", _offset(1))
    daylight.add("tzoffsetto", _offset(2))
    daylight.add("tzname", "CEST")
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))  # noqa: DTZ001 - floating by RFC 5545
    standard.add("tzoffsetfrom", _offset(2))
    standard.add("tzoffsetto", _offset(1))
    standard.add("tzname", "CET")
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def _offset(hours: int):
    from datetime import timedelta

    return timedelta(hours=hours)


def _calendar(method: str | None, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
    cal.add_component(_timezone())
    return cal


def _address(person: Person, **params) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    for key, value in params.items():
        address.params[key.upper().replace("_", "-")] = value
    return address


def _event(info: SessionInfo, *, now: datetime, organizer: Person | None, attendee: Person | None,
           cancelled: bool, sequence_offset: int = 0) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", session_uid(info.id))
    event.add("dtstamp", now)
    event.add("dtstart", info.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", info.ends_at.astimezone(STOCKHOLM))
    event.add("summary", info.title)
    if info.location:
        event.add("location", info.location)
    if info.description:
        event.add("description", info.description)
    if info.url:
        event.add("url", info.url)
    # A cancellation must not be older than the update it removes.
    event.add("sequence", info.revision + sequence_offset + (1 if cancelled else 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        event.add("attendee", _address(attendee, role="REQ-PARTICIPANT", partstat="ACCEPTED",
                                       rsvp="FALSE"))
    return event


def build_invite(sessions: list[SessionInfo], *, organizer: Person, attendee: Person,
                 now: datetime, cancel: bool = False, sequence_offset: int = 0) -> bytes:
    """Return an invite (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL) for one attendee.

    `sequence_offset` is the attendee's offset for the run (models.CalendarSequence).
    """
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    for info in sorted(sessions, key=lambda s: s.starts_at):
        cal.add_component(_event(info, now=now, organizer=organizer, attendee=attendee,
                                 cancelled=cancel, sequence_offset=sequence_offset))
    return cal.to_ical()


def build_feed(sessions: list[SessionInfo], *, name: str, now: datetime) -> bytes:
    """Return a subscribable calendar (no METHOD) with one event per session."""
    cal = _calendar(None, name=name)
    for info in sorted(sessions, key=lambda s: s.starts_at):
        cal.add_component(_event(info, now=now, organizer=None, attendee=None, cancelled=False))
    return cal.to_ical()
