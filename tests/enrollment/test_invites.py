"""Invites as calendar programs read them, at the real SMTP server: a sign-up, a move, a cancel.

Outlook's rules ([MS-STANOICAL] on RFC 6047): one UID per iMIP message (it imports only the first
event), the calendar part inline as an alternative of the message (an attached one is just a
file), and a `method` parameter equal to the file's METHOD. Every calendar part is read with
icalendar and again with vobject, and the two must agree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import icalendar
import vobject

from coursehub import clock
from coursehub.courses import services as course_services
from coursehub.enrollment import services
from coursehub.extensions import db
from coursehub.notifications.jobs import send_outbox
from tests.factories import UserFactory


def _send_all(smtp_server):
    """Send what the outbox holds and return every message the server has received so far."""
    db.session.commit()
    before = len(smtp_server.messages)
    result = send_outbox(clock.now())
    db.session.commit()
    assert result.failed == 0
    return smtp_server.wait_for(before + result.sent)


def _read_as_outlook(message) -> tuple[str, str, int, str]:
    """Check an invite's structure as Outlook does; return (METHOD, UID, SEQUENCE, DTSTART)."""
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    calendar = parts[2]
    assert calendar.get_content_disposition() is None, "an attached calendar is only a file to Outlook"
    method = calendar.get_param("method")
    data = calendar.get_payload(decode=True)
    first = icalendar.Calendar.from_ical(data)
    events = first.walk("VEVENT")
    assert len(events) == 1, "Outlook imports only the first event of a message"
    [event] = events
    assert str(first["METHOD"]) == method
    second = vobject.readOne(data.decode("utf-8"))
    [other] = second.vevent_list
    assert second.method.value == method
    assert other.uid.value == str(event["UID"])
    assert int(other.sequence.value) == int(event["SEQUENCE"])
    assert other.dtstart.value == event.decoded("DTSTART")
    assert other.description.value == str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) and str(event["URL"]).startswith("http")
    return method, str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART").isoformat()


def _invites_by_person(messages):
    """Return {recipient: [(METHOD, UID, SEQUENCE, DTSTART), ...]} in the order they arrived."""
    found: dict[str, list[tuple[str, str, int, str]]] = defaultdict(list)
    for message in messages:
        if any(p.get_content_type() == "text/calendar" for p in message.walk()):
            found[message["To"]].append(_read_as_outlook(message))
    return found


def _move(session, staff, hours: int):
    start = clock.to_local(session.starts_at) + timedelta(hours=hours)
    end = clock.to_local(session.ends_at) + timedelta(hours=hours)
    details = course_services.SessionDetails(
        day=start.date(),
        start_time=start.time().replace(tzinfo=None),
        end_time=end.time().replace(tzinfo=None),
        title=session.title,
        theme=session.theme,
        venue=session.venue or session.run.venue,
        online_url=session.online_url or session.run.online_url,
    )
    course_services.update_session(session, actor=staff, now=clock.now(), details=details)


def test_every_session_its_update_and_its_cancellation_reach_both_adults(run, make_family, smtp_server):
    staff = UserFactory(staff=True)
    household, adults = make_family(2)
    sessions = list(run.sessions)
    uids = {f"session-{s.id}@coursehub" for s in sessions}
    enrollment = services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    after_sign_up = _invites_by_person(_send_all(smtp_server))
    for adult in adults:
        assert {uid for method, uid, _s, _t in after_sign_up[adult.email]} == uids
        assert {method for method, *_rest in after_sign_up[adult.email]} == {"REQUEST"}

    moved = sessions[0]
    _move(moved, staff, hours=1)
    messages = _send_all(smtp_server)
    after_move = _invites_by_person(messages)
    moved_uid = f"session-{moved.id}@coursehub"
    for adult in adults:
        update = after_move[adult.email][-1]
        before = next(i for i in after_sign_up[adult.email] if i[1] == moved_uid)
        assert update[:2] == ("REQUEST", moved_uid)
        assert update[2] > before[2] and update[3] != before[3]

    services.cancel_enrollment(enrollment, actor=adults[1], now=clock.now(), reason="Sjuk")
    everything = _invites_by_person(_send_all(smtp_server))
    for adult in adults:
        invites = everything[adult.email]
        cancels = invites[len(after_move[adult.email]) :]
        assert {uid for _m, uid, _s, _t in cancels} == uids
        assert {method for method, *_rest in cancels} == {"CANCEL"}
        # Each CANCEL is above every REQUEST of its UID, so no program takes it for stale news.
        for _method, uid, sequence, _t in cancels:
            assert all(sequence > s for m, u, s, _t2 in invites if u == uid and m == "REQUEST")


def test_every_course_mail_says_what_when_where_and_whom_to_ask(run, make_family, smtp_server):
    run.contact_name, run.contact_email = "Eva Kursansvarig", "eva@familjehemsresurs.example"
    household, adults = make_family(1)
    services.sign_up(run, household, adults, actor=adults[0], now=clock.now())
    messages = _send_all(smtp_server)
    session = run.sessions[0]
    venue = session.venue or run.venue
    for message in messages:
        assert message["Reply-To"] == "kontakt@familjehemsresurs.example"
        text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(preferencelist=("html",)).get_content()
        first_name = adults[0].first_name
        for body in (text, html):
            assert f"Hej {first_name}!" in body
            assert "Vänliga hälsningar" in body
            assert run.title in body and "Eva Kursansvarig" in body
            assert venue.name in body
            assert "/mina-framsteg" in body and "/mina-kurser" in body
        assert html.index("Familjehemsresursen") < html.index(f"Hej {first_name}!")
        assert "<a " not in html.split("</title>")[0]  # the title is the subject, nothing else
        assert f"Hej {first_name}!\n\n" in text and "\n\n\n" not in text.strip()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "max-width:600px" in html
