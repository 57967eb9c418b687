"""Calendar files (RFC 5545): the one builder behind the public schedule, invites and feeds.

Pure functions that take plain values (`SessionInfo`, `Person`) and return bytes, built with
icalendar objects, never by joining strings. Each session has one stable UID
(`session-<id>@coursehub`) in every file, so that calendar programs update or remove the event
they already hold, whichever file it came from. Its SEQUENCE has one source too,
`event_sequence`: the session's revision plus the person's offset (raised after each CANCEL
they were sent), so an invite, the person's own feed and the public schedule (offset 0) never
disagree about which version of an event is newer.

An invite (iMIP, RFC 6047) carries exactly one event: Outlook imports only the first event of a
message, so `build_invite` takes one session, and invites go out one mail per session. Times are
written as local Stockholm time with a TZID and a VTIMEZONE that states the EU rule as yearly
RRULEs (read the same way by Outlook, Apple, Google and dateutil-based parsers; a long list of
dates is not).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import icalendar

TZID = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(TZID)
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
    is_cancelled: bool = False
    sequence_offset: int = 0


def event_sequence(info: SessionInfo, *, withdrawn: bool = False) -> int:
    """Return the SEQUENCE of a session's event: the one rule for invites, feeds and schedules.

    A withdrawal (CANCEL) is one above the invite it removes, so no client takes it as stale.
    """
    return info.revision + info.sequence_offset + (1 if withdrawn else 0)


def event_title(run_title: str, session_title: str) -> str:
    """Return an event's summary: "run: session", or the run's title alone when they are the same."""
    return run_title if session_title == run_title else f"{run_title}: {session_title}"


def location(
    *,
    venue_name: str | None = None,
    venue_address: str | None = None,
    online_url: str | None = None,
    online_label: str | None = None,
) -> str:
    """Return an event's LOCATION: the venue when there is one, otherwise the online meeting.

    Participants' files (invites, feeds) carry the meeting link itself; a public file passes
    `online_label` and says only that: the link is for participants, not for every visitor.
    """
    if venue_name:
        return ", ".join(part for part in (venue_name, venue_address) if part)
    if not online_url:
        return ""
    return online_url if online_label is None else online_label


def stockholm_vtimezone() -> icalendar.Timezone:
    """Return Europe/Stockholm as a VTIMEZONE with yearly rules (the EU rule in force since 1996)."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    for part, name, start, month, offsets in (
        (icalendar.TimezoneDaylight(), "CEST", datetime(1996, 3, 31, 2, 0), 3, (1, 2)),  # noqa: DTZ001
        (icalendar.TimezoneStandard(), "CET", datetime(1996, 10, 27, 3, 0), 10, (2, 1)),  # noqa: DTZ001
    ):
        part.add("tzname", name)
        part.add("dtstart", start)  # floating local time, as RFC 5545 requires here
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        zone.add_component(part)
    return zone


# How often a subscribed calendar should be read again (RFC 7986 and Outlook's older property).
FEED_REFRESH = timedelta(hours=6)


def _calendar(*, method: str | None = None, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
        cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH))
    cal.add_component(stockholm_vtimezone())
    return cal


def _address(person: Person, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    for key, value in params.items():
        address.params[key.upper().replace("_", "-")] = value
    return address


def _event(
    info: SessionInfo,
    *,
    now: datetime,
    organizer: Person | None = None,
    attendee: Person | None = None,
    withdrawn: bool = False,
) -> icalendar.Event:
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
    event.add("sequence", event_sequence(info, withdrawn=withdrawn))
    event.add("status", "CANCELLED" if withdrawn or info.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        event.add("attendee", _address(attendee, role="REQ-PARTICIPANT", partstat="ACCEPTED", rsvp="FALSE"))
    return event


def _in_order(sessions: Iterable[SessionInfo]) -> list[SessionInfo]:
    return sorted(sessions, key=lambda s: s.starts_at)


def build_invite(
    info: SessionInfo,
    *,
    organizer: Person,
    attendee: Person,
    now: datetime,
    cancel: bool = False,
) -> bytes:
    """Return the invite (METHOD:REQUEST) of one session, or its withdrawal (METHOD:CANCEL).

    One event per message: Outlook reads only the first event of an iMIP message.
    """
    cal = _calendar(method="CANCEL" if cancel else "REQUEST")
    cal.add_component(_event(info, now=now, organizer=organizer, attendee=attendee, withdrawn=cancel))
    return cal.to_ical()


def build_feed(sessions: Iterable[SessionInfo], *, name: str, now: datetime) -> bytes:
    """Return a calendar to download or subscribe to (no METHOD), one event per session.

    The same bytes icalendar writes for `_calendar(name=name)` with one `_event` per session
    (tests/lib/test_ical.py compares them), but each event is written directly: a feed holds every
    session a person has ever been confirmed for, and icalendar's objects cost about half a
    millisecond per event.
    """
    stamp = b"DTSTAMP:" + _utc_text(now) + b"\r\n"
    events = b"".join(_feed_event(info, stamp) for info in _in_order(sessions))
    return _feed_head(name) + events + _CALENDAR_END


_CALENDAR_END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=32)
def _feed_head(name: str) -> bytes:
    """Return a feed's properties and time zone (everything before its events), by icalendar."""
    whole = _calendar(name=name).to_ical()
    return whole.removesuffix(_CALENDAR_END)


def _text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11) the way icalendar does, in its order."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


# A content line holds at most 74 octets before its fold (icalendar folds before reaching 75).
_FOLD_AT = 74


def _line(text: str) -> bytes:
    """Return one content line, folded as icalendar folds it, with its CRLF.

    A fold never splits a UTF-8 character, and never separates a backslash (or RFC 6868 caret)
    from the character it escapes: such a last character moves to the next line.
    """
    data = text.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return data + b"\r\n"
    parts = []
    start = 0
    while len(data) - start > _FOLD_AT:
        end = start + _FOLD_AT
        while data[end] & 0xC0 == 0x80:  # inside a character: fold before it
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _local_text(moment: datetime) -> str:
    local = moment.astimezone(STOCKHOLM)
    return f"{local.year:04}{local.month:02}{local.day:02}T{local.hour:02}{local.minute:02}{local.second:02}"


def _utc_text(moment: datetime) -> bytes:
    utc = moment.astimezone(UTC)
    return (f"{utc.year:04}{utc.month:02}{utc.day:02}T{utc.hour:02}{utc.minute:02}{utc.second:02}Z").encode()


def _feed_event(info: SessionInfo, stamp: bytes) -> bytes:
    """Return one feed event as `_event(info, now=…)` writes it: icalendar's property order
    (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, then the rest by name)."""
    lines = [
        b"BEGIN:VEVENT\r\n",
        _line("SUMMARY:" + _text(info.title)),
        _line(f"DTSTART;TZID={TZID}:{_local_text(info.starts_at)}"),
        _line(f"DTEND;TZID={TZID}:{_local_text(info.ends_at)}"),
        stamp,
        _line("UID:" + _text(session_uid(info.id))),
        _line(f"SEQUENCE:{event_sequence(info)}"),
    ]
    if info.description:
        lines.append(_line("DESCRIPTION:" + _text(info.description)))
    if info.location:
        lines.append(_line("LOCATION:" + _text(info.location)))
    lines.append(b"STATUS:CANCELLED\r\n" if info.is_cancelled else b"STATUS:CONFIRMED\r\n")
    lines.append(b"TRANSP:OPAQUE\r\n")
    if info.url:
        lines.append(_line("URL:" + info.url))
    lines.append(b"END:VEVENT\r\n")
    return b"".join(lines)


@dataclass(frozen=True)
class SubscribeLinks:
    """The ways to subscribe to a feed: its own address, webcal://, Google and Outlook on the web."""

    https: str
    webcal: str
    google: str
    outlook: str


def subscribe_links(feed_url: str, *, name: str) -> SubscribeLinks:
    """Return the links that let a calendar program subscribe to `feed_url` (not download it once).

    webcal:// opens the system's calendar program (Apple Calendar, Outlook, Thunderbird); Google
    Calendar and Outlook on the web take the address as a parameter of their "add from URL" page.
    """
    webcal = "webcal://" + feed_url.split("://", 1)[-1]
    return SubscribeLinks(
        https=feed_url,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        outlook="https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
    )
