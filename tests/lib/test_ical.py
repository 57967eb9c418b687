"""The one calendar builder, read back with icalendar and with vobject (an independent parser)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursehub.lib import ical

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
# 18:00 in Stockholm: 16:00 UTC in summer time, 17:00 UTC in winter time.
SUMMER = datetime(2026, 9, 29, 16, 0, tzinfo=UTC)
WINTER = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)
ORGANIZER = ical.Person("Familjehemsresursen", "noreply@example.se")
ATTENDEE = ical.Person("Åsa Åberg", "asa@exempel.se")


def _info(session_id, starts_at, **extra):
    values = {
        "title": "Ett hem att växa i: Barnets behov",
        "location": "Lokal 1, Storgatan 1",
        "description": "",
        "revision": 0,
    } | extra
    return ical.SessionInfo(
        id=session_id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), **values
    )


def test_every_file_has_the_same_prodid_uids_and_stockholm_zone():
    sessions = [_info(7, WINTER), _info(3, SUMMER)]
    invites = [
        ical.build_invite(s, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW, cancel=cancel)
        for s in reversed(sessions)
        for cancel in (False, True)
    ]
    files = [ical.build_feed(sessions, name="Schema", now=NOW), *invites]
    uids = []
    for data in files:
        cal = icalendar.Calendar.from_ical(data)
        assert str(cal["PRODID"]) == ical.PRODID
        uids.append([str(e["UID"]) for e in cal.walk("VEVENT")])
        [zone] = cal.walk("VTIMEZONE")
        assert zone["TZID"] == "Europe/Stockholm"
        rules = {c.name: c for c in zone.subcomponents}
        assert rules["DAYLIGHT"]["RRULE"]["BYMONTH"] == [3]
        assert rules["STANDARD"]["RRULE"]["BYMONTH"] == [10]
        assert rules["DAYLIGHT"]["RRULE"]["BYDAY"] == ["-1SU"]
        assert rules["STANDARD"].decoded("DTSTART") == datetime(1996, 10, 27, 3, 0)  # noqa: DTZ001
    # The feed lists both in time order; each invite carries exactly one (Outlook reads one).
    assert uids[0] == ["session-3@coursehub", "session-7@coursehub"]
    assert uids[1:] == [["session-3@coursehub"]] * 2 + [["session-7@coursehub"]] * 2


def test_vobject_reads_local_six_pm_either_side_of_the_autumn_change_from_the_files_zone():
    data = ical.build_feed([_info(1, SUMMER), _info(2, WINTER)], name="Schema", now=NOW)
    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.x_wr_calname.value == "Schema"
    starts = {e.uid.value: e.dtstart.value for e in cal.vevent_list}
    assert {(s.hour, s.minute) for s in starts.values()} == {(18, 0)}
    assert starts["session-1@coursehub"].utcoffset() == timedelta(hours=2)
    assert starts["session-2@coursehub"].utcoffset() == timedelta(hours=1)
    assert starts["session-2@coursehub"].astimezone(UTC) == WINTER


def test_a_feed_marks_a_cancelled_session_without_raising_its_sequence():
    data = ical.build_feed(
        [_info(1, SUMMER, revision=2, is_cancelled=True), _info(2, WINTER)], name="Schema", now=NOW
    )
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert "METHOD" not in icalendar.Calendar.from_ical(data)
    assert [(str(e["STATUS"]), int(e["SEQUENCE"])) for e in events] == [("CANCELLED", 2), ("CONFIRMED", 0)]
    assert all("ORGANIZER" not in e and "ATTENDEE" not in e for e in events)


def test_an_invite_names_organizer_and_attendee_and_a_withdrawal_raises_the_sequence():
    info = _info(4, WINTER, revision=1, url="https://meet.example/abc", sequence_offset=2)
    request = vobject.readOne(
        ical.build_invite(info, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW).decode()
    )
    cancel = vobject.readOne(
        ical.build_invite(info, organizer=ORGANIZER, attendee=ATTENDEE, now=NOW, cancel=True).decode()
    )
    assert (request.method.value, cancel.method.value) == ("REQUEST", "CANCEL")
    [asked], [withdrawn] = request.vevent_list, cancel.vevent_list
    assert (int(asked.sequence.value), int(withdrawn.sequence.value)) == (3, 4)
    assert (asked.status.value, withdrawn.status.value) == ("CONFIRMED", "CANCELLED")
    assert asked.organizer.value == "mailto:noreply@example.se"
    assert asked.attendee.value == "mailto:asa@exempel.se"
    assert asked.attendee.params["CN"] == ["Åsa Åberg"]
    assert asked.url.value == "https://meet.example/abc"


def test_location_is_the_venue_or_the_link_but_a_public_file_only_names_the_link():
    assert (
        ical.location(venue_name="Lokal 1", venue_address="Storgatan 1", online_url="https://meet.example/x")
        == "Lokal 1, Storgatan 1"
    )
    assert ical.location(venue_name="Lokal 1", online_label="På nätet") == "Lokal 1"
    assert ical.location(online_url="https://meet.example/x") == "https://meet.example/x"
    assert ical.location(online_url="https://meet.example/x", online_label="På nätet") == "På nätet"
    assert ical.location(online_label="På nätet") == ""


def test_an_event_title_does_not_repeat_the_run_title():
    assert ical.event_title("Ett hem att växa i", "Barnets behov") == "Ett hem att växa i: Barnets behov"
    assert ical.event_title("Ett hem att växa i", "Ett hem att växa i") == "Ett hem att växa i"


def test_a_location_and_description_with_line_breaks_stay_inside_their_properties():
    info = _info(
        5,
        SUMMER,
        location="Lokal\r\nORGANIZER:mailto:evil@example.com",
        description="Rad ett\nRad två; komma,",
    )
    [event] = vobject.readOne(ical.build_feed([info], name="S", now=NOW).decode()).vevent_list
    assert event.location.value == "Lokal\nORGANIZER:mailto:evil@example.com"
    assert event.description.value == "Rad ett\nRad två; komma,"
    assert not hasattr(event, "organizer")


def test_a_feed_names_itself_and_says_how_often_to_read_it_again():
    """Subscribed calendars show the name and refresh on their own (RFC 7986, Outlook's TTL)."""
    data = ical.build_feed([_info(1, SUMMER)], name="Kurser hos resursen", now=NOW)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Kurser hos resursen"
    assert cal.decoded("REFRESH-INTERVAL") == ical.FEED_REFRESH
    assert b"X-PUBLISHED-TTL:PT6H" in data
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    other = vobject.readOne(data.decode())
    assert other.contents["refresh-interval"][0].value == "PT6H"
    assert other.x_published_ttl.value == "PT6H"


def _feed_by_icalendar(sessions, *, name, now):
    """The feed as icalendar objects write it: what calendar clients received before build_feed
    wrote its events directly."""
    cal = ical._calendar(name=name)
    for info in sorted(sessions, key=lambda s: s.starts_at):
        cal.add_component(ical._event(info, now=now))
    return cal.to_ical()


# Text a person or the database may hold: the escaped characters, line breaks of every kind, a
# literal "\N", carets, multi-byte letters and emoji (so folds land inside characters and beside
# escapes), tabs and other control characters; no lone surrogates (they are not UTF-8).
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\;,:\r\n^\"' Nna-åäöÅÉ€😀\t\x00\x7f")),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=300,
)
# The feed's name comes from the settings (icalendar writes it unescaped and refuses a line feed).
_NAME = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n"), max_size=80)
_URL_CHARACTERS = st.characters(codec="ascii", exclude_characters="\r\n")
_MOMENT = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@st.composite
def _sessions(draw):
    starts = draw(_MOMENT)
    return ical.SessionInfo(
        id=draw(st.integers(min_value=1, max_value=10**9)),
        title=draw(_TEXT),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=draw(st.integers(min_value=0, max_value=24 * 60))),
        location=draw(_TEXT),
        description=draw(_TEXT),
        revision=draw(st.integers(min_value=0, max_value=10**6)),
        # A URL is url_for's (icalendar refuses CR and LF in one; url_for never makes them).
        url=draw(st.one_of(st.none(), st.just(""), st.text(_URL_CHARACTERS, max_size=200))),
        is_cancelled=draw(st.booleans()),
        sequence_offset=draw(st.integers(min_value=0, max_value=1000)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions=st.lists(_sessions(), max_size=4), name=_NAME, now=_MOMENT)
def test_a_feed_is_byte_for_byte_what_icalendar_writes(sessions, name, now):
    """Calendar clients keep receiving the same bytes: same events, UIDs, SEQUENCE, times, folds."""
    assert ical.build_feed(sessions, name=name, now=now) == _feed_by_icalendar(sessions, name=name, now=now)


def test_a_feed_of_the_sessions_a_family_sees_is_byte_for_byte_what_icalendar_writes():
    sessions = [
        _info(
            n,
            SUMMER + timedelta(days=7 * n),
            title="Ett hem att växa i, hösten 2026: Närhet, anknytning och omsorg" * (n % 3 + 1),
            description="Tema: Närhet\nVad ett barn behöver; för att känna sig tryggt.\\" * (n % 4 + 1),
            url=f"https://kurser.example/kurser/{n}",
            revision=n,
            sequence_offset=2 * n,
            is_cancelled=n % 5 == 0,
        )
        for n in range(40)
    ]
    now = datetime(2026, 12, 2, 7, 23, 26, 123456, tzinfo=UTC)
    assert ical.build_feed(sessions, name="Kurser hos Familjehemsresursen i Jönköpings län", now=now) == (
        _feed_by_icalendar(sessions, name="Kurser hos Familjehemsresursen i Jönköpings län", now=now)
    )
