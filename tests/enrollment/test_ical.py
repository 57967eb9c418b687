"""Calendar files: read back with icalendar AND with vobject, an independent parser."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from coursehub.lib import ical

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ORGANIZER = ical.Person("Familjehemsresursen", "noreply@familjehemsresurs.example")
ATTENDEE = ical.Person("Åsa Åberg", "asa@exempel.se")
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)

# 18:00 in Stockholm is 16:00 UTC in summer (CEST) and 17:00 UTC in winter (CET).
SUMMER = datetime(2026, 6, 16, 16, 0, tzinfo=UTC)
WINTER = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
# The nights the clocks change: the evening after both.
AFTER_SPRING_CHANGE = datetime(2027, 3, 28, 16, 0, tzinfo=UTC)
AFTER_AUTUMN_CHANGE = datetime(2026, 10, 25, 17, 0, tzinfo=UTC)


def _info(session_id, starts_at, revision=0):
    return ical.SessionInfo(
        id=session_id,
        title="Ett hem att växa i: Barnets behov",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        location="Lokal 1, Storgatan 1, 553 20 Jönköping",
        description="",
        revision=revision,
    )


SESSIONS = [
    _info(1, SUMMER),
    _info(2, WINTER, revision=2),
    _info(3, AFTER_SPRING_CHANGE),
    _info(4, AFTER_AUTUMN_CHANGE),
]


def _invites(parse):
    """Return each session's invite, parsed by `parse`: one message per session."""
    return [parse(ical.build_invite(s, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW)) for s in SESSIONS]


def test_invite_reads_back_with_icalendar_at_local_six_pm():
    events = {}
    for cal in _invites(icalendar.Calendar.from_ical):
        assert cal["METHOD"] == "REQUEST"
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
        [event] = cal.walk("VEVENT")
        events[str(event["UID"])] = event
    assert set(events) == {f"session-{i}@coursehub" for i in (1, 2, 3, 4)}
    for event in events.values():
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert (start.astimezone(STOCKHOLM).hour, start.astimezone(STOCKHOLM).minute) == (18, 0)
        assert str(event["ORGANIZER"]) == "mailto:noreply@familjehemsresurs.example"
        assert str(event["ATTENDEE"]) == "mailto:asa@exempel.se"
        assert event["ATTENDEE"].params["CN"] == "Åsa Åberg"
    assert events["session-2@coursehub"]["SEQUENCE"] == 2


def test_invite_reads_back_with_vobject_using_the_files_own_timezone():
    starts = {}
    for cal in _invites(lambda data: vobject.readOne(data.decode("utf-8"))):
        assert cal.method.value == "REQUEST"
        [event] = cal.vevent_list
        start = event.dtstart.value
        # vobject builds the zone from the file's VTIMEZONE, not from the system database.
        assert start.tzinfo is not None
        starts[event.uid.value] = start
        local = start.astimezone(STOCKHOLM)
        assert (local.hour, local.minute) == (18, 0), event.uid.value
    assert starts["session-1@coursehub"].utcoffset() == timedelta(hours=2)  # summer time
    assert starts["session-2@coursehub"].utcoffset() == timedelta(hours=1)  # winter time
    assert starts["session-3@coursehub"].utcoffset() == timedelta(hours=2)
    assert starts["session-4@coursehub"].utcoffset() == timedelta(hours=1)
    assert starts["session-1@coursehub"].astimezone(UTC) == SUMMER
    assert starts["session-2@coursehub"].astimezone(UTC) == WINTER


def test_cancel_has_method_cancel_and_a_higher_sequence():
    data = ical.build_invite(
        _info(2, WINTER, revision=2), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW, cancel=True
    )
    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.method.value == "CANCEL"
    [event] = cal.vevent_list
    assert event.status.value == "CANCELLED"
    assert int(event.sequence.value) == 3
    assert event.uid.value == "session-2@coursehub"


@pytest.mark.parametrize("title", ["Rad ett\r\nORGANIZER:mailto:evil@example.com", "Komma, semikolon; å"])
def test_text_cannot_break_out_of_its_property(title):
    info = ical.SessionInfo(
        id=9,
        title=title,
        starts_at=SUMMER,
        ends_at=SUMMER + timedelta(hours=1),
        location="",
        description="",
        revision=0,
    )
    data = ical.build_invite(info, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW)
    [event] = vobject.readOne(data.decode("utf-8")).vevent_list
    assert event.summary.value == title.replace("\r\n", "\n")
    assert event.organizer.value == "mailto:noreply@familjehemsresurs.example"


def test_feed_has_no_method_and_every_session():
    data = ical.build_feed(SESSIONS, name="Mina kurser", now=NOW)
    cal = icalendar.Calendar.from_ical(data)
    assert "METHOD" not in cal
    assert len(cal.walk("VEVENT")) == 4
    assert len(vobject.readOne(data.decode("utf-8")).vevent_list) == 4


def test_the_persons_offset_lifts_both_request_and_cancel():
    info = dataclasses.replace(_info(2, WINTER, revision=2), sequence_offset=4)
    request = ical.build_invite(info, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW)
    cancel = ical.build_invite(info, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW, cancel=True)
    for data, method, sequence in ((request, "REQUEST", 6), (cancel, "CANCEL", 7)):
        [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
        assert event["SEQUENCE"] == sequence
        cal = vobject.readOne(data.decode("utf-8"))
        assert cal.method.value == method
        assert int(cal.vevent_list[0].sequence.value) == sequence
